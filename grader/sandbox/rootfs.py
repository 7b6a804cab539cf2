"""An allow-list root filesystem for a runner and the submissions it forks (Linux, root).

A runner builds it once, in a mount namespace of its own, and moves into it (pivot_root): from
then on it and every child it forks see only what :func:`allowed_paths` lists — the operating
system's libraries and programs, the Python installation and its installed packages, the course
library, the student-facing modules of the grader and the course data — all read-only, plus a
fresh /proc that shows each unprivileged process only its own processes, a minimal /dev and empty
temporary folders on which each child mounts its private tmpfs. Everything else (the course's
exercise sources and the grader's other modules, bundles, submissions, every batch's output, the
instructor's home and working folder) is not hidden: it is simply not there, wherever it lives.

Paths that are asked to be hidden but lie inside an allowed tree (a bundle kept in the Python
installation, say) are covered as well: allow-list first, deny-list on top.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from grader.sandbox import isolation

# The grader modules a released notebook imports for check() (see grader/pages.py); the other
# modules (bundles, release, solutions, sources, grading) are for instructors only.
STUDENT_GRADER_MODULES = ("__init__.py", "student.py", "checks.py", "values.py", "testing.py")
SYSTEM_TREES = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin")
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "passwd",
             "group", "nsswitch.conf", "host.conf", "hosts", "mime.types", "os-release",
             "debian_version", "alternatives", "ssl", "ca-certificates", "fonts")
DEVICES = ("null", "zero", "full", "random", "urandom")
# The processor topology numpy, pyarrow and os.cpu_count read; nothing else of /sys.
SYS_TREES = ("/sys/devices/system/cpu",)
MS_NOEXEC = 8
# Where the new root is assembled, inside the runner's private mount namespace only.
ASSEMBLY_POINTS = ("/mnt", "/media", "/opt", "/srv")


def _module_root(name: str) -> str | None:
    module = sys.modules.get(name)
    location = getattr(module, "__file__", None)
    return os.path.dirname(os.path.realpath(location)) if location else None


def allowed_paths(data_dirs: list[str]) -> list[str]:
    """Every path a submission may read: system trees, the Python installation (prefixes and
    the site-packages on sys.path), the course library, the student grader modules, the data.

    A sys.path entry that is neither an installation folder nor site-packages (a repository
    root on PYTHONPATH, the current folder) is never exposed whole: only the packages the
    course needs are taken from it."""
    paths: list[str] = [p for p in SYSTEM_TREES if os.path.lexists(p)]
    paths += [os.path.join("/etc", name) for name in ETC_FILES
              if os.path.lexists(os.path.join("/etc", name))]
    paths += [p for p in SYS_TREES if os.path.isdir(p)]
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix,
              os.path.dirname(os.path.realpath(sys.executable))}
    paths += sorted(python)
    for entry in sys.path:
        if entry and os.path.basename(entry.rstrip("/")) in ("site-packages", "dist-packages"):
            paths.append(entry)
    library = _module_root("minilat")
    if library:
        paths.append(library)
    grader = _module_root("grader")
    if grader:
        paths += [os.path.join(grader, name) for name in STUDENT_GRADER_MODULES
                  if os.path.isfile(os.path.join(grader, name))]
    paths += data_dirs
    return [p for p in dict.fromkeys(paths) if os.path.lexists(p)]


def _outermost(paths: list[str]) -> list[str]:
    """Resolved, existing, deduplicated paths without those inside another one of them."""
    resolved = sorted({os.path.realpath(p) for p in paths if os.path.exists(p)})
    kept: list[str] = []
    for path in resolved:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def _inside(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip("/") + "/")


def visible_hidden(hide: list[str], allowed: list[str]) -> list[str]:
    """The paths of ``hide`` that the allow-list would still show (they lie inside an allowed
    tree) and that are not themselves allowed nor hold anything allowed (grading started from
    the Python installation's folder must not hide Python): these get covered."""
    trees = _outermost(allowed)
    needed = {os.path.realpath(p) for p in allowed if os.path.exists(p)}
    covered = []
    for path in {os.path.realpath(p) for p in hide if os.path.exists(p)}:
        if any(_inside(path, tree) for tree in trees) and \
                not any(_inside(need, path) for need in needed):
            covered.append(path)
    return sorted(covered)


def _mirror(root: str, path: str) -> None:
    """Recreate in ``root`` the symbolic links along ``path`` (e.g. /bin -> usr/bin, a venv's
    python -> the base interpreter), so paths as Python wrote them still resolve there."""
    current = "/"
    for part in Path(path).parts[1:]:
        current = os.path.join(current, part)
        inner = root + current
        if os.path.islink(current) and not os.path.lexists(inner):
            os.makedirs(os.path.dirname(inner), mode=0o755, exist_ok=True)
            os.symlink(os.readlink(current), inner)


def _assembly_point() -> str:
    for folder in ASSEMBLY_POINTS:
        if os.path.isdir(folder) and not os.path.islink(folder):
            return folder
    raise OSError("no folder to assemble the sandbox root in (/mnt, /media, /opt or /srv)")


def enter_allow_list_root(allowed: list[str], hide: list[str]) -> None:
    """In the caller's own (new, private) mount namespace: build the allow-list root and move
    into it. Every mount of it read-only; /tmp, /var/tmp and /dev/shm are empty folders for
    the children's private tmpfs; /proc is a new instance that hides other users' processes."""
    isolation.mount("none", "/", None, isolation.MS_REC | isolation.MS_PRIVATE, None)
    # Handles first: the assembly point may itself lie on the path of an allowed tree.
    handles = [(path, os.open(path, os.O_PATH | os.O_NOFOLLOW)) for path in _outermost(allowed)]
    devices = [(f"/dev/{name}", os.open(f"/dev/{name}", os.O_PATH)) for name in DEVICES
               if os.path.exists(f"/dev/{name}")]
    root = _assembly_point()
    try:
        isolation.mount("tmpfs", root, "tmpfs", isolation.MS_NOSUID | isolation.MS_NODEV,
                        "size=1m,mode=755")
        for path in allowed:  # as written: links along them, e.g. /bin -> usr/bin
            _mirror(root, path)
        for path, handle in handles:  # resolved: the trees themselves
            isolation.bind_handle(root + path, handle)
        for folder in ("tmp", "var/tmp", "dev/shm", "proc"):
            os.makedirs(os.path.join(root, folder), mode=0o755, exist_ok=True)
        for folder in ("tmp", "var/tmp", "dev/shm"):
            os.chmod(os.path.join(root, folder), 0o1777)
        for path, handle in devices:
            isolation.bind_handle(root + path, handle)
        for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                             ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
            os.symlink(target, os.path.join(root, "dev", name))
    finally:
        for _, handle in handles + devices:
            os.close(handle)
    _mount_proc(os.path.join(root, "proc"))
    isolation.pivot_root(root)
    for path in visible_hidden(hide, allowed):
        isolation.cover_path(path)
    isolation.read_only_tree()
    # /proc stays writable: a process sets its own out-of-memory score there (cgroups.py);
    # what else it could write there needs root, which no notebook has.
    isolation.writable_mount("/proc")


def _mount_proc(target: str) -> None:
    flags = isolation.MS_NOSUID | isolation.MS_NODEV | MS_NOEXEC
    for option in ("hidepid=invisible", "hidepid=2"):  # the first needs Linux 5.8
        try:
            isolation.mount("proc", target, "proc", flags, option)
            return
        except OSError:
            continue
    raise OSError("cannot mount a /proc that hides other users' processes")
