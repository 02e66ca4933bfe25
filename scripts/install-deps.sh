#!/usr/bin/env bash
# install-deps.sh — the one place that lists the Debian 12 packages resmon needs, and
# installs the missing ones. Every make target that builds, boots or tests runs it first
# (`make deps`), so a bare Debian 12 machine needs nothing installed by hand.
#
# Idempotent and quick: when everything is installed this runs one dpkg-query (no network).
#   scripts/install-deps.sh          install what is missing (root, or sudo)
#   scripts/install-deps.sh --build  only what building the programs needs (`make install`:
#                                    the library, the command, resmond; debian/control's
#                                    Build-Depends say the same for the packages)
#   scripts/install-deps.sh --list   print the package names, one a line (scripts/check-deps.sh)
#
# A command the scripts run that comes from none of these packages (nor from Debian's
# "required" base) makes scripts/check-deps.sh fail: that is how a missing entry is caught.
set -euo pipefail

# Building the programs (make install, make deb).
BUILD_PKGS=(
	make gcc libc6-dev        # toolchain
	clang llvm libbpf-dev bpftool  # BPF: CO-RE objects (clang -target bpf), the skeleton
	libelf-dev zlib1g-dev     # resmond links libbpf, which needs them
	xz-utils                  # bpf/vmlinux.h.xz
)
# Everything else: the kernels, the guests, the tests, the packages' tests.
PKGS=(
	"${BUILD_PKGS[@]}"
	linux-source-6.1          # /usr/src/linux-source-6.1.tar.xz, the tree we patch
	git                       # the checkout itself; fresh-root.sh clones it
	g++                       # host_header_test: resmon.h must compile as C++ too
	pkgconf                   # the kernel build asks pkg-config for libelf/openssl
	gcc-multilib              # tests build -m32 binaries (IA32 compat paths)
	ccache                    # cheap kernel rebuilds
	flex bison bc libssl-dev cpio  # kernel build requirements (and libelf-dev, xz-utils)
	patch                     # prepare-tree.sh applies patches/*.patch
	rsync                     # the kernel's `make headers_install`
	python3                   # kunit.py, kernel scripts
	qemu-system-x86           # the test VM
	procps                    # pkill/pgrep: vm.sh stops a stalled guest, fuzz loops
	trinity                   # syscall fuzzer (fuzz target)
	util-linux                # setpriv: unprivileged callers in the guest tests; flock
	gnuplot-nox               # bench/results.png
	strace                    # check.sh records every command the build runs (check-deps.sh)
	debootstrap               # scripts/fresh-root.sh: a bare Debian 12 root for check-fresh
	bzip2                     # extract-vmlinux tries every decompressor on a stock image
	kmod zstd                 # stock kernels: depmod on the unpacked image; extract-vmlinux of 6.12 (zstd)
	# bpftool also: vmlinux.h of the stock kernels, bpftool prog load in the guests
	dwarves                   # pahole: BTF for the lsm kernel (BPF-LSM, resmon_lsm_test)
	debhelper dpkg-dev        # make deb: dpkg-buildpackage and dh
	build-essential           # dpkg-checkbuilddeps requires it of every source package
	lintian                   # make check: the packages pass lintian
	systemd                   # systemd-analyze verify resmond.service
)

if [ "${1:-}" = --build ]; then
	PKGS=("${BUILD_PKGS[@]}")
elif [ "${1:-}" = --list ]; then
	printf '%s\n' "${PKGS[@]}"
	exit 0
fi

# One dpkg-query for all: "install ok installed" is the only state that means usable.
declare -A ok=()
while read -r name state; do
	[ "$state" = "install ok installed" ] && ok[${name%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${PKGS[@]}" 2>/dev/null || true)
missing=()
for p in "${PKGS[@]}"; do [ -n "${ok[$p]:-}" ] || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
