/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Empty on purpose, like types.h here: the UAPI header's ioctl numbers
 * (_IOR/_IOW) are macros that BPF C never expands, and the host's header
 * would pull in <asm/ioctl.h>, which does not exist for -target bpf.
 */
