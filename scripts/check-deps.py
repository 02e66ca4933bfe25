#!/usr/bin/env python3
"""check-deps.py [TRACE...] - does every command resmon runs come from a package that
scripts/install-deps.sh installs?

A bare Debian 12 machine has only the "required" base and what install-deps.sh lists, so
a command from any other package works on a developer's machine and fails on a new one
(rsync, called by the kernel's `make headers_install`, did exactly that). Two sources:

  * TRACE files: `strace -f -e trace=execve` logs of the host side of `make check`
    (scripts/check.sh records them), i.e. every program really executed, including
    those the kernel's own Makefiles and kunit.py start;
  * a scan of the project's shell scripts for the commands they name (guest-side scripts
    run in the VM, where nothing can be traced from the host).

A command passes if it is the project's own (under the checkout, build/, /tmp), or if the
file, or a command of the same name in a bin directory, belongs to a package of the
allowed set: install-deps.sh's list, everything those packages depend on (recursively),
and Debian's Essential and Priority: required packages. Prints one line per failure,
then "N passed, M failed" (one test per distinct command). Exit status 1 on a failure.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_DIRS = ("/usr/bin", "/bin", "/usr/sbin", "/sbin")
SHELL_WORDS = set("""
if then else elif fi for while until do done case esac in function return local export
set unset shift eval exec ! { } [ [[ ]] test echo printf read cd trap wait kill true
false : . source break continue exit declare readonly mapfile command type pwd umask
getopts let alias ulimit times jobs fg bg builtin hash select time coproc
""".split())


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout


DPKG = "/var/lib/dpkg"


def installed_stanzas():
    """Installed packages from dpkg's status file: name -> its fields."""
    pkgs = {}
    with open(os.path.join(DPKG, "status"), errors="replace") as fh:
        for stanza in fh.read().split("\n\n"):
            fields, key = {}, None
            for line in stanza.splitlines():
                if line[:1].isspace() and key:
                    fields[key] += " " + line.strip()
                elif ":" in line:
                    key, _, val = line.partition(":")
                    fields[key] = val.strip()
            if fields.get("Status", "").endswith(" installed") and "Package" in fields:
                pkgs[fields["Package"]] = fields
    return pkgs


def allowed_packages():
    """install-deps.sh's list, their installed dependencies (recursively, every
    alternative and virtual package resolved to what is installed), and the base."""
    listed = run(os.path.join(ROOT, "scripts/install-deps.sh"), "--list").split()
    installed = installed_stanzas()
    provides = {}
    for name, f in installed.items():
        for v in f.get("Provides", "").split(","):
            v = v.split("(")[0].strip()
            if v:
                provides.setdefault(v, set()).add(name)
    todo = list(listed)
    todo += [n for n, f in installed.items()
             if f.get("Essential") == "yes" or f.get("Priority") == "required"]
    pkgs = set()
    while todo:
        name = todo.pop().split(":")[0]
        if name in pkgs:
            continue
        pkgs.add(name)
        f = installed.get(name, {})
        for field in ("Depends", "Pre-Depends"):
            for alt in f.get(field, "").replace("|", ",").split(","):
                dep = alt.split("(")[0].strip().split(":")[0]
                if dep in installed:
                    todo.append(dep)
                todo.extend(provides.get(dep, ()))
    return listed, pkgs


def file_owners():
    """Every file dpkg knows -> its package, from /var/lib/dpkg/info/*.list."""
    owners = {}
    info = os.path.join(DPKG, "info")
    for f in os.listdir(info):
        if f.endswith(".list"):
            pkg = f[:-5].split(":")[0]
            with open(os.path.join(info, f), errors="replace") as fh:
                for line in fh:
                    owners[line.rstrip("\n")] = pkg
    return owners


def owner(owners, path):
    """The package that owns path, trying both sides of Debian 12's merged /usr."""
    candidates = [path]
    for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"), ("/usr/lib/", "/lib/")):
        if path.startswith(a):
            candidates.append(b + path[len(a):])
        elif path.startswith(b):
            candidates.append(a + path[len(b):])
    for p in candidates:
        if p in owners:
            return owners[p]
    return None


def traced_commands(files):
    """Successful execve paths from strace logs."""
    pat = re.compile(r'execve\("([^"]+)".* = 0$')
    seen = set()
    for f in files:
        with open(f, errors="replace") as fh:
            for line in fh:
                m = pat.search(line)
                if m:
                    seen.add(m.group(1))
    return seen


def scripted_commands():
    """Command words in the project's shell scripts, resolved through PATH."""
    names = set()
    scripts = []
    for top in ("scripts", "user/tests", "bench", ".ci"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                p = os.path.join(dirpath, f)
                if f.endswith(".sh") or f == "run":
                    scripts.append(p)
    split = re.compile(r"\|\||&&|[;|&`(]|\$\(|\bthen\b|\bdo\b|\belse\b")
    for p in scripts:
        text = open(p, errors="replace").read()
        funcs = set(re.findall(r"^\s*([A-Za-z_][\w-]*)\s*\(\)", text, re.M))
        for line in text.splitlines():
            line = line.split(" #")[0]
            if line.lstrip().startswith("#"):
                continue
            for seg in split.split(line):
                words = seg.split()
                while words and (re.match(r"^\w+=", words[0]) or words[0] in
                                 ("!", "sudo", "exec", "command", "timeout", "env",
                                  "nice", "setsid", "{", "time")):
                    # the command behind a prefix word (timeout takes a duration)
                    if words[0] == "timeout" and len(words) > 1:
                        words = [w for w in words[1:] if not re.match(r"^-|^\d", w)]
                        continue
                    words = words[1:]
                if not words:
                    continue
                w = words[0]
                if (w in SHELL_WORDS or w in funcs or
                        not re.match(r"^[a-z][a-z0-9._+-]*$", w)):
                    continue
                names.add(w)
    found = set()
    for n in names:
        for d in BIN_DIRS:
            p = os.path.join(d, n)
            if os.path.isfile(p) and os.access(p, os.X_OK):
                found.add(p)
                break
    return found


def main():
    listed, pkgs = allowed_packages()
    owners = file_owners()
    bin_names = {os.path.basename(f) for f, pkg in owners.items()
                 if pkg in pkgs and os.path.dirname(f) in BIN_DIRS}
    paths = traced_commands(sys.argv[1:]) | scripted_commands()
    ours = (ROOT + "/", "/tmp/", "/run/", "/proc/self/")
    passed = failed = 0
    done = set()
    for path in sorted(paths):
        real = os.path.realpath(path)
        name = os.path.basename(path)
        if real.startswith(ours) or path.startswith(ours) or name in done:
            continue
        done.add(name)
        pkg = owner(owners, real) or owner(owners, path)
        if (pkg and pkg in pkgs) or name in bin_names:
            passed += 1
            continue
        failed += 1
        where = f"package {pkg}" if pkg else "no Debian package (installed by hand?)"
        print(f"FAIL {name} ({path}) comes from {where}, which scripts/install-deps.sh "
              "does not install")
    print(f"check-deps: {passed + failed} commands checked against the "
          f"{len(listed)} packages of scripts/install-deps.sh and their dependencies")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
