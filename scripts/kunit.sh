#!/usr/bin/env bash
# kunit.sh — resmon's KUnit suite (linux/kernel/resmon/quota_kunit.c) under UML,
# with the kernel's own runner: tools/testing/kunit/kunit.py run.
# Builds a UML kernel from the prepared resmon tree into build/kunit (incremental,
# ccache), runs it, and prints kunit.py's summary. Exit status non-zero on any
# failure. check.sh counts the "[PASSED]"/"[FAILED]" lines it prints.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/prepare-tree.sh" resmon
cd "$ROOT/build/src/resmon"
# Hash paths relative to the checkout, so a clone in another folder hits the cache.
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
exec python3 tools/testing/kunit/kunit.py run \
	--kunitconfig=kernel/resmon/.kunitconfig \
	--build_dir="$ROOT/build/kunit" \
	--jobs="$(nproc)" \
	--make_options CC="ccache gcc"
