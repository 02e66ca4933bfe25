# resmon — top-level Makefile. Everything lands in build/ (see .gitignore).
#
#   make run            boot the resmon kernel: a shell on a terminal, else scripts/demo.sh
#   make check          deps + kernel + user + selftests, then all tests in one guest boot
#
#   make deps           install Debian 12 packages (scripts/install-deps.sh)
#   make kernel         build build/kernel-$(KERNEL)/arch/x86/boot/bzImage
#   make user           libresmon + resmon CLI into build/lib, build/bin
#   make ebpf           the eBPF edition: BPF programs + resmond (build/bin/resmond)
#   make selftests      tools/testing/selftests/resmon into build/bin
#   make vm CMD='...'   run a command in a fresh guest (make exits 2 if it fails;
#                       scripts/vm.sh 'cmd' returns the command's own status);
#                       KERNEL=stock-6.1|stock-6.12 boots Debian's own kernel image
#   make stock-kernels  fetch and prepare both stock kernels (scripts/stock-kernel.sh)
#   make stock-tests    the BPF object scripts/stock-tests.sh loads in those guests
#   make install        the command, library, header, pkg-config file, man pages
#                       (PREFIX=/usr/local DESTDIR=)
#   make bench          vanilla vs resmon side by side, one fresh guest per case
#                       (writes bench/RESULTS.md, bench/results.png)
#   make fuzz           trinity + resmon_fuzz in the guest (FUZZ_SECONDS=60 each;
#                       KERNEL=debug recommended)
#   make kunit          resmon's KUnit suite under UML (also part of check)
#   make clean          remove build/ (the ccache in ~/.cache/ccache stays)
#
# Knobs (command line or environment):
#   KERNEL=resmon|debug|vanilla|stock-6.1|stock-6.12 (VANILLA=1 = KERNEL=vanilla)
#   SMP=2  MEM=1G
#   ICOUNT=1 (deterministic guest time, SMP=1)  KVM=1  TIMEOUT=seconds  V=1 (verbose)

KERNEL ?= resmon
ifeq ($(VANILLA),1)
override KERNEL := vanilla
endif
# SMP (default 2, 1 with ICOUNT=1) and MEM (default 1G) defaults live in scripts/vm.sh.
CMD ?=
export KERNEL CMD SMP MEM ICOUNT KVM TIMEOUT V

BUILD := $(abspath build)

.PHONY: all deps kernel user ebpf selftests vm run check install bench fuzz kunit clean \
	stock-kernels stock-tests
all: kernel user ebpf selftests

deps:
	scripts/install-deps.sh

kernel:
	scripts/build-kernel.sh $(KERNEL)

user:
	@if [ -f user/Makefile ]; then $(MAKE) -C user BUILD=$(BUILD); \
	else echo "user: no user/Makefile yet, skipping"; fi

# The eBPF edition: the BPF object (CO-RE, vmlinux.h from the pinned stock 6.1 kernel's BTF,
# unpacked by scripts/stock-kernel.sh) and resmond, into build/bin beside resmon.
ebpf:
	scripts/stock-kernel.sh stock-6.1
	$(MAKE) -C bpf BUILD=$(BUILD)
	$(MAKE) -C daemon BUILD=$(BUILD)

# The selftests build inside the prepared resmon tree (they include ../lib.mk and the
# kselftest harness from it) against the UAPI headers installed by the resmon kernel build.
selftests:
	scripts/build-kernel.sh resmon headers
	$(MAKE) -C build/src/resmon/tools/testing/selftests/resmon \
		OUTPUT=$(BUILD)/bin KHDR_INCLUDES=-I$(BUILD)/kernel-resmon/usr/include

# Debian's stock kernels (config/stock-kernels.conf): download, unpack, vmlinux(.h),
# initramfs into build/kernel-stock-*/. Idempotent; make vm does it on first use too.
STOCK_KERNELS := stock-6.1 stock-6.12
stock-kernels:
	@for k in $(STOCK_KERNELS); do scripts/stock-kernel.sh $$k || exit 1; done

# The fentry smoke test of scripts/stock-tests.sh: one CO-RE object, built against
# stock-6.1's vmlinux.h, that loads on both stock kernels.
STOCK_VMLINUX_H := $(BUILD)/kernel-stock-6.1/vmlinux.h
STOCK_BPF := $(BUILD)/stock-tests/fentry_smoke.bpf.o
stock-tests:
	@scripts/stock-kernel.sh stock-6.1
	@$(MAKE) --no-print-directory $(STOCK_BPF)
$(STOCK_BPF): tests/stock/fentry_smoke.bpf.c $(STOCK_VMLINUX_H)
	@mkdir -p $(@D)
	clang -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-I$(dir $(STOCK_VMLINUX_H)) -c $< -o $@

# $$CMD comes from the environment, so make never re-parses the command's quotes.
vm:
	@scripts/vm.sh "$$CMD"

run: kernel user
	@if [ -t 0 ] && [ -t 1 ] && [ -z "$$CMD" ]; then scripts/vm.sh; \
	else scripts/vm.sh "$${CMD:-scripts/demo.sh}"; fi

# The suite runs on the debug kernel unless KERNEL= is given (KERNEL=resmon is quicker).
check:
	$(if $(filter command line environment,$(origin KERNEL)),,KERNEL=debug) scripts/check.sh

install:
	$(MAKE) -C user install BUILD=$(BUILD)

# Benchmark, vanilla vs resmon, one fresh guest per case (bench/README.md).
bench: deps
	scripts/build-kernel.sh resmon
	scripts/build-kernel.sh vanilla
	$(MAKE) -C bench BUILD=$(BUILD)
	bench/run.sh

FUZZ_SECONDS ?= 60
fuzz: deps kernel user selftests
	TIMEOUT=$$(( 3 * $(FUZZ_SECONDS) + 600 )) scripts/vm.sh "scripts/fuzz-guest.sh $(FUZZ_SECONDS)"

kunit: deps
	scripts/kunit.sh

clean:
	rm -rf build
