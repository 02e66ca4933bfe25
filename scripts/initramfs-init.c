// SPDX-License-Identifier: GPL-2.0
/*
 * initramfs-init — /init of the initramfs scripts/stock-kernel.sh builds for Debian's
 * stock kernels (KERNEL=stock-*). Those kernels have virtio-pci (6.1 only), 9pnet,
 * 9pnet_virtio, 9p and netfs as modules, so the kernel cannot mount the 9p root itself.
 * This init:
 *
 *   1. mounts devtmpfs on /dev and takes /dev/console as stdin/stdout/stderr;
 *   2. loads the modules listed, in order, in /modules/load (scripts/stock-kernel.sh
 *      wrote it from the image's modules.dep: dependencies first), with finit_module(2);
 *      a compressed module (.ko.xz on 6.12) is handed to the kernel as it is
 *      (MODULE_INIT_COMPRESSED_FILE, CONFIG_MODULE_DECOMPRESS=y there);
 *   3. mounts the root named by the kernel command line (root= rootfstype= rootflags=
 *      ro, exactly what scripts/vm.sh passes to every kernel) on /root;
 *   4. moves /dev there, makes /root the root (MS_MOVE + chroot, as switch_root does)
 *      and executes the command line's init= (scripts/guest-init.sh) with the
 *      arguments and environment the kernel gave this process.
 *
 * From there the boot is the same as on our own kernels. The initramfs itself (this
 * binary and a few modules, under 2 MB) stays in memory: not worth a recursive delete
 * in a throw-away VM. On any failure it prints one "RESMON-VM-ERROR: initramfs: ..."
 * line, which scripts/vm.sh reports, and powers the VM off. Static, no libraries.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4	/* <linux/module.h>, Linux 6.4+ */
#endif

/* How long the 9p channel may take to appear once 9pnet_virtio is loaded. */
#define ROOT_WAIT_MS 10000

static void fail(const char *fmt, const char *arg, int err)
{
	printf("RESMON-VM-ERROR: initramfs: ");
	printf(fmt, arg);
	printf(err ? ": %s\n" : "\n", strerror(err));
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void console(void)
{
	int fd;

	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY)
		return;	/* nowhere to say it; the kernel's own console lines remain */
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void load_modules(void)
{
	char line[512], path[600];
	FILE *list = fopen("/modules/load", "r");

	if (!list)
		fail("no /modules/load", "", errno);
	while (fgets(line, sizeof(line), list)) {
		int fd, flags = 0;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		snprintf(path, sizeof(path), "/modules/%s", line);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fail("open %s", path, errno);
		if (!ends_with(line, ".ko"))
			flags = MODULE_INIT_COMPRESSED_FILE;
		if (syscall(SYS_finit_module, fd, "", flags) && errno != EEXIST)
			fail("load module %s", line, errno);
		close(fd);
	}
	fclose(list);
}

/* The value of "key=" on the kernel command line (before "--"), or NULL. */
static char cmdline[4096];

static const char *param(const char *key)
{
	static char val[1024];
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		size_t len;

		p += strspn(p, " \n");
		len = strcspn(p, " \n");
		if (len == 2 && !strncmp(p, "--", 2))
			break;
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(val, sizeof(val), "%.*s", (int)(len - klen - 1), p + klen + 1);
			return val;
		}
		if (len == klen && !strncmp(p, key, klen))
			return "";
		p += len;
	}
	return NULL;
}

static void read_cmdline(void)
{
	ssize_t n;
	int fd;

	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL))
		fail("mount /proc", "", errno);
	fd = open("/proc/cmdline", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, cmdline, sizeof(cmdline) - 1);
	if (n < 0)
		fail("read /proc/cmdline", "", errno);
	cmdline[n] = '\0';
	close(fd);
	umount("/proc");
}

static void mount_root(void)
{
	const char *dev, *type, *opts;
	char src[256], fstype[64];
	unsigned long flags = param("ro") ? MS_RDONLY : 0;
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	int waited = 0;

	/* param() returns its one static buffer: copy each value before the next call. */
	dev = param("root");
	if (!dev)
		fail("no root= on the kernel command line%s", "", 0);
	snprintf(src, sizeof(src), "%s", dev);
	type = param("rootfstype");
	if (!type)
		fail("no rootfstype= on the kernel command line%s", "", 0);
	snprintf(fstype, sizeof(fstype), "%s", type);
	opts = param("rootflags");
	mkdir("/root", 0755);
	/*
	 * finit_module returns once the driver is registered and has probed, but a
	 * virtio device can still be coming up: give the channel a moment to appear
	 * (9p says ENOENT, "no channels available", until it does).
	 */
	while (mount(src, "/root", fstype, flags, opts)) {
		if (errno != ENOENT || waited >= ROOT_WAIT_MS)
			fail("mount the root %s", src, errno);
		nanosleep(&tick, NULL);
		waited += 50;
	}
}

static void switch_root(void)
{
	if (mount("/dev", "/root/dev", NULL, MS_MOVE, NULL))
		fail("move /dev to the new root", "", errno);
	if (chdir("/root") || mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/"))
		fail("switch to the new root", "", errno);
}

int main(int argc, char **argv, char **envp)
{
	const char *init;
	char path[1024];

	(void)argc;
	console();
	read_cmdline();
	load_modules();
	mount_root();
	init = param("init");
	if (!init || !init[0])
		fail("no init= on the kernel command line%s", "", 0);
	snprintf(path, sizeof(path), "%s", init);
	switch_root();
	/* argv[1..] and envp are what the kernel passed to /init: guest-init.sh's own. */
	argv[0] = path;
	execve(path, argv, envp);
	fail("exec %s", path, errno);
	return 1;
}
