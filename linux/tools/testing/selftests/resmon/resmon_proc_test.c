// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/resmon is judged by its opener, not by whoever reads it.
 *
 * A descriptor opened by an unprivileged user and passed (SCM_RIGHTS) to
 * root must list only what its opener may read, and one opened on the
 * procfs of a child pid namespace must give that namespace's pids, even
 * when root in the initial namespace reads it (resmon.rst, Permissions).
 */

#include "resmon_helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>

#define NOBODY		65534
#define MAX_LINES	256

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Parse every line readable from @fd (from offset 0) into @out. */
static int read_lines(int fd, struct rm_proc_line *out, int max)
{
	static char buf[65536];
	ssize_t n, len = 0;
	char *p, *nl;
	int i = 0;

	while ((n = pread(fd, buf + len, sizeof(buf) - 1 - len, len)) > 0)
		len += n;
	if (n < 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; i < max && (nl = strchr(p, '\n')); p = nl + 1, i++) {
		struct rm_proc_line *l = &out[i];

		if (sscanf(p, "%d %lu %lu %ld %ld %d", &l->pid, &l->heap,
			   &l->files, &l->hq, &l->fq, &l->defined) != 6)
			return -2;
	}
	return i;
}

/* Monitored as nobody until told to go (rm_idle, after registering). */
static void nobody_registered(void *arg)
{
	(void)arg;
	if (rm_drop_to(NOBODY, NOBODY))
		_exit(10);
	if (rm_register(getpid()))
		_exit(11);
	rm_idle(NULL);
}

/* Opens /proc/resmon as nobody and hands the descriptor over @sock. */
static int opener_sock = -1;

static void nobody_opens(void *arg)
{
	int fd;

	(void)arg;
	if (rm_drop_to(NOBODY, NOBODY))
		_exit(10);
	fd = open("/proc/resmon", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(11);
	if (send_fd(opener_sock, fd))
		_exit(12);
	rm_idle(NULL);
}

TEST(passed_fd_lists_what_its_opener_may_read)
{
	struct rm_proc_line l[MAX_LINES];
	struct rm_child nobody, opener;
	int sv[2], fd, own, n;
	const pid_t me = getpid();

	if (geteuid() != 0)
		SKIP(return, "needs root (to register itself and change uid)");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, rm_register(me));
	ASSERT_LT(0, rm_spawn(&nobody, nobody_registered, NULL));
	ASSERT_EQ('r', rm_read_mark(&nobody));

	opener_sock = sv[1];
	ASSERT_LT(0, rm_spawn(&opener, nobody_opens, NULL));
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	ASSERT_EQ('r', rm_read_mark(&opener));

	/* Root's own open sees both records ... */
	own = open("/proc/resmon", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, own);
	n = read_lines(own, l, MAX_LINES);
	ASSERT_LE(0, n);
	EXPECT_LE(0, rm_find_proc_line(l, n, me));
	EXPECT_LE(0, rm_find_proc_line(l, n, nobody.pid));
	close(own);

	/* ... root reading nobody's descriptor sees only nobody's. */
	n = read_lines(fd, l, MAX_LINES);
	ASSERT_LE(0, n);
	EXPECT_LE(0, rm_find_proc_line(l, n, nobody.pid))
		TH_LOG("the opener's own process is missing");
	EXPECT_EQ(-1, rm_find_proc_line(l, n, me))
		TH_LOG("a root process was listed to a descriptor nobody opened");
	close(fd);

	rm_go(&opener);
	ASSERT_EXITED_OK(rm_reap(&opener));
	rm_go(&nobody);
	ASSERT_EXITED_OK(rm_reap(&nobody));
	EXPECT_EQ(0, rm_deregister(me));
	close(sv[0]);
	close(sv[1]);
}

/*
 * In a new pid and mount namespace: mount a procfs of the namespace, have
 * a monitored child (pid 2 there), open /proc/resmon and pass it out.
 */
static void ns_init(void *arg)
{
	struct rm_child kid;
	int fd;

	(void)arg;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		_exit(20);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL))
		_exit(21);
	if (rm_spawn(&kid, rm_idle, NULL) != 2)
		_exit(22);
	if (rm_read_mark(&kid) != 'r' || rm_register(kid.pid))
		_exit(23);
	fd = open("/proc/resmon", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(24);
	if (send_fd(opener_sock, fd))
		_exit(25);
	/* Tell the test our child's pid as the parent namespace sees it. */
	rm_mark('r');
	rm_wait_go();
	rm_go(&kid);
	if (rm_reap(&kid))
		_exit(26);
}

/* The child of @parent, as our namespace numbers it: from /proc/N/stat. */
static pid_t child_of(pid_t parent)
{
	struct dirent *d;
	pid_t pid = -1;
	DIR *dir = opendir("/proc");

	while (dir && pid < 0 && (d = readdir(dir))) {
		char path[300], comm[64];
		int ppid = 0, n = atoi(d->d_name);
		FILE *f;

		if (n <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", n);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%*d (%63[^)]) %*c %d", comm, &ppid) == 2 &&
		    ppid == parent)
			pid = n;
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return pid;
}

TEST(passed_fd_gives_the_pids_of_its_procfs)
{
	struct rm_proc_line l[MAX_LINES];
	struct rm_child init;
	int sv[2], go[2], mark[2], fd, n;
	const pid_t me = getpid();
	pid_t kid;

	if (geteuid() != 0)
		SKIP(return, "needs root (pid and mount namespaces)");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(mark, O_CLOEXEC));
	ASSERT_EQ(0, rm_register(me));
	opener_sock = sv[1];
	init.pid = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD,
			   NULL, NULL, NULL, NULL);
	ASSERT_LE(0, init.pid);
	rm_spawned(&init, go, mark, ns_init, NULL);
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	ASSERT_EQ('r', rm_read_mark(&init));
	kid = child_of(init.pid);
	ASSERT_LT(2, kid) TH_LOG("no child of the namespace's init found");

	n = read_lines(fd, l, MAX_LINES);
	ASSERT_LE(0, n);
	EXPECT_LE(0, rm_find_proc_line(l, n, 2))
		TH_LOG("the namespace's monitored child is not listed as pid 2");
	EXPECT_EQ(-1, rm_find_proc_line(l, n, kid))
		TH_LOG("listed with its pid in the reader's namespace");
	EXPECT_EQ(-1, rm_find_proc_line(l, n, me))
		TH_LOG("a process outside the opener's namespace was listed");
	close(fd);

	rm_go(&init);
	ASSERT_EXITED_OK(rm_reap(&init));
	EXPECT_EQ(0, rm_deregister(me));
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	return rm_test_main(argc, argv);
}
