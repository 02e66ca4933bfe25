// SPDX-License-Identifier: GPL-2.0
/*
 * guest-helper — the parts of the test VM's init that are faster or only possible in C.
 *
 *   guest-helper setup NCPUS ROOT
 *                              mount proc, sysfs, devtmpfs, devpts, tmpfs (/tmp, /run,
 *                              /dev/shm), debugfs, and where the kernel has them tracefs,
 *                              securityfs and bpffs; check the guest sees NCPUS CPUs; if
 *                              those tmpfs hid the checkout ROOT (a clone under /tmp),
 *                              mount it back from its own 9p share (tag "repo")
 *   guest-helper poweroff      power the VM off now
 *
 * Why C: under TCG every exec of a dynamically linked host binary over 9p costs tens to
 * hundreds of milliseconds; doing the seven mounts with /bin/mount took seconds of each
 * boot. And Debian's /sbin/poweroff asks systemd, which is not running here; reboot(2)
 * with RB_POWER_OFF goes straight to ACPI and QEMU exits. Built static by scripts/vm.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

static void mnt(const char *type, const char *dir, const char *opts)
{
	mkdir(dir, 0755);	/* only works on tmpfs/devtmpfs; the 9p root already has them */
	if (mount(type, dir, type, 0, opts) && errno != EBUSY) {
		fprintf(stderr, "guest-helper: mount %s on %s: %s\n", type, dir, strerror(errno));
		failed = 1;
	}
}

/*
 * A file system the kernel may lack (our tinyconfig kernels have no BPF or tracefs):
 * sysfs shows its mount point only when it is built in, and then it must mount.
 */
static void mnt_if_present(const char *type, const char *dir)
{
	if (access(dir, F_OK) == 0)
		mnt(type, dir, NULL);
}

static int is_mountpoint(const char *dir)
{
	struct stat root, st;

	return !stat("/", &root) && !stat(dir, &st) && st.st_dev != root.st_dev;
}

/* mkdir -p, on the tmpfs that now covers the path. */
static void mkdir_p(const char *path)
{
	char buf[4096];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/*
 * The checkout must stay visible at its own path: tests, tools and this init live
 * there. A checkout under /tmp (or /run) is hidden by the tmpfs mounted above, so
 * scripts/vm.sh also shares it on its own, and it goes back on top of the tmpfs.
 */
static void keep_checkout(const char *root)
{
	char probe[4096];

	snprintf(probe, sizeof(probe), "%s/scripts/guest-init.sh", root);
	if (access(probe, F_OK) == 0)
		return;
	mkdir_p(root);
	if (mount("repo", root, "9p", MS_RDONLY,
		  "trans=virtio,version=9p2000.L,cache=loose") || access(probe, F_OK)) {
		fprintf(stderr, "guest-helper: cannot see the checkout %s: %s\n", root,
			strerror(errno));
		failed = 1;
	}
}

static int setup(long want_cpus, const char *root)
{
	long cpus;

	mnt("proc", "/proc", NULL);
	mnt("sysfs", "/sys", NULL);
	if (!is_mountpoint("/dev"))	/* CONFIG_DEVTMPFS_MOUNT normally did it already */
		mnt("devtmpfs", "/dev", NULL);
	mnt("devpts", "/dev/pts", "gid=5,mode=620,ptmxmode=666");
	mnt("tmpfs", "/dev/shm", "mode=1777");
	mnt("tmpfs", "/tmp", "mode=1777");
	mnt("tmpfs", "/run", "mode=755");
	/* For BPF on the stock kernels: tracing, BPF-LSM's view, pinned objects. */
	mnt_if_present("debugfs", "/sys/kernel/debug");
	mnt_if_present("tracefs", "/sys/kernel/tracing");
	mnt_if_present("securityfs", "/sys/kernel/security");
	mnt_if_present("bpf", "/sys/fs/bpf");
	sethostname("resmon-vm", 9);
	keep_checkout(root);

	/* Without ACPI a tinyconfig kernel silently runs on one CPU whatever -smp says. */
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus != want_cpus) {
		printf("RESMON-VM-ERROR: guest sees %ld CPUs, QEMU was given %ld\n", cpus, want_cpus);
		failed = 1;
	}
	return failed;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "setup"))
		return setup(atol(argv[2]), argv[3]);
	if (argc == 2 && !strcmp(argv[1], "poweroff")) {
		sync();
		reboot(RB_POWER_OFF);
		perror("guest-helper: reboot(RB_POWER_OFF)");
		return 1;
	}
	fprintf(stderr, "usage: guest-helper setup NCPUS ROOT | poweroff\n");
	return 2;
}
