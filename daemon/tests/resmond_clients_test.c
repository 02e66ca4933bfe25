// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_clients_test: resmond's clients, as root with resmond up.
 *  1. A connection opened as root, used after setresuid(65534), asks as
 *     65534: lifting a quota (reset, deregister of a capped root process)
 *     is EPERM. Each request is judged by its sender at that request.
 *  2. uid 65534 holds as many connections as it can get (HOLD_TRY of
 *     them, re-dialling every one resmond closes) and sends a FETCH on
 *     each every 2 s; meanwhile root's register and another uid's
 *     register of itself still succeed, several times over 20 s.
 *  3. A setuid-root copy of this program, run by 65534 with
 *     RESMOND_SOCKET naming a socket nobody answers on, still reaches the
 *     real resmond: the library ignores the variable in a setuid program.
 * TAP output; exit status 1 on failure.
 */
#include "resmon/resmond_client.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY		65534
#define OTHER		65533
#define HOLD_TRY	300	/* more than resmond's whole client table */

static int become(uid_t id)
{
	return setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id) ? -1 : 0;
}

static pid_t idle_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Exit status of a child that runs @fn; 255 if it died otherwise. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

/* Connect as root, drop to nobody, then lift: 0 if both lifts are EPERM. */
static int lift_after_drop(void *arg)
{
	pid_t t = *(pid_t *)arg;
	int fd = resmond_connect(), r1, r2, e1, e2;

	if (fd < 0 || become(NOBODY))
		return 10;
	r1 = resmond_call_on(fd, RESMOND_RESET, t, 0, 0, NULL);
	e1 = errno;
	r2 = resmond_call_on(fd, RESMOND_DEREGISTER, t, 0, 0, NULL);
	e2 = errno;
	printf("# after setresuid(%d): reset %d (%s), deregister %d (%s)\n", NOBODY,
	       r1, r1 ? strerror(e1) : "ok", r2, r2 ? strerror(e2) : "ok");
	return (r1 < 0 && e1 == EPERM && r2 < 0 && e2 == EPERM) ? 0 : 1;
}

static void per_request_credentials(void)
{
	struct resmond_record rec;
	pid_t t = idle_child();
	int ok;

	ok = t > 0 && resmond_call(RESMOND_REGISTER, t, 0, 0, NULL) == 0 &&
	     resmond_call(RESMOND_CAP, t, 8, 8, NULL) == 0;
	result(ok, "root registers and caps a root process");
	result(in_child(lift_after_drop, &t) == 0,
	       "a connection opened as root, used after setresuid(65534): reset and deregister EPERM");
	result(resmond_call(RESMOND_FETCH, t, 0, 0, &rec) == 0 && rec.quotas_defined == 1 &&
	       rec.heap_quota == 8, "the quotas are still set");
	result(resmond_call(RESMOND_RESET, t, 0, 0, NULL) == 0 &&
	       resmond_call(RESMOND_DEREGISTER, t, 0, 0, NULL) == 0, "root lifts them");
	reap(t);
}

/* uid NOBODY: hold up to HOLD_TRY connections, a FETCH on each every 2 s, until killed. */
static void __attribute__((noreturn)) holder(int report)
{
	static int fds[HOLD_TRY];
	struct resmond_record rec;
	int i, alive, round;

	if (become(NOBODY))
		_exit(10);
	for (i = 0; i < HOLD_TRY; i++)
		fds[i] = -1;
	for (round = 0;; round++) {
		alive = 0;
		for (i = 0; i < HOLD_TRY; i++) {
			if (fds[i] < 0)
				fds[i] = resmond_connect();
			if (fds[i] < 0)
				continue;
			/* EINVAL: not monitored. Anything but a reply (EIO): resmond hung up. */
			if (resmond_call_on(fds[i], RESMOND_FETCH, getpid(), 0, 0, &rec) < 0 &&
			    errno == EIO) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			alive++;
		}
		if (write(report, &alive, sizeof(alive)) < 0)
			_exit(11);
		sleep(2);
	}
}

static int other_registers_itself(void *arg)
{
	(void)arg;
	if (become(OTHER))
		return 10;
	return resmond_call(RESMOND_REGISTER, getpid(), 0, 0, NULL) == 0 ? 0 : 1;
}

static void slots_not_taken_by_one_user(void)
{
	int p[2], alive = 0, most = 0, root_ok = 0, other_ok = 0, tries = 0;
	time_t end;
	pid_t h, t;
	char what[160];

	if (pipe(p) < 0) {
		result(0, "pipe");
		return;
	}
	h = fork();
	if (h == 0) {
		close(p[0]);
		holder(p[1]);
	}
	close(p[1]);
	/* Two full rounds first: the holder has everything it can get. */
	if (read(p[0], &alive, sizeof(alive)) != sizeof(alive) ||
	    read(p[0], &alive, sizeof(alive)) != sizeof(alive)) {
		result(0, "the holder runs");
		reap(h);
		return;
	}
	most = alive;
	for (end = time(NULL) + 20; time(NULL) < end; tries++) {
		t = idle_child();
		if (t > 0 && resmond_call(RESMOND_REGISTER, t, 0, 0, NULL) == 0)
			root_ok++;
		else
			printf("# root's register: %s\n", strerror(errno));
		reap(t);
		if (in_child(other_registers_itself, NULL) == 0)
			other_ok++;
		if (read(p[0], &alive, sizeof(alive)) == sizeof(alive) && alive > most)
			most = alive;
	}
	reap(h);
	close(p[0]);
	printf("# uid %d held at most %d of %d connections\n", NOBODY, most, HOLD_TRY);
	snprintf(what, sizeof(what), "root's register while uid %d holds what it can: %d of %d",
		 NOBODY, root_ok, tries);
	result(tries > 0 && root_ok == tries, what);
	snprintf(what, sizeof(what), "uid %d's register of itself meanwhile: %d of %d",
		 OTHER, other_ok, tries);
	result(tries > 0 && other_ok == tries, what);
}

#define SETUID_COPY	"/tmp/resmond_clients_test.setuid"
#define FAKE_SOCKET	"/tmp/resmond_clients_test.sock"
#define HELLO_MODE	"--hello"

/* A root-owned setuid copy of this executable at SETUID_COPY. */
static int setuid_copy(void)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;
	struct stat st;
	ssize_t n = 0;

	unlink(SETUID_COPY);
	out = open(SETUID_COPY, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (in < 0 || out < 0 || fstat(in, &st) < 0)
		return -1;
	while (n >= 0 && st.st_size > 0) {
		n = sendfile(out, in, NULL, (size_t)st.st_size);
		st.st_size -= n > 0 ? n : 0;
		if (n == 0)
			break;
	}
	close(in);
	close(out);
	return n < 0 || chown(SETUID_COPY, 0, 0) || chmod(SETUID_COPY, 04755) ? -1 : 0;
}

/* A socket file no one listens on: a fake daemon that cannot even answer. */
static int dead_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0), ok;

	strcpy(sa.sun_path, FAKE_SOCKET);
	unlink(FAKE_SOCKET);
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	     chmod(FAKE_SOCKET, 0666) == 0;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int run_setuid_copy(void *arg)
{
	char *argv[] = { SETUID_COPY, HELLO_MODE, NULL };
	char *envp[] = { RESMOND_SOCKET_ENV "=" FAKE_SOCKET, NULL };

	(void)arg;
	if (become(NOBODY))
		return 10;
	execve(SETUID_COPY, argv, envp);
	return 11;
}

static void setuid_ignores_socket_variable(void)
{
	int rc;

	if (setuid_copy() < 0 || dead_socket() < 0) {
		result(0, "setuid copy and fake socket");
		return;
	}
	rc = in_child(run_setuid_copy, NULL);
	printf("# the setuid copy's HELLO: %s\n", rc == 0 ? "answered" :
	       rc == 1 ? "failed (it asked the fake socket)" : "did not run");
	result(rc == 0, "a setuid program run by 65534 ignores RESMOND_SOCKET: the real resmond answers");
	unlink(SETUID_COPY);
	unlink(FAKE_SOCKET);
}

int main(int argc, char **argv)
{
	/* The setuid copy: HELLO, by whatever socket the library picks. */
	if (argc == 2 && !strcmp(argv[1], HELLO_MODE))
		return resmond_call(RESMOND_HELLO, 0, 0, 0, NULL) == 0 ? 0 : 1;
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 4;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	per_request_credentials();
	slots_not_taken_by_one_user();
	setuid_ignores_socket_variable();
	return tap_done();
}
