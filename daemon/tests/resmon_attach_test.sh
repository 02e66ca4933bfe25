#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# resmon_attach_test: every attach point of the BPF object resmond embeds has, in the
# running kernel's BTF, the prototype the programs read (argument positions, names and
# sizes, return width), so the next Debian point release cannot silently move an argument
# or narrow a return. It runs resmond_protos_test (resmond's own table and checker,
# daemon/protos.c) on /sys/kernel/btf/vmlinux. Runs in a stock-kernel guest
# (scripts/ebpf-tests.sh); the host checks the stock kernels' BTF as data
# (make -C daemon protos-test, from scripts/check.sh). TAP.
exec "$(dirname "$0")/resmond_protos_test" /sys/kernel/btf/vmlinux
