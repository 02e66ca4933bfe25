// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_denykill TGID: attach deny_kill.bpf.c (BPF-LSM task_kill) so that
 * SIGKILL from user space to process TGID is refused with EPERM; print
 * "ready" once attached; on SIGTERM or SIGINT detach, print "denied N" (how
 * many kills it refused) and exit 0. For resmond_limits_test.
 */
#include "deny_kill.skel.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct deny_kill_bpf *skel;
	sigset_t set;
	int sig;

	if (argc != 2) {
		fprintf(stderr, "usage: resmond_denykill TGID\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	skel = deny_kill_bpf__open_and_load();
	if (!skel) {
		perror("resmond_denykill: load");
		return 1;
	}
	skel->bss->target_tgid = (unsigned int)atoi(argv[1]);
	if (deny_kill_bpf__attach(skel)) {
		perror("resmond_denykill: attach (is bpf in lsm=?)");
		deny_kill_bpf__destroy(skel);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	printf("denied %llu\n", (unsigned long long)skel->bss->denied);
	deny_kill_bpf__destroy(skel);
	return 0;
}
