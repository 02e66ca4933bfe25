#!/usr/bin/env bash
# Install the Debian 12 packages needed to build the kernel, the tools and run the VM.
# Idempotent: when everything is already installed this only runs dpkg-query (fast, no
# network), so `make check` can call it every time.
set -euo pipefail

PKGS=(
	linux-source-6.1          # /usr/src/linux-source-6.1.tar.xz, the tree we patch
	make gcc libc6-dev        # toolchain
	gcc-multilib              # tests build -m32 binaries (IA32 compat paths)
	ccache                    # cheap kernel rebuilds
	flex bison bc libelf-dev libssl-dev cpio xz-utils  # kernel build requirements
	python3                   # kunit.py, kernel scripts
	qemu-system-x86           # the test VM
	trinity                   # syscall fuzzer (fuzz target)
	util-linux                # setpriv: unprivileged callers in the guest tests
	gnuplot-nox               # bench/results.png
	kmod zstd                 # stock kernels: depmod on the unpacked image; extract-vmlinux of 6.12 (zstd)
	clang llvm libbpf-dev bpftool  # BPF: CO-RE objects (clang -target bpf), vmlinux.h, bpftool prog load
)

missing=()
for p in "${PKGS[@]}"; do
	# "install ok installed" is the only state that means usable
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
