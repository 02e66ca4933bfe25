/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Empty on purpose: BPF C includes the UAPI header <linux/resmon.h> (for
 * RESMON_NO_LIMIT, defined once there) after vmlinux.h, which already
 * defines every type <linux/types.h> would, from the kernel's BTF. The
 * host's own header would define them a second time, and pull in
 * <asm/...> headers that do not exist for -target bpf.
 */
