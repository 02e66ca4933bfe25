/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The attach points' prototypes as bpf/resmon.bpf.c reads them, checked
 * against a kernel's BTF (protos.c). Used by resmond before it loads the
 * programs and by daemon/tests/resmond_protos_test.c on the stock kernels'
 * and the host's BTF.
 */
#ifndef RESMON_PROTOS_H
#define RESMON_PROTOS_H

#include <stdbool.h>
#include <stddef.h>

struct btf;
struct bpf_object;

/* One argument a program reads as a scalar or pointer: its name, position, size. */
struct proto_arg {
	const char *name;
	unsigned char pos;
	unsigned char size;
};

/*
 * @nargs: fexit programs written with BPF_PROG() read the return value at
 * ctx[nargs], so the count must match exactly; 0 when nothing depends on it.
 * @ret_size: the width the program reads the return at (0: not read); an
 * integer at least that wide reads the same fd, -errno or 0.
 */
struct proto {
	const char *func;	/* fentry/fexit target, or the tp_btf tracepoint */
	unsigned char nargs;
	unsigned char ret_size;
	struct proto_arg args[3];
};

/* Check one program section ("fexit/do_sys_openat2", ...); 0, or -1 with @why filled. */
int proto_check_sec(const struct btf *btf, const char *sec, char *why, size_t len);

/* Check @p itself (the test uses it to show a wrong expectation is caught). */
int proto_check(const struct btf *btf, const struct proto *p, int tracepoint, char *why,
		size_t len);

/* Whether section @sec is an optional hook this kernel (@btf) does not have. */
bool proto_not_needed(const struct btf *btf, const char *sec);

/*
 * Turn off autoload for every program of @obj (opened, not loaded) that
 * proto_not_needed(); returns how many.
 */
int protos_select(struct bpf_object *obj, const struct btf *btf);

/*
 * Check every attach point of @obj (opened, not necessarily loaded) that
 * will be loaded against @btf; @report is called once per program with a
 * NULL @why when it matches. Returns the number that do not.
 */
int protos_check_object(const struct bpf_object *obj, const struct btf *btf,
			void (*report)(const char *sec, const char *why, void *arg), void *arg);

#endif
