// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond_protos_test [BTF...]: every attach point of the BPF object (the
 * skeleton resmond embeds, opened, not loaded) checked against each BTF
 * (a vmlinux ELF or raw BTF; default /sys/kernel/btf/vmlinux) with
 * resmond's own table and checker (daemon/protos.c): argument positions,
 * names and sizes, and the return width. Then the checker itself must
 * reject a wrong expectation. Needs no BPF permission: the host runs it on
 * the stock kernels' vmlinux and its own BTF as data, the guests on theirs.
 * TAP, then "N passed, M failed".
 */
#include "protos.h"
#include "resmon.skel.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;

static void result(int ok, const char *what, const char *file, const char *why)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%sok %d - %s: %s%s%s\n", ok ? "" : "not ", passed + failed, file, what,
	       why ? ": " : "", why ? why : "");
}

static void report(const char *sec, const char *why, void *file)
{
	result(!why, sec, file, why);
}

/*
 * Deliberately wrong expectations fail: mmap_region's len read at vm_flags'
 * place, and the fork tracepoint (tree jobs) given an argument too many.
 */
static void check_checker(const struct btf *btf, const char *file)
{
	const struct proto wrong = { "mmap_region", 6, 8, { { "len", 3, 8 } } };
	char why[256] = "";

	/* A tracepoint's count excludes its void *__data: the fork hook's has two. */
	const struct proto wrong_tp = { "sched_process_fork", 3, 0, { } };

	if (proto_check(btf, &wrong, 0, why, sizeof(why)))
		result(1, "the checker rejects len at position 3", file, why);
	else
		result(0, "the checker rejects len at position 3", file, "it accepted it");
	why[0] = 0;
	if (proto_check(btf, &wrong_tp, 1, why, sizeof(why)))
		result(1, "the checker rejects sched_process_fork with 3 arguments", file, why);
	else
		result(0, "the checker rejects sched_process_fork with 3 arguments", file,
		       "it accepted it");
}

/*
 * The unmap hooks are chosen by kernel: vms_complete_munmap_vmas's where the
 * kernel has it (6.12, 6.18), the system calls' where it does not (6.1),
 * never both nor neither; a hook every kernel needs is never left out.
 */
static void check_selection(const struct btf *btf, const char *file)
{
	bool has = btf__find_by_name_kind(btf, "vms_complete_munmap_vmas", BTF_KIND_FUNC) >= 0;
	bool new_out = proto_not_needed(btf, "fentry/vms_complete_munmap_vmas");
	bool old_out = proto_not_needed(btf, "fexit/__x64_sys_munmap") &&
		       proto_not_needed(btf, "fexit/__x64_sys_brk") &&
		       proto_not_needed(btf, "fexit/__x64_sys_mremap");

	result(new_out == !has && old_out == has,
	       has ? "unmaps through vms_complete_munmap_vmas: its hook, not the system calls'" :
		     "no vms_complete_munmap_vmas: the system calls' unmap hooks, not its",
	       file, NULL);
	result(!proto_not_needed(btf, "fentry/vm_stat_account") &&
	       !proto_not_needed(btf, "fexit/mmap_region"),
	       "vm_stat_account's and mmap_region's hooks are never left out", file, NULL);
}

static int last_open_ret(const struct btf *btf)
{
	int id = btf__find_by_name_kind(btf, "do_sys_openat2", BTF_KIND_FUNC);

	if (id < 0)
		return 0;
	return btf__resolve_size(btf, btf__type_by_id(btf, btf__type_by_id(btf, id)->type)->type);
}

int main(int argc, char **argv)
{
	static const char *const dflt[] = { "/sys/kernel/btf/vmlinux" };
	const char *const *files = argc > 1 ? (const char *const *)argv + 1 : dflt;
	int n = argc > 1 ? argc - 1 : 1, i;
	struct resmon_bpf *skel;
	struct bpf_program *prog;
	struct btf *btf;

	libbpf_set_print(NULL);
	skel = resmon_bpf__open();
	if (!skel) {
		printf("not ok 1 - cannot open the BPF object: %s\n0 passed, 1 failed\n",
		       strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		btf = btf__parse(files[i], NULL);
		if (!btf) {
			result(0, "read its BTF", files[i], strerror(errno));
			continue;
		}
		printf("# %s: do_sys_openat2 returns %d bytes\n", files[i], last_open_ret(btf));
		/* As resmond: the hooks this kernel loads, then their prototypes. */
		bpf_object__for_each_program(prog, skel->obj)
			bpf_program__set_autoload(prog, true);
		printf("# %s: %d optional hook(s) left out\n", files[i],
		       protos_select(skel->obj, btf));
		protos_check_object(skel->obj, btf, report, (void *)files[i]);
		check_selection(btf, files[i]);
		check_checker(btf, files[i]);
		btf__free(btf);
	}
	resmon_bpf__destroy(skel);
	printf("1..%d\n%d passed, %d failed\n", passed + failed, passed, failed);
	return failed ? 1 : 0;
}
