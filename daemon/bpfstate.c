// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF side as resmond holds it: every program and map pinned under
 * /sys/fs/bpf/resmon/ (prog_*, map_*), and the hooks' links pinned there
 * too (link_*) while anything is monitored. Pins outlive resmond, so
 * `kill -9 resmond` loses no record and no enforcement, and a restarted
 * resmond picks everything up from them. Only bpfstate_unpin_all()
 * (resmond --stop, SIGTERM) removes them.
 */
#include "resmond.h"
#include "protos.h"
#include "resmon.skel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define BPF_FS_MAGIC	0xcafe4a11

/*
 * The hooks, attached together: every program of the object but the
 * operation iterator (OP_PROG), which is never attached. Their names are
 * the object's own (the function names beside SEC()), read from the
 * skeleton by list_hooks(), so a new hook needs no edit here.
 */
#define MAX_HOOKS	32
static const char *hook_names[MAX_HOOKS];
static size_t n_hooks;
enum { MAP_RECORDS, MAP_KILLS, MAP_REQUEST, MAP_MAYBE, MAP_UID_RECORDS, MAP_REPLY, MAP_JOBS,
       MAP_JOB_EVENTS, MAP_BUILD };
static const char *const map_names[] = {
	[MAP_RECORDS] = "records", [MAP_KILLS] = "kills", [MAP_REQUEST] = "request",
	[MAP_MAYBE] = "maybe", [MAP_UID_RECORDS] = "uid_records", [MAP_REPLY] = "reply",
	[MAP_JOBS] = "jobs", [MAP_JOB_EVENTS] = "job_events", [MAP_BUILD] = "build",
};
#define N_MAPS (sizeof(map_names) / sizeof(map_names[0]))
#define OP_PROG "resmon_op"

static int hook_fd[MAX_HOOKS], link_fd[MAX_HOOKS], map_fd[N_MAPS], op_fd = -1;

/*
 * Each map's shape as this resmond's object declares it (list_hooks()), to
 * check pinned maps against: a resmond of another version may have pinned
 * maps of other layouts (a field added to a record), which this one's
 * programs and structs would misread.
 */
struct map_shape {
	__u32 type, key_size, value_size, max_entries;
};
static struct map_shape map_want[N_MAPS];

/* The pinned programs are another build's (bpfstate_stale()). */
static bool stale_build;

/*
 * This build of the object: FNV-1a of the embedded ELF, so an upgrade
 * that rebuilt the programs differently tells, and one that did not
 * change them does not.
 */
static uint64_t object_build(void)
{
	const unsigned char *p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t n, i;

	p = resmon_bpf__elf_bytes(&n);
	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* The build the pins hold (0: none written, never a hash in practice). */
static uint64_t pinned_build(void)
{
	uint32_t zero = 0;
	uint64_t v = 0;

	bpf_map_lookup_elem(map_fd[MAP_BUILD], &zero, &v);
	return v;
}

/*
 * The running kernel's BTF, read once per start: parsing it is most of
 * what resmond's start costs on a small machine, and both the hooks' list
 * and the load need it. Freed by forget_kernel_btf() once started.
 */
static struct btf *vmlinux_btf;

static const struct btf *kernel_btf(void)
{
	if (!vmlinux_btf) {
		vmlinux_btf = btf__load_vmlinux_btf();
		if (!vmlinux_btf)
			say("cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
			    strerror(errno));
	}
	return vmlinux_btf;
}

static void forget_kernel_btf(void)
{
	btf__free(vmlinux_btf);
	vmlinux_btf = NULL;
}

/*
 * The object resmond embeds, opened (not loaded), with the hooks this
 * kernel needs selected: an optional hook whose function the running
 * kernel lacks is left out (daemon/protos.c).
 */
static struct resmon_bpf *open_object(void)
{
	struct resmon_bpf *skel;

	if (!kernel_btf())
		return NULL;
	skel = resmon_bpf__open();
	if (!skel) {
		say("cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	protos_select(skel->obj, kernel_btf());
	return skel;
}

/* The hooks' names, those of the programs this kernel loads. 0 or -1. */
static int list_hooks(void)
{
	struct resmon_bpf *skel;
	struct bpf_program *prog;
	struct bpf_map *map;
	char *name;
	size_t i;

	if (n_hooks)
		return 0;
	skel = open_object();
	if (!skel)
		return -1;
	bpf_object__for_each_program(prog, skel->obj) {
		if (!strcmp(bpf_program__name(prog), OP_PROG) || !bpf_program__autoload(prog))
			continue;
		name = n_hooks < MAX_HOOKS ? strdup(bpf_program__name(prog)) : NULL;
		if (!name) {
			say("cannot list the hooks (more than %d?)", MAX_HOOKS);
			resmon_bpf__destroy(skel);
			return -1;
		}
		hook_names[n_hooks++] = name;
	}
	for (i = 0; i < N_MAPS; i++) {
		map = bpf_object__find_map_by_name(skel->obj, map_names[i]);
		if (!map) {
			say("the BPF object has no map %s", map_names[i]);
			resmon_bpf__destroy(skel);
			return -1;
		}
		map_want[i] = (struct map_shape){ bpf_map__type(map), bpf_map__key_size(map),
						  bpf_map__value_size(map),
						  bpf_map__max_entries(map) };
	}
	resmon_bpf__destroy(skel);
	return 0;
}

/* Whether every pinned map (open_pins()) has this resmond's shape; says which does not. */
static bool pins_match(void)
{
	struct bpf_map_info info;
	struct map_shape got;
	__u32 len;
	size_t i;

	for (i = 0; i < N_MAPS; i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(map_fd[i], &info, &len) < 0) {
			say("cannot read the pinned map %s: %s", map_names[i], strerror(errno));
			return false;
		}
		got = (struct map_shape){ info.type, info.key_size, info.value_size,
					  info.max_entries };
		if (memcmp(&got, &map_want[i], sizeof(got))) {
			say("pinned map %s: %s, key %u B, value %u B, %u entries; this resmond's: "
			    "%s, key %u B, value %u B, %u entries", map_names[i],
			    libbpf_bpf_map_type_str(got.type), got.key_size, got.value_size,
			    got.max_entries, libbpf_bpf_map_type_str(map_want[i].type),
			    map_want[i].key_size, map_want[i].value_size, map_want[i].max_entries);
			return false;
		}
	}
	return true;
}

static void pin_path(char *buf, size_t len, const char *kind, const char *name)
{
	snprintf(buf, len, RESMOND_PIN_DIR "/%s_%s", kind, name);
}

static int get_pin(const char *kind, const char *name)
{
	char p[256];

	pin_path(p, sizeof(p), kind, name);
	return bpf_obj_get(p);
}

static int ensure_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL) < 0) {
		say("cannot mount bpffs on /sys/fs/bpf: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void proto_report(const char *sec, const char *why, void *arg)
{
	(void)arg;
	if (why)
		say("attach point %s does not match: %s", sec, why);
}

/*
 * Every attach point's prototype in the running kernel's BTF, as the
 * programs read it (daemon/protos.c): refuse to load rather than read a
 * moved argument or a narrower return silently.
 */
static int check_protos(struct resmon_bpf *skel, const struct btf *btf)
{
	int bad = protos_check_object(skel->obj, btf, proto_report, NULL);

	if (bad)
		say("refusing to load: %d attach point(s) differ from what the programs read", bad);
	return bad ? -1 : 0;
}

/* Load the object and pin its programs and maps; the fds are then taken from the pins. */
static int load_and_pin(void)
{
	struct resmon_bpf *skel;
	struct bpf_program *prog;
	struct bpf_map *map;
	char p[256];
	int err;

	skel = open_object();
	if (!skel)
		return -1;
	err = check_protos(skel, kernel_btf());
	if (err) {
		resmon_bpf__destroy(skel);
		return -1;
	}
	err = resmon_bpf__load(skel);
	if (err) {
		say("cannot load the BPF programs (verifier log above): %s", strerror(-err));
		resmon_bpf__destroy(skel);
		return -1;
	}
	if (mkdir(RESMOND_PIN_DIR, 0700) < 0 && errno != EEXIST)
		goto fail;
	bpf_object__for_each_program(prog, skel->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		pin_path(p, sizeof(p), "prog", bpf_program__name(prog));
		if (bpf_obj_pin(bpf_program__fd(prog), p) < 0)
			goto fail;
	}
	bpf_object__for_each_map(map, skel->obj) {
		if (strchr(bpf_map__name(map), '.'))
			continue;	/* .rodata: frozen into the programs */
		pin_path(p, sizeof(p), "map", bpf_map__name(map));
		if (bpf_obj_pin(bpf_map__fd(map), p) < 0)
			goto fail;
	}
	resmon_bpf__destroy(skel);
	return 0;
fail:
	say("cannot pin under " RESMOND_PIN_DIR ": %s", strerror(errno));
	resmon_bpf__destroy(skel);
	return -1;
}

static int open_pins(void)
{
	size_t i;

	for (i = 0; i < n_hooks; i++) {
		hook_fd[i] = get_pin("prog", hook_names[i]);
		if (hook_fd[i] < 0)
			return -1;
		link_fd[i] = get_pin("link", hook_names[i]);	/* -1: not attached */
	}
	for (i = 0; i < N_MAPS; i++) {
		map_fd[i] = get_pin("map", map_names[i]);
		if (map_fd[i] < 0)
			return -1;
	}
	op_fd = get_pin("prog", OP_PROG);
	return op_fd < 0 ? -1 : 0;
}

static void close_all(void)
{
	size_t i;

	for (i = 0; i < n_hooks; i++) {
		if (hook_fd[i] >= 0)
			close(hook_fd[i]);
		if (link_fd[i] >= 0)
			close(link_fd[i]);
		hook_fd[i] = link_fd[i] = -1;
	}
	for (i = 0; i < N_MAPS; i++) {
		if (map_fd[i] >= 0)
			close(map_fd[i]);
		map_fd[i] = -1;
	}
	if (op_fd >= 0)
		close(op_fd);
	op_fd = -1;
}

/* The hooks' names from the skeleton, and every descriptor closed (-1). */
static int start_empty(void)
{
	size_t i;

	if (list_hooks() < 0)
		return -1;
	for (i = 0; i < n_hooks; i++)
		hook_fd[i] = link_fd[i] = -1;
	for (i = 0; i < N_MAPS; i++)
		map_fd[i] = -1;
	return 0;
}

static int open_state(void)
{
	uint32_t zero = 0;
	uint64_t build;
	struct stat st;

	if (start_empty() < 0 || ensure_bpffs() < 0)
		return -1;
	if (stat(RESMOND_PIN_DIR, &st) == 0) {
		if (open_pins() < 0) {
			/* A half-made directory (a resmond killed while pinning): start over. */
			say("incomplete pins in " RESMOND_PIN_DIR ": replacing them");
		} else if (!pins_match()) {
			/*
			 * Another version's layouts: serving them would misread every
			 * record. Its programs go, and with them its records' limits.
			 */
			say("the pinned state in " RESMOND_PIN_DIR " is not this resmond version's: "
			    "replacing it (the processes it monitored are no longer monitored)");
		} else {
			say("picked up the pinned state in " RESMOND_PIN_DIR " (%s)",
			    bpfstate_attached(false) ? "attached" : "detached");
			stale_build = pinned_build() != object_build();
			if (stale_build)
				say("the pinned programs are another resmond build's: they go on "
				    "enforcing, and are replaced by this build's once nothing is "
				    "monitored");
			return 0;
		}
		close_all();
		bpfstate_unpin_all();
	}
	if (load_and_pin() < 0 || open_pins() < 0) {
		close_all();
		bpfstate_unpin_all();
		return -1;
	}
	build = object_build();
	if (bpf_map_update_elem(map_fd[MAP_BUILD], &zero, &build, BPF_ANY) < 0)
		say("cannot record the build in the pins: %s", strerror(errno));
	say("loaded and pinned the BPF programs in " RESMOND_PIN_DIR);
	return 0;
}

int bpfstate_open(void)
{
	int err = open_state();

	forget_kernel_btf();
	return err;
}

/* The pinned state of a running resmond, for resmond --status: never loads or unpins. */
int bpfstate_open_pinned(void)
{
	int err = start_empty();

	forget_kernel_btf();
	if (err < 0)
		return -1;
	if (open_pins() < 0 || !pins_match()) {
		close_all();
		return -1;
	}
	return 0;
}

/*
 * The kernel's count of runs of each hook that the BPF trampoline's (or the
 * raw tracepoint's) recursion guard skipped (bpf_prog_info.recursion_misses):
 * @fn(name, misses, arg) for each hook. Returns the sum.
 */
uint64_t bpfstate_misses(void (*fn)(const char *name, uint64_t misses, void *arg), void *arg)
{
	struct bpf_prog_info info;
	uint32_t len;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n_hooks; i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (hook_fd[i] < 0 || bpf_obj_get_info_by_fd(hook_fd[i], &info, &len) < 0)
			continue;
		sum += info.recursion_misses;
		if (fn)
			fn(hook_names[i], info.recursion_misses, arg);
	}
	return sum;
}

/*
 * A hook only jobs need (the data measure, tree jobs): its program's name
 * says so (bpf/resmon.bpf.c: resmon_job_*). The seed's records need the
 * others only, so a process in no job never pays for these while only
 * records exist.
 */
static bool job_hook(size_t i)
{
	return !strncmp(hook_names[i], "resmon_job_", strlen("resmon_job_"));
}

bool bpfstate_attached(bool jobs)
{
	size_t i;

	for (i = 0; i < n_hooks; i++)
		if (link_fd[i] < 0 && (jobs || !job_hook(i)))
			return false;
	return true;
}

int bpfstate_attach(bool jobs)
{
	char p[256];
	size_t i, n = 0;

	for (i = 0; i < n_hooks; i++) {
		if (link_fd[i] >= 0 || (!jobs && job_hook(i)))
			continue;
		link_fd[i] = bpf_raw_tracepoint_open(NULL, hook_fd[i]);
		pin_path(p, sizeof(p), "link", hook_names[i]);
		if (link_fd[i] < 0 || bpf_obj_pin(link_fd[i], p) < 0) {
			int err = errno;

			say("cannot attach %s: %s", hook_names[i], strerror(err));
			bpfstate_detach();
			return -err;
		}
		n++;
	}
	say("attached %zu hooks%s", n, jobs ? " (jobs' too)" : "");
	return 0;
}

/* Detach the hooks (all, or @jobs_only those only jobs need). */
static void detach(bool jobs_only)
{
	char p[256];
	size_t i;
	int was = 0;

	for (i = 0; i < n_hooks; i++) {
		if (jobs_only && !job_hook(i))
			continue;
		pin_path(p, sizeof(p), "link", hook_names[i]);
		unlink(p);
		if (link_fd[i] >= 0) {
			close(link_fd[i]);
			link_fd[i] = -1;
			was = 1;
		}
	}
	if (was)
		say(jobs_only ? "detached the jobs' hooks (no job)" :
				"detached the hooks (nothing monitored)");
}

void bpfstate_detach(void)
{
	detach(false);
}

void bpfstate_detach_jobs(void)
{
	detach(true);
}

bool bpfstate_stale(void)
{
	return stale_build;
}

bool bpfstate_no_jobs(void)
{
	uint64_t key;

	return bpf_map_get_next_key(map_fd[MAP_JOBS], NULL, &key) < 0;
}

bool bpfstate_empty(void)
{
	uint64_t key;

	return bpf_map_get_next_key(map_fd[MAP_RECORDS], NULL, &key) < 0;
}

int bpfstate_records_fd(void)
{
	return map_fd[MAP_RECORDS];
}

int bpfstate_jobs_fd(void)
{
	return map_fd[MAP_JOBS];
}

int bpfstate_job_events_fd(void)
{
	return map_fd[MAP_JOB_EVENTS];
}

int bpfstate_kills_fd(void)
{
	return map_fd[MAP_KILLS];
}

uint64_t bpfstate_max_seq(void)
{
	struct resmon_rec rec;
	uint64_t key, next, max = 0;
	int more = bpf_map_get_next_key(map_fd[MAP_RECORDS], NULL, &next) == 0;

	while (more) {
		key = next;
		if (bpf_map_lookup_elem(map_fd[MAP_RECORDS], &key, &rec) == 0 && rec.seq > max)
			max = rec.seq;
		more = bpf_map_get_next_key(map_fd[MAP_RECORDS], &key, &next) == 0;
	}
	return max;
}

/*
 * Every pin goes, also those of hooks this resmond does not have (pinned by
 * another version, or an optional hook of another kernel's): a link pin
 * left behind would keep its program attached.
 */
void bpfstate_unpin_all(void)
{
	char p[512];
	struct dirent *d;
	DIR *dir;

	bpfstate_detach();
	dir = opendir(RESMOND_PIN_DIR);
	if (dir) {
		while ((d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), RESMOND_PIN_DIR "/%s", d->d_name);
			unlink(p);
		}
		closedir(dir);
	}
	if (rmdir(RESMOND_PIN_DIR) < 0 && errno != ENOENT)
		say("could not remove " RESMOND_PIN_DIR ": %s", strerror(errno));
}

int bpfstate_run(int pidfd, struct resmon_req *req, struct resmon_reply *rep)
{
	union bpf_iter_link_info linfo;
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	uint32_t zero = 0;
	int link, iter, err = 0;
	ssize_t n, got = 0;

	req->done = 0;
	if (bpf_map_update_elem(map_fd[MAP_REQUEST], &zero, req, BPF_ANY) < 0)
		return -errno;
	memset(&linfo, 0, sizeof(linfo));
	linfo.task.pid_fd = (uint32_t)pidfd;
	opts.iter_info = &linfo;
	opts.iter_info_len = sizeof(linfo);
	link = bpf_link_create(op_fd, 0, BPF_TRACE_ITER, &opts);
	if (link < 0)
		return -errno;
	iter = bpf_iter_create(link);
	if (iter < 0) {
		err = -errno;
		close(link);
		return err;
	}
	while ((size_t)got < sizeof(*rep)) {
		n = read(iter, (char *)rep + got, sizeof(*rep) - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				err = -errno;
			break;
		}
		got += n;
	}
	close(iter);
	close(link);
	if (err)
		return err;
	return got == (ssize_t)sizeof(*rep) ? 1 : 0;
}
