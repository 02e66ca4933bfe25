# resmon — top-level Makefile. Everything lands in build/ (see .gitignore).
#
#   make run            boot the resmon kernel: a shell on a terminal, else scripts/demo.sh
#   make check          deps + kernel + user + selftests, then all tests in one guest boot
#   make check-fresh    both of the above from a fresh clone in a bare Debian 12 root (CI)
#
#   make deps           install missing Debian 12 packages (every target runs it first)
#   make kernel         build build/kernel-$(KERNEL)/arch/x86/boot/bzImage
#   make user           libresmon + resmon CLI into build/lib, build/bin
#   make ebpf           the eBPF edition: BPF programs + resmond (build/bin/resmond)
#   make selftests      tools/testing/selftests/resmon into build/bin (raw system calls)
#   make selftests-lib  the same tests through libresmon: build/bin/resmon_*_test.lib
#   make vm CMD='...'   run a command in a fresh guest (make exits 2 if it fails;
#                       scripts/vm.sh 'cmd' returns the command's own status);
#                       KERNEL=stock-6.1|stock-6.12 boots Debian's own kernel image
#   make stock-kernels  fetch and prepare both stock kernels (scripts/stock-kernel.sh)
#   make stock-tests    the BPF object scripts/stock-tests.sh loads in those guests
#   make install        what the packages install: the command, the library, its header,
#                       pkg-config file and man pages, resmond, its unit and man page
#                       (PREFIX=/usr/local LIBDIR=PREFIX/lib DESTDIR=); needs only the
#                       programs' build dependencies. make uninstall removes it.
#   make deb            the Debian packages resmon, libresmon1, libresmon-dev and resmond
#                       (dpkg-buildpackage -b; into build/deb/)
#   make deb-install-test  apt-get install of those packages in a bare Debian 12 root
#                       (debootstrap minbase, cached in build/deb-install/), then each used
#   make deb-kernel     the kernel edition as linux-image/-headers packages of Debian's 6.1
#                       with resmon (Debian's config; hours here; into build/deb-kernel/)
#   make bench          vanilla vs resmon side by side, one fresh guest per case
#                       (writes bench/RESULTS.md, bench/results.png)
#   make fuzz           trinity + resmon_fuzz in the guest (FUZZ_SECONDS=60 each;
#                       KERNEL=debug recommended)
#   make kunit          resmon's KUnit suite under UML (also part of check)
#   make rules-test     the host unit test of the rulebook (rules.h), KUnit's cases
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
# Passed to the guest as typed: `make vm CMD='echo $$(uname -r)'` must not have make
# expand $(uname -r) (to nothing) before the guest's shell sees it.
override CMD := $(value CMD)
export KERNEL CMD SMP MEM ICOUNT KVM TIMEOUT V STOCK_ELF

BUILD := $(abspath build)

.PHONY: all deps kernel user ebpf selftests vm run check check-fresh install uninstall deb \
	bench fuzz kunit clean stock-kernels stock-tests build-deps rules-test deb-kernel \
	deb-install-test
all: kernel user ebpf selftests

# Every target that builds, boots or tests starts here: on a bare Debian 12 machine it
# installs what is missing (the one package list is scripts/install-deps.sh), otherwise
# it is one dpkg-query.
deps:
	@scripts/install-deps.sh

kernel: deps
	scripts/build-kernel.sh $(KERNEL)

user: deps
	@if [ -f user/Makefile ]; then $(MAKE) -C user BUILD=$(BUILD); \
	else echo "user: no user/Makefile yet, skipping"; fi

# The eBPF edition: the BPF object (CO-RE, against bpf/vmlinux.h.xz: the pinned stock 6.1
# kernel's BTF, kept in the repository) and resmond, into build/bin beside resmon.
ebpf: user selftests-lib
	$(MAKE) -C bpf BUILD=$(BUILD)
	$(MAKE) -C daemon BUILD=$(BUILD)

# The kselftests again, through libresmon (resmon_*_test.lib): the eBPF edition's suite.
include tests/selftests-lib.mk

# The selftests build inside the prepared resmon tree (they include ../lib.mk and the
# kselftest harness from it) against the UAPI headers installed by the resmon kernel build;
# resmon_lsm_test's BPF policy against the BTF of the kernel under test (KERNEL, if built).
selftests: deps
	scripts/build-kernel.sh resmon headers
	$(MAKE) -C build/src/resmon/tools/testing/selftests/resmon \
		OUTPUT=$(BUILD)/bin KHDR_INCLUDES=-I$(BUILD)/kernel-resmon/usr/include \
		VMLINUX_BTF=$(BUILD)/kernel-$(KERNEL)/vmlinux

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
vm: deps kernel user
	@scripts/vm.sh "$$CMD"

run: deps kernel user
	@if [ -t 0 ] && [ -t 1 ] && [ -z "$$CMD" ]; then scripts/vm.sh; \
	else scripts/vm.sh "$${CMD:-scripts/demo.sh}"; fi

# The suite runs on the debug kernel unless KERNEL= is given (KERNEL=resmon is quicker).
check: deps
	$(if $(filter command line environment,$(origin KERNEL)),,KERNEL=debug) scripts/check.sh

# The README's two commands, from a fresh clone of HEAD, in a new bare Debian 12 root
# (debootstrap minbase): what .ci/run does, and how a contributor proves a change
# hides no missing install step (scripts/fresh-root.sh; FRESH_CCACHE=0 to build cold).
check-fresh: deps
	scripts/fresh-root.sh

# Installing needs only what building the programs needs (no QEMU, no kernel sources).
build-deps:
	@scripts/install-deps.sh --build
INSTALL_VARS = BUILD=$(BUILD)/install $(foreach v,PREFIX LIBDIR DESTDIR,$(if $($(v)),$(v)=$($(v))))
install: build-deps
	$(MAKE) -C user install $(INSTALL_VARS)
	$(MAKE) -C bpf BUILD=$(BUILD)/install
	$(MAKE) -C daemon $(BUILD)/install/bin/resmond install $(INSTALL_VARS)
uninstall:
	$(MAKE) -C user uninstall $(INSTALL_VARS)
	$(MAKE) -C daemon uninstall $(INSTALL_VARS)

# The Debian packages (debian/), built by Debian's own tools; copied to build/deb/.
deb: deps
	scripts/build-debs.sh
	install -D -m 755 tests/packages/resmond_deb_test.sh $(BUILD)/bin/resmond_deb_test

# An administrator's install of those packages with apt (scripts/deb-install-test.sh).
deb-install-test: deb
	scripts/deb-install-test.sh

# The kernel edition as packages: linux-image/-headers of Debian's 6.1 with resmon, from
# Debian's own config (scripts/build-deb-kernel.sh; hours here, so not in make check).
# Boot them with: make vm KERNEL=deb-resmon
deb-kernel:
	scripts/build-deb-kernel.sh

# Benchmark, vanilla vs resmon, one fresh guest per case (bench/README.md).
# The kernels a mode needs: our two for icount and smp, Debian's and resmond for stock.
BENCH_MODES ?= icount smp
export BENCH_MODES
bench: deps
	case " $(BENCH_MODES) " in *" icount "*|*" smp "*) \
		scripts/build-kernel.sh resmon && scripts/build-kernel.sh vanilla ;; esac
	case " $(BENCH_MODES) " in *" stock "*) $(MAKE) ebpf stock-kernels ;; esac
	$(MAKE) -C bench BUILD=$(BUILD)
	bench/run.sh

FUZZ_SECONDS ?= 60
fuzz: deps kernel user selftests
	TIMEOUT=$$(( 3 * $(FUZZ_SECONDS) + 600 )) scripts/vm.sh "scripts/fuzz-guest.sh $(FUZZ_SECONDS)"

kunit: deps
	scripts/kunit.sh

# The rulebook's cases (linux/kernel/resmon/rules_cases.h) on the host; KUnit runs them too.
rules-test:
	$(MAKE) -C tests/rules BUILD=$(BUILD) test

clean:
	rm -rf build
