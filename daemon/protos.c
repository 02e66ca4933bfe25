// SPDX-License-Identifier: GPL-2.0-only
/*
 * The prototypes bpf/resmon.bpf.c assumes, checked in a kernel's BTF. The
 * verifier type-checks the pointers a tracing program follows, but not the
 * scalars it reads from its context nor where the return value sits: a
 * kernel whose function gained an argument, moved one, or narrowed its
 * return (6.18's do_sys_openat2 returns int) would be read wrong silently.
 */
#include "protos.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

/* Keep in step with the programs' parameter lists in bpf/resmon.bpf.c. */
static const struct proto protos[] = {
	/* returns read as int: an fd or -errno fits whether it is int or long */
	{ "do_sys_openat2", 3, 4, { } },
	{ "do_handle_open", 3, 4, { } },
	{ "io_openat2", 2, 4, { { "req", 0, 8 } } },
	{ "mmap_region", 6, 8, { { "file", 0, 8 }, { "len", 2, 8 }, { "vm_flags", 3, 8 } } },
	/* bpf_get_func_ret(): the count does not matter, the arguments do */
	{ "do_brk_flags", 0, 4, { { "addr", 2, 8 }, { "len", 3, 8 } } },
	{ "setup_new_exec", 0, 0, { { "bprm", 0, 8 } } },
	/* the data measure: the change vm_stat_account() is about to make */
	{ "vm_stat_account", 0, 0, { { "mm", 0, 8 }, { "flags", 1, 8 }, { "npages", 2, 8 } } },
	/* 6.12 and later: an unmap's fall of data_vm; 6.1 has no such function */
	{ "vms_complete_munmap_vmas", 0, 0, { { "vms", 0, 8 } } },
	/* 6.1's unmaps: the system call wrappers only re-read the caller's mm on the way out */
	{ "__x64_sys_munmap", 0, 0, { } },
	{ "__ia32_sys_munmap", 0, 0, { } },
	{ "__x64_sys_brk", 0, 0, { } },
	{ "__x64_sys_mremap", 0, 0, { } },
	/* tracepoint arguments have no names in BTF */
	{ "sched_process_exit", 0, 0, { { NULL, 0, 8 } } },
	{ "sched_process_exec", 0, 0, { } },
	/* tree jobs: the parent and the child, both read (bpf/tree.h) */
	{ "sched_process_fork", 2, 0, { { NULL, 0, 8 }, { NULL, 1, 8 } } },
	/* the new task's first function: nothing read but current */
	{ "schedule_tail", 0, 0, { } },
	/* a member of a killed job back from waiting: nothing read but current */
	{ "kernel_wait4", 0, 0, { } },
};

/*
 * Hooks only some kernels need: @func's hook is loaded where the kernel has
 * @func and, if @unless is set, lacks @unless (a newer kernel's path that
 * makes an older one's hook redundant). 6.12 lowers data_vm on unmap in
 * vms_complete_munmap_vmas(); 6.1 has no such function and unmaps through
 * an inlined vm_stat_account(), seen only on the system calls' way out.
 * Where a hook is loaded, its prototype is checked as any other.
 */
#define UNMAP_612 "vms_complete_munmap_vmas"
static const struct {
	const char *func, *unless;
} conditional[] = {
	{ UNMAP_612, NULL },
	{ "__x64_sys_munmap", UNMAP_612 },
	{ "__ia32_sys_munmap", UNMAP_612 },
	{ "__x64_sys_brk", UNMAP_612 },
	{ "__x64_sys_mremap", UNMAP_612 },
};

static const struct proto *proto_find(const char *func)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(protos[i].func, func))
			return &protos[i];
	return NULL;
}

/*
 * The FUNC_PROTO of @p's function, and how many leading parameters are not
 * the function's own (a tracepoint's typedef starts with void *__data).
 */
static const struct btf_type *find_proto(const struct btf *btf, const struct proto *p,
					 int tracepoint, int *skip)
{
	const struct btf_type *t;
	char name[128];
	int id;

	*skip = 0;
	if (!tracepoint) {
		id = btf__find_by_name_kind(btf, p->func, BTF_KIND_FUNC);
		if (id < 0)
			return NULL;
		t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
		return btf_is_func_proto(t) ? t : NULL;
	}
	snprintf(name, sizeof(name), "btf_trace_%s", p->func);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id < 0)
		return NULL;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_ptr(t))
		return NULL;
	t = btf__type_by_id(btf, t->type);
	*skip = 1;
	return t && btf_is_func_proto(t) ? t : NULL;
}

/* The width of an integer, enum or pointer type; 0 for anything else. */
static int scalar_size(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, id));

	if (!t || !(btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t) || btf_is_ptr(t)))
		return 0;
	return btf__resolve_size(btf, id);
}

static int check_args(const struct btf *btf, const struct proto *p, const struct btf_type *fp,
		      int skip, char *why, size_t len)
{
	const struct btf_param *params = btf_params(fp);
	int n = btf_vlen(fp) - skip, i, size;
	const char *name;

	if (p->nargs && n != p->nargs) {
		snprintf(why, len, "%s has %d arguments, the program expects %d (the return "
			 "value is read after them)", p->func, n, p->nargs);
		return -1;
	}
	for (i = 0; i < 3 && p->args[i].size; i++) {
		const struct proto_arg *a = &p->args[i];

		if (a->pos >= n) {
			snprintf(why, len, "%s has no argument %d (%s)", p->func, a->pos,
				 a->name ? a->name : "read by the program");
			return -1;
		}
		name = btf__name_by_offset(btf, params[a->pos + skip].name_off);
		if (a->name && (!name || strcmp(name, a->name))) {
			snprintf(why, len, "%s's argument %d is '%s', the program reads '%s' there",
				 p->func, a->pos, name ? name : "", a->name);
			return -1;
		}
		size = scalar_size(btf, params[a->pos + skip].type);
		if (size != a->size) {
			snprintf(why, len, "%s's argument %d (%s) is %d bytes, the program reads %d",
				 p->func, a->pos, a->name ? a->name : "", size, a->size);
			return -1;
		}
	}
	return 0;
}

int proto_check(const struct btf *btf, const struct proto *p, int tracepoint, char *why,
		size_t len)
{
	const struct btf_type *fp;
	int skip, size;

	fp = find_proto(btf, p, tracepoint, &skip);
	if (!fp) {
		snprintf(why, len, "%s is not in this kernel's BTF", p->func);
		return -1;
	}
	if (check_args(btf, p, fp, skip, why, len))
		return -1;
	if (!p->ret_size)
		return 0;
	size = scalar_size(btf, fp->type);
	if (size < p->ret_size) {
		snprintf(why, len, "%s returns %d bytes, the program reads %d", p->func, size,
			 p->ret_size);
		return -1;
	}
	return 0;
}

static const char *const kinds[] = { "fentry/", "fexit/", "tp_btf/" };

/* The expected prototype of section @sec, and whether it is a tracepoint's. */
static const struct proto *proto_of_sec(const char *sec, int *tracepoint)
{
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(kinds[i]);
		if (!strncmp(sec, kinds[i], n)) {
			*tracepoint = i == 2;
			return proto_find(sec + n);
		}
	}
	return NULL;
}

int proto_check_sec(const struct btf *btf, const char *sec, char *why, size_t len)
{
	const struct proto *p;
	int tracepoint;

	if (!strchr(sec, '/') || !strncmp(sec, "iter/", 5))
		return 0;	/* not attached to a kernel function (the iterator) */
	p = proto_of_sec(sec, &tracepoint);
	if (!p) {
		snprintf(why, len, "no expected prototype for %s in daemon/protos.c", sec);
		return -1;
	}
	return proto_check(btf, p, tracepoint, why, len);
}

static bool in_btf(const struct btf *btf, const char *func)
{
	return btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) >= 0;
}

bool proto_not_needed(const struct btf *btf, const char *sec)
{
	int tracepoint;
	const struct proto *p = proto_of_sec(sec, &tracepoint);
	size_t i;

	if (!p || tracepoint)
		return false;
	for (i = 0; i < sizeof(conditional) / sizeof(conditional[0]); i++)
		if (!strcmp(conditional[i].func, p->func))
			return !in_btf(btf, p->func) ||
			       (conditional[i].unless && in_btf(btf, conditional[i].unless));
	return false;
}

int protos_select(struct bpf_object *obj, const struct btf *btf)
{
	struct bpf_program *prog;
	int off = 0;

	bpf_object__for_each_program(prog, obj)
		if (proto_not_needed(btf, bpf_program__section_name(prog))) {
			bpf_program__set_autoload(prog, false);
			off++;
		}
	return off;
}

int protos_check_object(const struct bpf_object *obj, const struct btf *btf,
			void (*report)(const char *sec, const char *why, void *arg), void *arg)
{
	struct bpf_program *prog;
	char why[256];
	int bad = 0;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!strchr(sec, '/') || !strncmp(sec, "iter/", 5) || !bpf_program__autoload(prog))
			continue;
		if (proto_check_sec(btf, sec, why, sizeof(why))) {
			report(sec, why, arg);
			bad++;
		} else {
			report(sec, NULL, arg);
		}
	}
	return bad;
}
