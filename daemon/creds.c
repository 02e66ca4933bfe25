// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may do what, decided by resmond from /proc as SPEC's kernel checks
 * decide it from struct cred:
 *   manage: the process itself, or the prlimit(2) rule (caller's real uid
 *           = target's real, effective and saved uid, likewise gids), or
 *           CAP_SYS_RESOURCE;
 *   read:   ptrace_may_access(PTRACE_MODE_READ_REALCREDS): the process
 *           itself, or the same id match on a dumpable target, or
 *           CAP_SYS_PTRACE;
 *   lift:   CAP_SYS_RESOURCE.
 * User namespaces are treated as one: a caller's capabilities count only
 * if it is in resmond's user namespace (else it has none here), which can
 * refuse what the kernel edition would allow, never the reverse.
 */
#include "resmond.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD	77	/* Linux 6.5+ */
#endif
#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_RESOURCE	24

static bool has_cap(const struct ids *c, int cap)
{
	return c->same_userns && (c->cap_eff >> cap & 1);
}

static bool same_ns(const char *ns, pid_t pid)
{
	char p[64];
	struct stat a, b;

	snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, ns);
	if (stat(p, &a) < 0)
		return false;
	snprintf(p, sizeof(p), "/proc/self/ns/%s", ns);
	if (stat(p, &b) < 0)
		return false;
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

int read_ids(pid_t pid, struct ids *ids)
{
	char path[64], line[512];
	unsigned long long cap;
	struct stat st;
	int got = 0;
	FILE *f;

	memset(ids, 0, sizeof(*ids));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
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

			for (ids->pidns_depth = 0;; ids->pidns_depth++) {
				strtol(s, &end, 10);
				if (end == s)
					break;
				s = end;
			}
		}
	}
	fclose(f);
	if (got != 15) {
		errno = ESRCH;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	ids->proc_owner = stat(path, &st) == 0 ? st.st_uid : 0;
	ids->same_userns = same_ns("user", pid);
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
	return c->tgid == t->tgid || ids_match(c, t) || has_cap(c, CAP_SYS_RESOURCE);
}

bool may_read(const struct ids *c, const struct ids *t)
{
	/*
	 * /proc/PID belongs to the target's euid while it is dumpable and to
	 * root once it is not (task_dump_owner()): that is how user space
	 * sees get_dumpable() != SUID_DUMP_USER.
	 */
	bool dumpable = t->proc_owner == t->uid[1];

	return c->tgid == t->tgid || has_cap(c, CAP_SYS_PTRACE) || (ids_match(c, t) && dumpable);
}

bool may_lift(const struct ids *c)
{
	return has_cap(c, CAP_SYS_RESOURCE);
}

bool is_root_admin(const struct ids *c)
{
	return has_cap(c, CAP_SYS_ADMIN);
}

static bool pidfd_alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	/* A pidfd polls readable once its process has exited. */
	return poll(&p, 1, 0) == 0;
}

/*
 * The caller's ids, read from /proc while a pidfd holds its pid: 6.5+
 * hands that pidfd over with the connection (SO_PEERPIDFD); on 6.1 it is
 * opened from SO_PEERCRED's pid, and the effective uid read must be the
 * one the kernel recorded at connect(). If the process is gone by the
 * end of the read, the ids are refused: they may be a successor's.
 */
int peer_ids(int fd, struct ids *ids)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int pidfd = -1, ok;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return -1;
	len = sizeof(pidfd);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) < 0)
		pidfd = (int)syscall(SYS_pidfd_open, uc.pid, 0);
	if (pidfd < 0)
		return -1;
	ok = read_ids(uc.pid, ids) == 0 && ids->uid[1] == uc.uid && pidfd_alive(pidfd);
	close(pidfd);
	if (!ok) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}
