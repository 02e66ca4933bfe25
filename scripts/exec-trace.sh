#!/usr/bin/env bash
# exec-trace.sh NAME COMMAND... — run COMMAND; when EXEC_TRACE (a directory) is set, under
# strace, recording every program it executes in $EXEC_TRACE/NAME.log, for
# scripts/check-deps.py (is each one from a package scripts/install-deps.sh installs?).
# --seccomp-bpf stops only at execve, so a kernel build slows down by a few per cent.
# Not for programs that use ptrace themselves (UML): they cannot be traced twice.
set -euo pipefail
name=$1
shift
[ -n "${EXEC_TRACE:-}" ] || exec "$@"
mkdir -p "$EXEC_TRACE"
exec strace -f --seccomp-bpf -qq -e trace=execve -e signal=none -e status=successful \
	-o "$EXEC_TRACE/$name.log" -- "$@"
