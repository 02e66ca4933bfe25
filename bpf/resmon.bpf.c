// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmon eBPF edition: the accounting hooks, the limiter and the
 * operation iterator. CO-RE; built against the vmlinux.h of a pinned
 * Debian stock kernel (bpf/Makefile), verified on 6.1 and 6.12.
 *
 * Attach points (their prototypes checked against the running kernel's BTF
 * by resmond at load, daemon/protos.c; the attach test does the same):
 *   files  fexit do_sys_openat2   open, openat, openat2, creat, 64-bit and compat
 *          fexit do_handle_open   open_by_handle_at, 64-bit and compat
 *          fexit io_openat2       io_uring OPENAT and OPENAT2, fixed slots too
 *   heap   fexit mmap_region      every mmap entry (mmap, mmap_pgoff, ia32 mmap2
 *                                 and old_mmap, x32), before populate; private
 *                                 anonymous judged from its own file and vm_flags
 *                                 (one trampoline, none on munmap)
 *          fexit do_brk_flags     brk's growth, told from exec's and uselib's by
 *                                 addr == PAGE_ALIGN(mm->brk), before populate
 *                                 (one trampoline, on the growing path only)
 *   data   (VmData; mmap_region and do_brk_flags above re-read it too)
 *          fentry vm_stat_account mprotect and mremap's growth, before populate
 *          fentry vms_complete_munmap_vmas   6.12+: an unmap's fall
 *          fexit  __x64_sys_munmap, __ia32_sys_munmap, __x64_sys_brk,
 *                 __x64_sys_mremap   6.1: the same falls, on the way out
 *   life   tp_btf sched_process_exit (signal->live == 0: the last thread)
 *          fentry setup_new_exec  (bprm->secureexec drops the record)
 *   tree   tp_btf sched_process_fork  a tree member's child joins its job
 *          fexit schedule_tail    a new member of a job killed whole dies
 *                                 before its first instruction (bpf/tree.h)
 *          fexit kernel_wait4     so does one back from waiting for a child
 * No hook looks at the system call number or re-reads user memory.
 * The hooks are attached by resmond only while something is monitored, and
 * those named resmon_job_* (the data measure, tree jobs: what only a job's
 * members need) only while a job exists (daemon/bpfstate.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* rules.h first: it brings the UAPI header, whose job structs bpf_abi.h uses. */
#include "rules.h"
#include "resmon/bpf_abi.h"

#define SIGKILL		9
#define PAGE_SIZE	4096UL
#define MAX_ERRNO	4095UL
#define PF_KTHREAD	0x00200000
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RESMON_MAX_RECORDS);
	__type(key, __u64);			/* struct signal_struct * */
	__type(value, struct resmon_rec);
} records SEC(".maps");

/*
 * Quota kills, for resmond's log line and its WAIT answers. Kept while
 * resmond is down (until full).
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} kills SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct resmon_req);
} request SEC(".maps");

/*
 * "Maybe monitored": how many records there are for each slot, a slot
 * being a hash of the process's id (tgid: the same for all its threads,
 * kept across execve, unique among live processes). While anything at all is
 * monitored, every open, mmap and growing brk of every process runs a
 * hook; nearly all of them have no record. An array lookup, which the
 * verifier inlines, answers for those in a few instructions, where the
 * records map's hash lookup (jhash, bucket, key compare) costs tens.
 * A slot's count is never lower than its records: register raises it
 * before it inserts, and only a successful delete lowers it.
 */
#define FILTER_BITS	16
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << FILTER_BITS);
	__type(key, __u32);
	__type(value, __u32);
} maybe SEC(".maps");

/*
 * How many records each uid's callers registered (resmon_rec.charged_uid),
 * and under RESMON_UID_NONROOT how many all non-root callers did. Changed
 * only by the one who inserts a record and by the one whose delete of it
 * succeeded, so the counts stay exact. An entry stays when it drops to 0
 * (deleting it could lose a racing charge); one per uid that ever
 * registered, and a full map makes register fail with ENOMEM, as a full
 * table does.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RESMON_MAX_RECORDS + 1);
	__type(key, __u32);
	__type(value, __u32);
} uid_records SEC(".maps");

/* The operation iterator's reply, built here: too big for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct resmon_reply);
} reply SEC(".maps");

/*
 * Which build of this object is pinned: resmond writes a hash of its
 * embedded object here after the load. A resmond of another build that
 * picks the pins up leaves these programs enforcing and replaces them
 * with its own once nothing is monitored (daemon/bpfstate.c). The
 * programs never read it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} build SEC(".maps");

#include "job.h"

static __always_inline __u64 sig_key(struct task_struct *t)
{
	return (__u64)t->signal;
}

/* The slot's count of records, or NULL (never: the index is in range). */
static __always_inline __u32 *filter_count(__u32 tgid)
{
	/* Fibonacci hashing: the product's top bits depend on all of the id's. */
	__u32 slot = (tgid * 0x9E3779B9U) >> (32 - FILTER_BITS);

	return bpf_map_lookup_elem(&maybe, &slot);
}

static __always_inline struct resmon_rec *current_rec(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 *n = filter_count(t->tgid);
	__u64 key;

	if (!n || !*n)
		return NULL;
	key = sig_key(t);
	return bpf_map_lookup_elem(&records, &key);
}

/*
 * SIGKILL to the whole process, from the call that crossed the quota,
 * before it returns to user space. A record counts as killed only once
 * the signal is queued; then one event asks resmond for the log line.
 */
static __always_inline void kill_current(struct resmon_rec *r, __u32 res, __u64 total,
					 __s64 quota)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct resmon_kill_event *e;

	if (r->killed || bpf_send_signal(SIGKILL))
		return;
	if (__sync_lock_test_and_set(&r->killed, 1))
		return;
	e = bpf_ringbuf_reserve(&kills, sizeof(*e), 0);
	if (!e)
		return;
	e->tgid = t->tgid;
	e->start_time = t->group_leader->start_time;
	e->resource = res;
	e->total = total;
	e->quota = quota;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), t->group_leader->comm);
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

/* heap_bytes += @add, saturating as the kernel edition does (rules.h). */
static __always_inline __u64 heap_add(struct resmon_rec *r, __u64 add)
{
	__u64 old = r->heap_bytes, new, prev;
	int i;

	for (i = 0; i < 16; i++) {
		new = resmon_add_saturating(old, add);
		prev = __sync_val_compare_and_swap(&r->heap_bytes, old, new);
		if (prev == old)
			return new;
		old = prev;
	}
	/* 16 lost races in a row: count it anyway rather than lose it. */
	return __sync_add_and_fetch(&r->heap_bytes, add);
}

/*
 * The callers look up @r first, so a process with no record reads nothing
 * else, and its job @j (rec_job(), once per hook: the data measure uses it
 * too).
 */
static __always_inline void account_heap(struct resmon_rec *r, struct resmon_job *j, __u64 bytes)
{
	__u64 total;

	if (!bytes)
		return;
	if (r->job) {
		if (j)
			job_heap(r, j, bytes);
		return;
	}
	total = heap_add(r, bytes);
	if (resmon_heap_exceeded(total, r->heap_quota))
		kill_current(r, RESMON_HEAP, total, r->heap_quota);
}

static __always_inline void account_open(void)
{
	struct resmon_rec *r = current_rec();
	struct resmon_job *j;
	__u64 total;

	if (!r)
		return;
	if (r->job) {
		j = rec_job(r);
		if (j)
			job_open(r, j);
		return;
	}
	total = __sync_add_and_fetch(&r->files, 1);
	if (resmon_files_exceeded(total, r->file_quota))
		kill_current(r, RESMON_OPENS, total, r->file_quota);
}

/*
 * The open hooks read the return as int: an fd or -errno fits, and it is
 * the right width whether the function returns long (6.1, 6.12) or int
 * (6.18's do_sys_openat2), where the upper half of the register is junk.
 */
SEC("fexit/do_sys_openat2")
int BPF_PROG(resmon_openat2, int dfd, const char *filename, struct open_how *how, int ret)
{
	if (ret >= 0)
		account_open();
	return 0;
}

SEC("fexit/do_handle_open")
int BPF_PROG(resmon_handle_open, int mountdirfd, struct file_handle *ufh, int open_flag,
	     int ret)
{
	if (ret >= 0)
		account_open();
	return 0;
}

/*
 * io_openat2() returns IOU_OK (0) once it has a result, which it stores in
 * the request's CQE; -EAGAIN means it will be retried from a worker (and
 * counted then). A fixed-slot open leaves 0 or the slot there.
 */
SEC("fexit/io_openat2")
int BPF_PROG(resmon_io_openat2, struct io_kiocb *req, unsigned int issue_flags, int ret)
{
	if (ret == 0 && BPF_CORE_READ(req, cqe.res) >= 0)
		account_open();
	return 0;
}

/* mm.h, magic.h, hugetlb.h: the same on 6.1 and 6.12 */
#define VM_MAYSHARE		0x80UL
#define VM_SHADOW_STACK		0x2000000000UL	/* bit 37: x86 6.6+, never on 6.1 */
#define HUGETLBFS_MAGIC		0x958458f6
#define HUGETLB_ANON_FILE	"anon_hugepage"

/*
 * Whether @file is the one ksys_mmap_pgoff() made for MAP_ANONYMOUS |
 * MAP_HUGETLB: hugetlb_file_setup(HUGETLB_ANON_FILE) on the internal
 * hugetlbfs mount, a pseudo file (its dentry is its own parent). memfd's
 * (MFD_HUGETLB, "memfd:...") and SysV's ("SYSV...") have other names; a
 * file someone created on a hugetlbfs mount has a parent directory.
 */
static __always_inline int anon_hugetlb_file(struct file *file)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	char name[sizeof(HUGETLB_ANON_FILE)];
	int i;

	if (BPF_CORE_READ(file, f_inode, i_sb, s_magic) != HUGETLBFS_MAGIC ||
	    BPF_CORE_READ(d, d_parent) != d)
		return 0;
	if (bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(d, d_name.name)) !=
	    sizeof(name))
		return 0;
	for (i = 0; i < sizeof(name); i++)
		if (name[i] != HUGETLB_ANON_FILE[i])
			return 0;
	return 1;
}

/*
 * Whether mmap_region() is making heap (rules.h: resmon_heap_mapping()),
 * judged from its own arguments, i.e. the kernel's copy of the request,
 * whatever the system call number or ABI. The rule's inputs, derived:
 * anonymous is "no file, or the anon_hugepage file": do_mmap() turns
 * MAP_ANONYMOUS into file == NULL, and ksys_mmap_pgoff() gives an
 * anonymous MAP_HUGETLB request its anon_hugepage file first; shared is
 * VM_MAYSHARE: do_mmap() sets it for every MAP_TYPE but MAP_PRIVATE
 * (MAP_SHARED sets VM_SHARED | VM_MAYSHARE and gets its shmem file later,
 * in mmap_region() itself).
 *
 * Other callers of do_mmap()/vm_mmap() in 6.1 and 6.12: the ELF loader and
 * uselib (file mappings), shmat() and aio (files, shared), drivers (their
 * files), x86 shadow stacks (6.12: file NULL, private, but VM_SHADOW_STACK,
 * excluded), and the ELF loader's MMAP_PAGE_ZERO page (file NULL, private,
 * excluded: it is mapped in execve, where no mmap system call can be).
 */
static __always_inline bool heap_mapping(struct file *file, unsigned long vm_flags)
{
	/* The kernel's own private anonymous mappings: no mmap system call made them. */
	if (vm_flags & VM_SHADOW_STACK)
		return false;
	/* A plain load: current is a BTF pointer. */
	if (BPF_CORE_READ_BITFIELD(bpf_get_current_task_btf(), in_execve))
		return false;
	return resmon_heap_mapping(!file || anon_hugetlb_file(file), vm_flags & VM_MAYSHARE);
}

/*
 * mmap_region(file, addr, len, vm_flags, pgoff, uf) returns the address
 * once do_mmap() has made the mapping, before vm_mmap_pgoff() populates or
 * locks it (MAP_POPULATE, MAP_LOCKED): a kill queued here stops that. len
 * is page aligned, and huge-page aligned for MAP_HUGETLB (ksys_mmap_pgoff).
 * Every mmap entry (mmap, mmap_pgoff, ia32 mmap2 and old_mmap, x32) gets
 * here through ksys_mmap_pgoff -> vm_mmap_pgoff -> do_mmap. do_mmap() itself
 * would carry the MAP_* flags, but it has 8 arguments (9 on 6.12) and 6.1's
 * x86 trampoline takes at most 6. One trampoline per mmap, none on munmap.
 */
SEC("fexit/mmap_region")
int BPF_PROG(resmon_mmap_region, struct file *file, unsigned long addr, unsigned long len,
	     unsigned long vm_flags, unsigned long pgoff, struct list_head *uf, unsigned long ret)
{
	struct resmon_job *j;
	struct resmon_rec *r;

	if (ret >= -MAX_ERRNO)
		return 0;
	r = current_rec();
	if (!r)
		return 0;
	j = rec_job(r);
	if (heap_mapping(file, vm_flags))
		account_heap(r, j, PAGE_ALIGN(len));
	/*
	 * Its vm_stat_account() is inlined (mm/mmap.c, 6.1 and 6.12): the data
	 * growth is judged here, on the way out, still before any populate.
	 */
	data_sync(r, j, bpf_get_current_task_btf()->mm);
	return 0;
}

/*
 * Whether do_brk_flags() is growing the break for the brk system call,
 * judged from kernel state, not the system call number. sys_brk() calls
 * do_brk_flags(.., oldbrk = PAGE_ALIGN(mm->brk), ..) under the mmap write
 * lock and sets mm->brk only after it returns (6.1 and 6.12), so here addr
 * == PAGE_ALIGN(mm->brk) always holds for brk: no false negative. The only
 * other caller is vm_brk_flags(): exec's ELF loader zero-fills .bss on the
 * new mm, whose brk is still 0 until load_elf_binary() sets it after the
 * interpreter is loaded; uselib(2) zero-fills a library's .bss at the
 * library's address. The only false positive: a uselib library whose .bss
 * starts exactly at the page-aligned break (memory grown at the break).
 */
static __always_inline int brk_growth(unsigned long addr)
{
	unsigned long brk = bpf_get_current_task_btf()->mm->brk;

	return brk && addr == PAGE_ALIGN(brk);
}

/*
 * do_brk_flags(vmi or mas, vma, addr, len, flags) returns 0 once brk's
 * growth is mapped: len is the page-aligned growth resmon.rst counts, and
 * sys_brk() populates (mlockall(MCL_FUTURE)) only after this returns, so
 * a kill queued here stops it. One trampoline on the growing path only:
 * a shrinking or failing brk never gets here (or returns non-zero).
 */
SEC("fexit/do_brk_flags")
int resmon_do_brk(unsigned long long *ctx)
{
	struct resmon_job *j;
	struct resmon_rec *r;
	__u64 ret = 0;

	if (bpf_get_func_ret(ctx, &ret) || (int)ret != 0)
		return 0;
	r = current_rec();
	if (!r)
		return 0;
	j = rec_job(r);
	if (brk_growth(ctx[2]))
		account_heap(r, j, ctx[3]);
	/* do_brk_flags() adds to mm->data_vm itself, without vm_stat_account(). */
	data_sync(r, j, bpf_get_current_task_btf()->mm);
	return 0;
}

/* mm.h's is_data_mapping(): what vm_stat_account() counts in data_vm (x86's VM_STACK). */
#define VM_WRITE		0x2UL
#define VM_SHARED		0x8UL
#define VM_GROWSDOWN		0x100UL

/*
 * The data measure's other points. vm_stat_account() makes every change of
 * mm->data_vm but brk's growth (do_brk_flags(), above) and, on 6.12 and
 * later, an unmap's fall, always under the mmap write lock and before any
 * populate; but inside mm/mmap.c the compiler inlines it (mmap_region(),
 * 6.1's unmaps), so this hook sees the calls from mprotect.c and mremap.c:
 * mprotect_fixup() (twice a call: the old flags out, the new in) and
 * mremap's growth and moves. fentry, not fexit: it knows the value data_vm
 * is about to take, a growth is judged and killed before the call can
 * populate, and its trampoline wraps no call of the original, on a
 * function every mprotect of every process runs while anything is
 * monitored; a call that moves no data (a stack, a shared or read-only
 * mapping) returns at the first test. vm_stat_account() also runs on an
 * mm being built by execve (not yet current's): only the caller's own mm
 * counts.
 */
SEC("fentry/vm_stat_account")
int BPF_PROG(resmon_job_vm_stat, struct mm_struct *mm, unsigned long flags, long npages)
{
	struct resmon_rec *r;

	if ((flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) != VM_WRITE ||
	    mm != bpf_get_current_task_btf()->mm)
		return 0;
	r = current_rec();
	if (r && r->job)
		data_now(r, rec_job(r), mm->data_vm + npages);
	return 0;
}

/* vma.c of 6.12 and later (6.18 too); not in 6.1's vmlinux.h. */
struct vma_munmap_struct___new {
	unsigned long data_vm;
} __attribute__((preserve_access_index));

/*
 * The falls. On 6.12 and later an unmap (munmap, a shrinking brk or mremap,
 * mremap's move, a MAP_FIXED over a mapping) takes its pages out of
 * data_vm here, by what it gathered (vms->data_vm; 0 when it gathered
 * nothing), without vm_stat_account(). Only a fall: it re-arms, never
 * kills. 6.1 has no such function and unmaps inside mm/mmap.c, through
 * its inlined vm_stat_account(): there the munmap, brk and mremap system
 * calls re-read data_vm on their way out instead. resmond loads each set
 * only on the kernels that need it (daemon/protos.c, conditional hooks).
 */
SEC("fentry/vms_complete_munmap_vmas")
int BPF_PROG(resmon_job_unmapped, struct vma_munmap_struct___new *vms, struct ma_state *mas_detach)
{
	struct mm_struct *mm = bpf_get_current_task_btf()->mm;
	unsigned long gone = vms->data_vm;
	struct resmon_rec *r;

	/* Every mmap comes here too (6.12's __mmap_region(), nothing gathered): out at once. */
	if (!gone || !mm)
		return 0;
	r = current_rec();
	if (r && r->job)
		data_now(r, rec_job(r), mm->data_vm - gone);
	return 0;
}

static __always_inline void data_after_call(void)
{
	struct resmon_rec *r = current_rec();

	if (r && r->job)
		data_sync(r, rec_job(r), bpf_get_current_task_btf()->mm);
}

SEC("fexit/__x64_sys_munmap")
int BPF_PROG(resmon_job_munmap, const struct pt_regs *regs, long ret)
{
	data_after_call();
	return 0;
}

SEC("fexit/__ia32_sys_munmap")
int BPF_PROG(resmon_job_munmap32, const struct pt_regs *regs, long ret)
{
	data_after_call();
	return 0;
}

SEC("fexit/__x64_sys_brk")
int BPF_PROG(resmon_job_brk, const struct pt_regs *regs, long ret)
{
	data_after_call();
	return 0;
}

SEC("fexit/__x64_sys_mremap")
int BPF_PROG(resmon_job_mremap, const struct pt_regs *regs, long ret)
{
	data_after_call();
	return 0;
}

/*
 * A successful execve: the member's data is now the new image's, also for
 * a vfork child, whose memory is its own from now on.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(resmon_job_exec_done, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct resmon_rec *r = current_rec();

	if (!r || !r->job)
		return 0;
	if (r->shares_mm)
		r->shares_mm = 0;
	data_sync(r, rec_job(r), bpf_get_current_task_btf()->mm);
	return 0;
}

static __always_inline __u32 *uid_count(__u32 uid)
{
	__u32 zero = 0, *c = bpf_map_lookup_elem(&uid_records, &uid);

	if (c)
		return c;
	bpf_map_update_elem(&uid_records, &uid, &zero, BPF_NOEXIST);	/* or a racer did */
	return bpf_map_lookup_elem(&uid_records, &uid);
}

static __always_inline int charge_one(__u32 uid, __u32 limit)
{
	__u32 *c = uid_count(uid);

	if (!c)
		return -ENOMEM;
	if (__sync_add_and_fetch(c, 1) <= limit)
		return 0;
	__sync_fetch_and_sub(c, 1);
	return -ENOMEM;
}

static __always_inline void uncharge_one(__u32 uid)
{
	__u32 *c = bpf_map_lookup_elem(&uid_records, &uid);

	if (c)
		__sync_fetch_and_sub(c, 1);
}

/* Take one record of @uid's share; @share 0: a root caller, charged to nobody. */
static __always_inline int charge(__u32 uid, __u32 share)
{
	if (!share)
		return 0;
	if (charge_one(RESMON_UID_NONROOT, RESMON_MAX_RECORDS - RESMON_ROOT_RESERVE))
		return -ENOMEM;
	if (charge_one(uid, share)) {
		uncharge_one(RESMON_UID_NONROOT);
		return -ENOMEM;
	}
	return 0;
}

static __always_inline void uncharge(__u32 uid)
{
	if (uid == RESMON_UID_NONE)
		return;
	uncharge_one(uid);
	uncharge_one(RESMON_UID_NONROOT);
}

/*
 * Every way a record goes (deregister, exit, secure exec, a register that
 * lost to the exit) comes here: only the caller whose delete succeeded
 * gives the share back, so two deleters racing uncharge once.
 */
static __always_inline void drop_record(__u64 key, struct resmon_rec *r)
{
	__u32 uid = r->charged_uid, *n = filter_count(r->tgid);
	__u64 job = r->job, pages = r->data_pages;

	if (bpf_map_delete_elem(&records, &key))
		return;
	uncharge(uid);
	if (n)
		__sync_fetch_and_sub(n, 1);
	if (job)
		job_leave(job, pages, bpf_get_current_task_btf());
}

#include "tree.h"

/*
 * Fires for every exiting thread after do_exit() decremented
 * signal->live; 0 means the process's last thread is exiting. Two
 * threads racing past 0 both try; drop_record() lets one succeed.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(resmon_exit, struct task_struct *p)
{
	__u32 *n = filter_count(p->tgid);
	__u64 key = sig_key(p);
	struct resmon_rec *r;

	/* Most exiting processes have no record: no hash lookup for them. */
	if (p->signal->live.counter != 0 || !n || !*n)
		return 0;
	r = bpf_map_lookup_elem(&records, &key);
	if (r)
		drop_record(key, r);
	return 0;
}

/* An execve that gains privilege drops the record unless a privileged caller set its quotas. */
SEC("fentry/setup_new_exec")
int BPF_PROG(resmon_exec, struct linux_binprm *bprm)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 key = sig_key(t);
	struct resmon_rec *r;

	if (!BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec))
		return 0;
	r = bpf_map_lookup_elem(&records, &key);
	if (r && !r->cap_privileged)
		drop_record(key, r);
	return 0;
}

/*
 * The body of each operation, in resmon.rst's order, with rules.h's codes;
 * permission comes precomputed in @q.
 */
static __always_inline int op_register(struct resmon_req *q, struct resmon_reply *rep,
				       struct task_struct *task, __u64 key, struct resmon_rec *r)
{
	struct resmon_rec n = {};
	__u32 *count = filter_count(task->tgid);
	int err;

	if (!rep->live)
		return resmon_code_no_process(RESMON_CALL_REGISTER);
	if (!q->may_manage || resmon_unkillable(task->flags & PF_KTHREAD, task->tgid))
		return resmon_code_denied();
	if (r)
		return resmon_code_busy();
	if (!count || charge(q->uid, q->uid_share))
		return -ENOMEM;
	n.heap_quota = RESMON_NO_LIMIT;
	n.file_quota = RESMON_NO_LIMIT;
	n.seq = q->seq;
	n.start_time = rep->start_time;
	n.tgid = rep->tgid;
	n.charged_uid = q->uid_share ? q->uid : RESMON_UID_NONE;
	/* Counted before it is there: a hook never skips a record it could find. */
	__sync_fetch_and_add(count, 1);
	err = bpf_map_update_elem(&records, &key, &n, BPF_NOEXIST);
	if (err) {
		__sync_fetch_and_sub(count, 1);
		uncharge(n.charged_uid);
		return err == -EEXIST ? resmon_code_busy() : -ENOMEM;
	}
	/*
	 * The exit hook may have run between the liveness check and the
	 * insert; it runs after signal->live drops to 0, so looking again
	 * after the insert closes the window: no record outlives its process.
	 */
	if (task->signal->live.counter == 0) {
		r = bpf_map_lookup_elem(&records, &key);
		if (r)
			drop_record(key, r);
		return resmon_code_no_process(RESMON_CALL_REGISTER);
	}
	rep->rec = n;
	return 0;
}

static __always_inline int op_cap(struct resmon_req *q, struct resmon_reply *rep,
				  struct resmon_rec *r)
{
	__u64 heap, files;

	if (!rep->live)
		return resmon_code_no_process(RESMON_CALL_CAP);
	if (!q->may_manage)
		return resmon_code_denied();
	if (!r)
		return resmon_code_not_monitored(RESMON_CALL_CAP);
	if (!resmon_heap_quota_valid(q->heap_quota) || !resmon_file_quota_valid(q->file_quota))
		return resmon_code_bad_quota();
	if (r->quotas_defined)
		return resmon_code_busy();
	r->heap_quota = q->heap_quota;
	r->file_quota = q->file_quota;
	r->cap_privileged = q->cap_privileged;
	r->cap_userns = q->cap_userns;
	r->quotas_defined = 1;
	/* Fully ordered reads: an update racing with the new quota is seen by one side. */
	heap = __sync_fetch_and_add(&r->heap_bytes, 0);
	files = __sync_fetch_and_add(&r->files, 0);
	/*
	 * Only "over": resmond sends the SIGKILL (an LSM may refuse it, resmond
	 * may die first) and marks the record killed once it is queued
	 * (op_mark_killed), so a kill that was not queued is retried by the
	 * next crossing, as resmon.rst says. The reply names the resource
	 * crossed, so resmond applies no rule of its own.
	 */
	if (!r->killed && resmon_heap_exceeded(heap, r->heap_quota)) {
		rep->kill = 1;
		rep->resource = RESMON_HEAP;
		rep->total = heap;
	} else if (!r->killed && resmon_files_exceeded(files, r->file_quota)) {
		rep->kill = 1;
		rep->resource = RESMON_OPENS;
		rep->total = files;
	}
	rep->rec = *r;
	return 0;
}

/*
 * resmond queued the SIGKILL a CAP asked for: the record counts as killed
 * now. Whoever marks it first logs the kill (a crossing hook may have
 * killed in between); a record gone already (the victim exited) leaves
 * the line to resmond, which queued the kill.
 */
static __always_inline int op_mark_killed(struct resmon_req *q, struct resmon_reply *rep,
					  struct resmon_rec *r)
{
	if (q->expect_start != rep->start_time)
		return -ESRCH;
	struct resmon_job *j;

	if (!r || !__sync_lock_test_and_set(&r->killed, 1))
		rep->kill = 1;
	/* A member's job: killed whole, and reported once, only now the kill is queued. */
	j = r && r->job ? rec_job(r) : NULL;
	if (j && !(j->flags & RESMON_JOB_KILL_OFFENDER) && __sync_lock_test_and_set(&j->killed, 1))
		rep->kill = 0;
	if (r)
		rep->rec = *r;
	return 0;
}

/*
 * What a job's limits cross at once (at creation, or when they are set):
 * hard limits under the value, and soft ones under it not fired yet, which
 * are marked fired here. resmond signals and queues the events.
 */
static __always_inline void job_crossed_now(struct resmon_job *j, struct resmon_reply *rep)
{
	__u32 bit;
	int res;

	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		bit = RESMON_SOFT_FIRED(res);
		if (resmon_over(j->usage[res], j->soft[res]) &&
		    !(__sync_fetch_and_or(&j->soft_fired, bit) & bit))
			rep->soft_now |= bit;
		if (resmon_over(j->usage[res], j->hard[res]))
			rep->hard_over |= bit;
	}
	/* A whole job is killed and reported once. */
	if (rep->hard_over && !(j->flags & RESMON_JOB_KILL_OFFENDER) &&
	    __sync_lock_test_and_set(&j->killed, 1))
		rep->hard_over = 0;
}

static __always_inline void job_take_limits(struct resmon_job *j, const struct resmon_job_limits *l)
{
	int res;

	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		if (l->mask & RESMON_LIMIT_HARD(res))
			j->hard[res] = l->hard[res];
		if ((l->mask & RESMON_LIMIT_SOFT(res)) && j->soft[res] != l->soft[res]) {
			j->soft[res] = l->soft[res];
			/* A soft limit changed is armed again, for totals too. */
			__sync_fetch_and_and(&j->soft_fired, ~RESMON_SOFT_FIRED(res));
		}
	}
	if (l->mask & RESMON_LIMIT_SOFT_SIGNAL)
		j->soft_signal = l->soft_signal;
}

/*
 * Make job q->job with the target as its root (resmond checked the limits
 * and gave every field, defaults included). The job goes in first, so a
 * hook that finds the member finds its job; the member's data share is
 * its VmData now.
 */
static __always_inline int op_job_create(struct resmon_req *q, struct resmon_reply *rep,
					 struct task_struct *task, __u64 key, struct resmon_rec *r)
{
	struct resmon_rec *n = &rep->rec;
	struct resmon_job *j = &rep->jobrec;
	__u32 *count = filter_count(task->tgid);
	struct mm_struct *mm = task->mm;
	__u64 id = q->job;
	int err;

	if (!rep->live)
		return -ESRCH;
	if (!q->may_manage || resmon_unkillable(task->flags & PF_KTHREAD, task->tgid))
		return -EPERM;
	if (r)
		return -EBUSY;
	if (!count || charge(q->uid, q->uid_share))
		return -ENOMEM;
	j->usage[RESMON_DATA] = mm ? BPF_CORE_READ(mm, data_vm) << PAGE_SHIFT : 0;
	j->data_peak = j->usage[RESMON_DATA];
	j->members_now = 1;
	j->members_ever = 1;
	j->userns = q->cap_userns;
	j->root_tgid = rep->tgid;
	j->root_start = rep->start_time;
	j->flags = q->job_flags;
	j->uid_share = q->uid_share;
	j->soft_signal = q->limits.soft_signal;
	for (err = 0; err < RESMON_NR_RESOURCES; err++) {
		j->hard[err] = q->limits.hard[err];
		j->soft[err] = q->limits.soft[err];
	}
	n->heap_quota = RESMON_NO_LIMIT;
	n->file_quota = RESMON_NO_LIMIT;
	n->seq = q->seq;
	n->start_time = rep->start_time;
	n->tgid = rep->tgid;
	n->charged_uid = q->uid_share ? q->uid : RESMON_UID_NONE;
	n->cap_privileged = q->cap_privileged;
	n->job = id;
	n->data_pages = j->usage[RESMON_DATA] >> PAGE_SHIFT;
	if (bpf_map_update_elem(&jobs, &id, j, BPF_NOEXIST)) {
		uncharge(n->charged_uid);
		return -ENOMEM;
	}
	__sync_fetch_and_add(count, 1);
	err = bpf_map_update_elem(&records, &key, n, BPF_NOEXIST);
	if (err) {
		__sync_fetch_and_sub(count, 1);
		uncharge(n->charged_uid);
		bpf_map_delete_elem(&jobs, &id);
		return err == -EEXIST ? -EBUSY : -ENOMEM;
	}
	j = bpf_map_lookup_elem(&jobs, &id);
	/* As register: an exit that ran before the insert saw no record. */
	if (task->signal->live.counter == 0) {
		r = bpf_map_lookup_elem(&records, &key);
		if (r)
			drop_record(key, r);
		return -ESRCH;
	}
	if (!j)
		return -ENOMEM;
	job_crossed_now(j, rep);
	rep->jobrec = *j;
	return 0;
}

/*
 * A handle opened on a process registered by the seed's call: its record
 * becomes the one member of a new job q->job (SPEC: the seed's record is a
 * one-member job without tree), its totals and quotas the job's, its data
 * share its VmData now. From then on the hooks count in the job. A count a
 * hook adds to the record between the copy and r->job is lost to the job.
 */
static __always_inline int op_job_adopt(struct resmon_req *q, struct resmon_reply *rep,
					struct task_struct *task, struct resmon_rec *r)
{
	struct resmon_job *j = &rep->jobrec;
	struct mm_struct *mm = task->mm;
	__u64 id = q->job;
	int res;

	for (res = 0; res < RESMON_NR_RESOURCES; res++) {
		j->hard[res] = RESMON_UNLIMITED;
		j->soft[res] = RESMON_UNLIMITED;
	}
	if (r->heap_quota >= 0)
		j->hard[RESMON_HEAP] = resmon_mib_to_bytes(r->heap_quota);
	if (r->file_quota >= 0)
		j->hard[RESMON_OPENS] = r->file_quota;
	j->usage[RESMON_HEAP] = r->heap_bytes;
	j->usage[RESMON_OPENS] = r->files;
	j->usage[RESMON_DATA] = mm ? BPF_CORE_READ(mm, data_vm) << PAGE_SHIFT : 0;
	j->data_peak = j->usage[RESMON_DATA];
	j->soft_signal = 15;	/* SIGTERM, the default */
	j->members_now = 1;
	j->members_ever = 1;
	j->userns = q->cap_userns;
	j->root_tgid = rep->tgid;
	j->root_start = rep->start_time;
	j->killed = r->killed;
	if (bpf_map_update_elem(&jobs, &id, j, BPF_NOEXIST))
		return -ENOMEM;
	r->data_pages = j->usage[RESMON_DATA] >> PAGE_SHIFT;
	r->job = id;
	rep->rec = *r;
	return 0;
}

static __always_inline int op_job_set(struct resmon_req *q, struct resmon_reply *rep)
{
	__u64 id = q->job;
	struct resmon_job *j = bpf_map_lookup_elem(&jobs, &id);

	if (!j)
		return -ESRCH;
	job_take_limits(j, &q->limits);
	job_crossed_now(j, rep);
	rep->jobrec = *j;
	return 0;
}

/* The seed's fetch of a member: the job's totals, its hard limits as quotas. */
static __always_inline void rec_of_job(struct resmon_rec *out, const struct resmon_rec *r)
{
	__u64 id = r->job;
	struct resmon_job *j = bpf_map_lookup_elem(&jobs, &id);

	*out = *r;
	if (!j)
		return;
	out->heap_bytes = j->usage[RESMON_HEAP];
	out->files = j->usage[RESMON_OPENS];
	out->heap_quota = j->hard[RESMON_HEAP] == RESMON_UNLIMITED ? RESMON_NO_LIMIT :
			  (__s64)resmon_bytes_to_mib_up(j->hard[RESMON_HEAP]);
	out->file_quota = j->hard[RESMON_OPENS] == RESMON_UNLIMITED ? RESMON_NO_LIMIT :
			  (__s64)j->hard[RESMON_OPENS];
	out->quotas_defined = out->heap_quota != RESMON_NO_LIMIT ||
			      out->file_quota != RESMON_NO_LIMIT;
}

/*
 * The seed's cap, reset and deregister of a member act on its job (SPEC
 * "The seed's calls on jobs"), after their own checks up to "monitored":
 * its hard heap and opens limits are the quotas, defined when either is
 * set; deregister takes the member out, and needs the lift where the job
 * has any limit. A cap crossed at once is killed by resmond (rep->kill),
 * as for a record; the job's hard kill is reported once (job->killed).
 */
static __always_inline bool job_quotas_defined(const struct resmon_job *j)
{
	return j->hard[RESMON_HEAP] != RESMON_UNLIMITED ||
	       j->hard[RESMON_OPENS] != RESMON_UNLIMITED;
}

static __always_inline int op_seed_on_job(struct resmon_req *q, struct resmon_reply *rep,
					  __u64 key, struct resmon_rec *r)
{
	__u64 id = r->job;
	struct resmon_job *j = bpf_map_lookup_elem(&jobs, &id);
	bool any = false;
	int res;

	if (!j)
		return -ENOMEM;
	for (res = 0; res < RESMON_NR_RESOURCES; res++)
		any |= j->hard[res] != RESMON_UNLIMITED || j->soft[res] != RESMON_UNLIMITED;
	switch (q->op) {
	case RESMON_CALL_DEREGISTER:
		if (any && !q->may_lift)
			return resmon_code_denied();
		drop_record(key, r);
		return 0;
	case RESMON_CALL_RESET:
		if (job_quotas_defined(j) && !q->may_lift)
			return resmon_code_denied();
		j->hard[RESMON_HEAP] = RESMON_UNLIMITED;
		j->hard[RESMON_OPENS] = RESMON_UNLIMITED;
		rec_of_job(&rep->rec, r);
		return 0;
	}
	/* RESMON_CALL_CAP */
	if (!resmon_heap_quota_valid(q->heap_quota) || !resmon_file_quota_valid(q->file_quota))
		return resmon_code_bad_quota();
	if (job_quotas_defined(j))
		return resmon_code_busy();
	j->hard[RESMON_HEAP] = q->heap_quota < 0 ? RESMON_UNLIMITED :
			       resmon_mib_to_bytes(q->heap_quota);
	j->hard[RESMON_OPENS] = q->file_quota < 0 ? RESMON_UNLIMITED : (__u64)q->file_quota;
	/*
	 * As cap on a record: resmond kills, and marks the job killed
	 * (op_mark_killed) only once the kill is queued, so a kill refused (an
	 * LSM) is retried by the next crossing, which then reports it.
	 */
	for (res = RESMON_HEAP; res <= RESMON_OPENS; res++)
		if (!j->killed && resmon_over(j->usage[res], j->hard[res])) {
			rep->kill = 1;
			rep->resource = res;
			rep->total = j->usage[res];
			break;
		}
	rep->jobrec = *j;
	rec_of_job(&rep->rec, r);
	return 0;
}

static __always_inline int op_run(struct resmon_req *q, struct resmon_reply *rep,
				  struct task_struct *task)
{
	__u64 key = sig_key(task);
	struct resmon_rec *r = bpf_map_lookup_elem(&records, &key);

	switch (q->op) {
	case RESMON_BPF_PROBE:
		if (r)
			rep->rec = *r;
		return 0;
	case RESMON_CALL_REGISTER:
		return op_register(q, rep, task, key, r);
	case RESMON_CALL_FETCH:
		if (!rep->live)
			return resmon_code_no_process(RESMON_CALL_FETCH);
		if (!q->may_read)
			return resmon_code_denied();
		if (!r)
			return resmon_code_not_monitored(RESMON_CALL_FETCH);
		rec_of_job(&rep->rec, r);
		return 0;
	case RESMON_BPF_JOB_CREATE:
		return op_job_create(q, rep, task, key, r);
	case RESMON_BPF_JOB_FIND:
		if (!rep->live)
			return -ESRCH;
		if (!q->may_manage)
			return -EPERM;
		if (!r)
			return -EINVAL;
		if (!r->job)
			return op_job_adopt(q, rep, task, r);
		rep->rec = *r;
		return 0;
	case RESMON_BPF_JOB_SET:
		return op_job_set(q, rep);
	case RESMON_CALL_DEREGISTER:
		if (!rep->live)
			return resmon_code_no_process(RESMON_CALL_DEREGISTER);
		if (!q->may_manage)
			return resmon_code_denied();
		if (!r)
			return resmon_code_not_monitored(RESMON_CALL_DEREGISTER);
		if (r->job)
			return op_seed_on_job(q, rep, key, r);
		if (r->quotas_defined && !q->may_lift)
			return resmon_code_denied();
		drop_record(key, r);
		return 0;
	case RESMON_CALL_CAP:
		if (rep->live && q->may_manage && r && r->job)
			return op_seed_on_job(q, rep, key, r);
		return op_cap(q, rep, r);
	case RESMON_BPF_MARK_KILLED:
		return op_mark_killed(q, rep, r);
	case RESMON_CALL_RESET:
		if (!rep->live)
			return resmon_code_no_process(RESMON_CALL_RESET);
		if (!q->may_manage)
			return resmon_code_denied();
		if (!r)
			return resmon_code_not_monitored(RESMON_CALL_RESET);
		if (r->job)
			return op_seed_on_job(q, rep, key, r);
		if (r->quotas_defined && !q->may_lift)
			return resmon_code_denied();
		r->quotas_defined = 0;
		r->cap_privileged = 0;
		r->heap_quota = RESMON_NO_LIMIT;
		r->file_quota = RESMON_NO_LIMIT;
		rep->rec = *r;
		return 0;
	}
	return -EINVAL;
}

/*
 * resmond runs one request through this task iterator, created on the
 * target's pidfd (every thread of that process is visited; the first one
 * does the work). The task is held meanwhile, so the liveness check, the
 * record lookup and the action all see one process; expect_start (the
 * leader's start_time from a PROBE made while resmond's pidfd showed the
 * process alive) makes a pid number reused since then look dead.
 */
SEC("iter/task")
int resmon_op(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct resmon_reply *rep;
	struct resmon_req *q;
	__u32 zero = 0;

	q = bpf_map_lookup_elem(&request, &zero);
	rep = bpf_map_lookup_elem(&reply, &zero);
	if (!task || !q || !rep || q->done)
		return 0;
	q->done = 1;
	__builtin_memset(rep, 0, sizeof(*rep));
	rep->tgid = task->tgid;
	rep->start_time = task->group_leader->start_time;
	rep->live = task->signal->live.counter > 0;
	/* JOB_SET names a job, not a process: any task runs it. */
	if (q->op != RESMON_BPF_PROBE && q->op != RESMON_BPF_JOB_SET &&
	    q->expect_start != rep->start_time)
		rep->live = 0;
	bpf_probe_read_kernel_str(rep->comm, sizeof(rep->comm), task->group_leader->comm);
	rep->err = op_run(q, rep, task);
	bpf_seq_write(ctx->meta->seq, rep, sizeof(*rep));
	return 0;
}
