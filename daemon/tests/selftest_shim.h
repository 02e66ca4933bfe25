/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included (-include) into the kernel edition's selftests
 * (linux/tools/testing/selftests/resmon/) to run them, unchanged, on the
 * eBPF edition: their resmon system calls 451-456 go through libresmon,
 * which talks to resmond; every other syscall() is passed on, and
 * /proc/resmon is read from resmond's list. See
 * daemon/Makefile (selftests-ebpf) and scripts/ebpf-tests.sh.
 */
#ifndef RESMON_SELFTEST_SHIM_H
#define RESMON_SELFTEST_SHIM_H

#define __NR_resmon_hello	451
#define __NR_resmon_register	452
#define __NR_resmon_fetch	453
#define __NR_resmon_deregister	454
#define __NR_resmon_cap		455
#define __NR_resmon_reset	456

long rm_shim_syscall(long nr, ...);
#define syscall rm_shim_syscall
/* fopen("/proc/resmon") reads resmon_list() in the file's format; other paths are fopen's. */
#define fopen rm_shim_fopen

#endif
