// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may do what, decided by resmond from /proc as the kernel edition's checks
 * decide it from struct cred:
 *   manage: the process itself, or the prlimit(2) rule (caller's real uid
 *           = target's real, effective and saved uid, likewise gids), or
 *           CAP_SYS_RESOURCE;
 *   read:   ptrace_may_access(PTRACE_MODE_READ_REALCREDS): the process
 *           itself, or the same id match on a dumpable target, or
 *           CAP_SYS_PTRACE;
 *   lift:   CAP_SYS_RESOURCE.
 * "CAP_X in namespace N" is read as: the caller is in resmond's (the
 * initial) user namespace with CAP_X, or it is in N itself with CAP_X. A
 * caller's capabilities in a namespace nested further below its own are not
 * recognised: that can refuse what the kernel edition allows, never the
 * reverse.
 */
#include "resmond.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_RESOURCE	24

/* Does @c have capability @cap in the user namespace whose inode is @ns? */
static bool has_cap_in(const struct ids *c, int cap, uint64_t ns)
{
	return (c->same_userns || c->userns == ns) && (c->cap_eff >> cap & 1);
}

static bool has_cap(const struct ids *c, int cap)
{
	return c->same_userns && (c->cap_eff >> cap & 1);
}

/* The inode of DIR/ns/user (DIR: /proc/PID or a thread's), and whether it is resmond's. */
static void user_ns(const char *dir, struct ids *ids)
{
	char p[96];
	struct stat a, b;

	snprintf(p, sizeof(p), "%s/ns/user", dir);
	if (stat(p, &a) < 0 || stat("/proc/self/ns/user", &b) < 0)
		return;		/* unknown: no capability counts */
	ids->userns = a.st_ino;
	ids->same_userns = a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* The ids of the task whose /proc directory is @dir. */
static int read_ids_at(const char *dir, struct ids *ids)
{
	char path[96], line[512];
	unsigned long long cap;
	struct stat st;
	int got = 0;
	FILE *f;

	memset(ids, 0, sizeof(*ids));
	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Tgid: %d", &ids->tgid) == 1)
			got |= 1;
		else if (sscanf(line, "Uid: %u %u %u %u", &ids->uid[0], &ids->uid[1],
				&ids->uid[2], &ids->uid[3]) == 4)
			got |= 2;
		else if (sscanf(line, "Gid: %u %u %u %u", &ids->gid[0], &ids->gid[1],
				&ids->gid[2], &ids->gid[3]) == 4)
			got |= 4;
		else if (sscanf(line, "CapEff: %llx", &cap) == 1) {
			ids->cap_eff = cap;
			got |= 8;
		} else if (!strncmp(line, "NSpid:", 6)) {
			char *s = line + 6, *end;
			long nr;

			for (ids->pidns_depth = 0; ids->pidns_depth < RESMOND_PIDNS_MAX;
			     ids->pidns_depth++) {
				nr = strtol(s, &end, 10);
				if (end == s)
					break;
				ids->nspid[ids->pidns_depth] = (pid_t)nr;
				s = end;
			}
		}
	}
	/*
	 * The owner of a /proc/PID file (not of the directory /proc/PID: a
	 * world-readable directory keeps the euid whatever the dumpability,
	 * task_dump_owner()) is root once the process is not dumpable. This
	 * file, opened just now, was revalidated at its open.
	 */
	ids->proc_owner = fstat(fileno(f), &st) == 0 ? st.st_uid : 0;
	fclose(f);
	if (got != 15) {
		errno = ESRCH;
		return -1;
	}
	user_ns(dir, ids);
	return 0;
}

int read_ids(pid_t pid, struct ids *ids)
{
	char dir[32];

	snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	return read_ids_at(dir, ids);
}

/*
 * The kernel edition judges the task a tid names by that task's cred
 * (prlimit's rule), and a thread can hold ids of its own (the raw
 * setresuid() changes one thread). Read them under the process's own
 * directory: that open fails unless @tid is a thread of @tgid now, so a
 * thread id reused by another process meanwhile is never read as this
 * process's. The caller checks the process (pinned) is still alive after.
 */
int read_thread_creds(pid_t tgid, pid_t tid, struct ids *ids)
{
	char dir[64];
	struct ids t;

	snprintf(dir, sizeof(dir), "/proc/%d/task/%d", (int)tgid, (int)tid);
	if (read_ids_at(dir, &t) < 0 || t.tgid != tgid)
		return -1;
	memcpy(ids->uid, t.uid, sizeof(ids->uid));
	memcpy(ids->gid, t.gid, sizeof(ids->gid));
	ids->cap_eff = t.cap_eff;
	ids->same_userns = t.same_userns;
	ids->userns = t.userns;
	ids->proc_owner = t.proc_owner;
	return 0;
}

/* cred->uid == tcred->euid, suid, uid and likewise for the gids (kernel/sys.c). */
static bool ids_match(const struct ids *c, const struct ids *t)
{
	return c->uid[0] == t->uid[0] && c->uid[0] == t->uid[1] && c->uid[0] == t->uid[2] &&
	       c->gid[0] == t->gid[0] && c->gid[0] == t->gid[1] && c->gid[0] == t->gid[2];
}

bool may_manage(const struct ids *c, const struct ids *t)
{
	return c->tgid == t->tgid || ids_match(c, t) || has_cap_in(c, CAP_SYS_RESOURCE, t->userns);
}

bool may_read(const struct ids *c, const struct ids *t)
{
	/*
	 * /proc/PID/status belongs to the target's euid while it is dumpable
	 * and to root (its user namespace's) once it is not (task_dump_owner()):
	 * that is how user space sees get_dumpable() != SUID_DUMP_USER. (It
	 * cannot tell when the euid is that namespace's root: resmond(8).)
	 */
	bool dumpable = t->proc_owner == t->uid[1];

	return c->tgid == t->tgid || has_cap_in(c, CAP_SYS_PTRACE, t->userns) ||
	       (ids_match(c, t) && dumpable);
}

/* CAP_SYS_RESOURCE in the target's user namespace AND in the one cap was called from. */
bool may_lift(const struct ids *c, const struct ids *t, uint64_t cap_userns)
{
	return has_cap_in(c, CAP_SYS_RESOURCE, t->userns) &&
	       has_cap_in(c, CAP_SYS_RESOURCE, cap_userns);
}

/* A quota set with this survives a privilege-gaining execve (resmon.rst, Permissions). */
bool cap_privileged(const struct ids *c, const struct ids *t)
{
	return has_cap_in(c, CAP_SYS_RESOURCE, t->userns);
}

/* Raising or removing a job's limit: CAP_SYS_RESOURCE in its members' user namespace. */
bool may_raise_job_limit(const struct ids *c, uint64_t members_userns)
{
	return has_cap_in(c, CAP_SYS_RESOURCE, members_userns);
}

bool is_root_admin(const struct ids *c)
{
	return has_cap(c, CAP_SYS_ADMIN);
}

/*
 * Is task @pid (whose NSpid has @depth entries) in the pid namespace of
 * @caller or one below it? The caller's namespace is at the caller's own
 * level; walk the task's namespace up (NS_GET_PARENT) to that level and
 * compare the two namespaces themselves, not numbers.
 */
static bool in_callers_ns(const struct ids *caller, pid_t pid, int depth)
{
	char path[64];
	struct stat a, b;
	int fd, up, ok;

	if (depth < caller->pidns_depth)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)caller->tgid);
	if (stat(path, &a) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	for (up = depth - caller->pidns_depth; fd >= 0 && up > 0; up--) {
		int parent = ioctl(fd, NS_GET_PARENT);

		close(fd);
		fd = parent;
	}
	if (fd < 0)
		return false;
	ok = fstat(fd, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
	close(fd);
	return ok;
}

/* Task @pid is @nr in the caller's namespace: 1, 0, -1 if it is gone. */
static int is_callers(const struct ids *caller, pid_t pid, pid_t nr)
{
	struct ids t;
	int lvl = caller->pidns_depth - 1;

	if (read_ids(pid, &t) < 0)
		return -1;
	return t.pidns_depth > lvl && t.nspid[lvl] == nr && in_callers_ns(caller, pid, t.pidns_depth);
}

/* Among the threads of every process, the one that is @nr for @caller: 0 if none. */
static pid_t scan_proc(const struct ids *caller, pid_t nr, bool threads)
{
	char path[64];
	struct dirent *d, *e;
	DIR *p = opendir("/proc"), *tasks;
	pid_t found = 0, tid;

	while (p && !found && (d = readdir(p))) {
		pid_t pid = (pid_t)atoi(d->d_name);

		if (pid < 1)
			continue;
		if (!threads) {
			if (is_callers(caller, pid, nr) == 1)
				found = pid;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		tasks = opendir(path);
		while (tasks && !found && (e = readdir(tasks))) {
			tid = (pid_t)atoi(e->d_name);
			if (tid > 0 && tid != pid && is_callers(caller, tid, nr) == 1)
				found = tid;
		}
		if (tasks)
			closedir(tasks);
	}
	if (p)
		closedir(p);
	return found;
}

pid_t pid_from_caller(const struct ids *caller, pid_t nr)
{
	pid_t pid;

	if (caller->pidns_depth < 1)
		return 0;	/* no NSpid: cannot say whose number it is */
	if (caller->pidns_depth == 1)
		return nr;
	/*
	 * No system call translates a number from another pid namespace: look
	 * for it, processes first. Only callers in a child namespace pay this.
	 */
	pid = scan_proc(caller, nr, false);
	return pid ? pid : scan_proc(caller, nr, true);
}

pid_t pid_for_caller(const struct ids *caller, pid_t pid, const struct ids *t)
{
	int lvl = caller->pidns_depth - 1;

	if (caller->pidns_depth < 1)
		return 0;
	if (caller->pidns_depth == 1)
		return pid;
	if (t->pidns_depth <= lvl || !in_callers_ns(caller, pid, t->pidns_depth))
		return 0;
	return t->nspid[lvl];
}

bool pidfd_alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	/* A pidfd polls readable once its process has exited. */
	return poll(&p, 1, 0) == 0;
}

/* Does @fd name, through /proc/self/fdinfo, the live process @pid (a pidfd of it)? */
static bool pidfd_names(int fd, pid_t pid)
{
	char path[64], line[128];
	bool is_pidfd = false, same = false;
	ssize_t n;
	int nr;
	FILE *f;

	/* Any fd has an fdinfo: only a pidfd is this anon inode, with a Pid: line. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, line, sizeof(line) - 1);
	if (n < 0)
		return false;
	line[n] = 0;
	if (strcmp(line, "anon_inode:[pidfd]"))
		return false;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &nr) == 1) {
			/* -1 once the process is gone, its number in our namespace before. */
			is_pidfd = true;
			same = nr == pid;
		}
	fclose(f);
	return is_pidfd && same;
}

pid_t pidfd_pid(int fd)
{
	char path[64], line[128];
	ssize_t n;
	int nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, line, sizeof(line) - 1);
	if (n < 0)
		return -EBADF;
	line[n] = 0;
	if (strcmp(line, "anon_inode:[pidfd]"))
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -ESRCH;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &nr) == 1)
			break;
	fclose(f);
	return nr > 0 ? nr : -ESRCH;
}

/*
 * The sender of one request: @uc is its SCM_CREDENTIALS (the kernel checked
 * the tgid and uid at sendmsg), @pidfd the pidfd that came with it (the
 * kernel's SCM_PIDFD, or the one libresmon attached). The pidfd must name
 * that tgid, so the ids read from /proc are the sender's own and not a
 * successor's under a reused number, and the process must still be alive
 * once they are read, with the real ids it sent with. Refused otherwise:
 * the request is then judged as from nobody in particular (resmond(8)).
 */
int msg_ids(const struct ucred *uc, int pidfd, struct ids *ids)
{
	if (pidfd < 0 || uc->pid < 1 || !pidfd_names(pidfd, uc->pid) ||
	    read_ids(uc->pid, ids) < 0 || ids->uid[0] != uc->uid || ids->gid[0] != uc->gid ||
	    !pidfd_alive(pidfd)) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}
