"""OS-level protections for a submission's process (Linux first; degrade elsewhere, and say so).

As root on Linux the child runs in its runner's allow-list root (:mod:`grader.sandbox.rootfs`:
only the system, Python, the course library and data, read-only) and gets its own mount, IPC and
network namespaces (no network at all, no abstract Unix socket or System V shared memory shared
with another notebook; a private, size-limited /tmp the only place it can write), its own
unprivileged uid/gid (one per child, so children cannot touch each other), no supplementary
groups, ``no_new_privs`` (setuid programs cannot raise it back) and a control group that counts
its whole process tree (:mod:`grader.sandbox.cgroups`). Everywhere: resource limits.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import resource
import signal
import stat
import sys
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_NO_NEW_PRIVS = 38
# mount_setattr(2) (Linux 5.12+): the same number on x86-64 and on the generic syscall table.
SYS_MOUNT_SETATTR = 442
AT_FDCWD = -100
AT_RECURSIVE = 0x8000
MOUNT_ATTR_RDONLY = 0x1
PR_SET_CHILD_SUBREAPER = 36
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}
MNT_DETACH = 2
# Children get uid/gid BASE_UID + their pid: unique among live children, unused by real accounts.
BASE_UID = 200_000
SCRATCH = "/tmp/submission"

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True) if sys.platform == "linux" else None


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def is_linux_root() -> bool:
    """Root on Linux: the full sandbox. ``COURSE_GRADER_LIMITS_ONLY=1`` turns it off, giving
    what a normal user or macOS gets (resource limits, no uid drop, no namespaces) — for tests."""
    if os.environ.get("COURSE_GRADER_LIMITS_ONLY") == "1":
        return False
    return sys.platform == "linux" and os.geteuid() == 0


def unshare(flags: int) -> None:
    if _libc is None:
        raise OSError("unshare is Linux only")
    _check(_libc.unshare(flags), "unshare")


def mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    if _libc is None:
        raise OSError("mount is Linux only")
    _check(
        _libc.mount(
            source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def read_only_tree() -> None:
    """Make every mount of this (new) namespace read-only, so the only places a submission can
    write are the private tmpfs mounted afterwards: no world-writable folder of the machine
    (such as /run/lock) keeps its files after it, or passes them to the next one."""
    if _libc is None:
        raise OSError("mount_setattr is Linux only")
    attr = _MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0)
    if _libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, b"/", AT_RECURSIVE, ctypes.byref(attr),
                     ctypes.sizeof(attr)) == 0:
        return
    # An older kernel: the root mount at least (each mount's flag is its own).
    mount("none", "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)


def pivot_root(new_root: str) -> None:
    """Make ``new_root`` this mount namespace's root and drop the old one (pivot_root(2))."""
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is None or _libc is None:
        raise OSError(f"pivot_root is not known on {platform.machine()}")
    os.chdir(new_root)
    _check(_libc.syscall(number, b".", b"."), "pivot_root")
    # The old root is stacked under the new one at "/": detach it, then stand in the new one.
    _check(_libc.umount2(b".", MNT_DETACH), "umount old root")
    os.chdir("/")


def writable_mount(path: str) -> None:
    """Clear the read-only flag of the one mount at ``path`` (not those below it)."""
    if _libc is None:
        raise OSError("mount_setattr is Linux only")
    attr = _MountAttr(0, MOUNT_ATTR_RDONLY, 0, 0)
    _check(_libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, path.encode(), 0, ctypes.byref(attr),
                         ctypes.sizeof(attr)), f"mount_setattr {path}")


def prctl(option: int, value: int) -> None:
    if _libc is not None:
        _check(_libc.prctl(option, value, 0, 0, 0), "prctl")


def become_subreaper() -> None:
    """Orphaned grandchildren of submissions re-parent to the runner, which reaps them."""
    try:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
    except OSError:
        pass


def bind_handle(target: str, handle: int) -> None:
    """Bind the file or folder open as ``handle`` (O_PATH) at ``target``, made if missing."""
    os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
    if stat.S_ISDIR(os.fstat(handle).st_mode):
        os.makedirs(target, mode=0o755, exist_ok=True)
    elif not os.path.exists(target):
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o644))
    mount(f"/proc/self/fd/{handle}", target, None, MS_BIND | MS_REC, None)


TEMPORARY_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")


def temporary_bind_plan(keep: list[str]) -> dict[str, list[str]]:
    """For each temporary folder, the kept paths inside it (see `private_temporary_folders`).
    Resolving paths costs dozens of stat calls, so the runner plans once and every child
    reuses it."""
    return {tmp: _paths_under(tmp, keep) for tmp in TEMPORARY_FOLDERS if os.path.isdir(tmp)}


def private_namespaces(scratch_mb: int, keep: dict[str, list[str]], cover: list[str]) -> None:
    """A submission's own mount, IPC and network namespaces (copies of its runner's allow-list
    root): System V shared memory and abstract Unix sockets end with it and are not shared
    with notebooks graded at the same time, there is no network at all, ``cover`` (paths to
    hide that the allow-list still shows) is covered, and the private /tmp is mounted."""
    unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET)
    for path in cover:
        cover_path(path)
    private_temporary_folders(scratch_mb, keep)


def cover_path(path: str) -> None:
    """Put an empty, unreadable mount over a folder, or /dev/null over a file."""
    if os.path.isdir(path):
        mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=000")
    elif os.path.exists(path):
        mount("/dev/null", path, None, MS_BIND, None)


def private_temporary_folders(scratch_mb: int, keep: dict[str, list[str]] | None = None) -> None:
    """A fresh, size-limited tmpfs on each temporary folder (/tmp, /var/tmp, /dev/shm): the only
    places a submission can write, gone with its namespace.

    `keep` (from `temporary_bind_plan`) names paths the child must still read (Python, the
    course library and data) that lie under a temporary folder — a checkout in /tmp, as CI
    may use: they are bound back into the private tmpfs.
    """
    plan = keep if keep is not None else temporary_bind_plan([])
    for tmp, kept in plan.items():
        if os.path.isdir(tmp):
            handles = [(path, os.open(path, os.O_PATH)) for path in kept]
            size = f"size={scratch_mb}m,mode=1777"
            mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, size)
            for path, handle in handles:
                bind_handle(path, handle)
                os.close(handle)


def leave_network() -> None:
    """Move this process into a new, empty network namespace: no interface but a loopback
    that is down, so neither it nor its children can reach any host."""
    unshare(CLONE_NEWNET)


def _paths_under(folder: str, paths: list[str]) -> list[str]:
    """The outermost existing paths of `paths` (folders or files) that lie inside `folder`."""
    prefix = os.path.realpath(folder) + os.sep
    inside = sorted({os.path.realpath(p) for p in paths if os.path.exists(p)})
    inside = [p for p in inside if p.startswith(prefix)]
    return [p for p in inside if not any(p != q and p.startswith(q + os.sep) for q in inside)]


def set_limits(cpu_seconds: float, memory_bytes: int | None, processes: int,
               file_bytes: int) -> None:
    cpu = max(1, int(cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    optional = [("RLIMIT_NPROC", processes)]
    if memory_bytes is not None:
        optional.append(("RLIMIT_AS", memory_bytes))
    for name, value in optional:
        try:  # macOS, for one, refuses or ignores some of these; the wall clock still holds
            resource.setrlimit(getattr(resource, name), (value, value))
        except (AttributeError, ValueError, OSError):
            if sys.platform == "linux":
                raise


def drop_privileges(uid: int) -> None:
    """Become ``uid`` for good: no groups, same gid, then no way back (no_new_privs)."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def address_space_bytes() -> int | None:
    """Current virtual size of this process (RLIMIT_AS counts from here), Linux only."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def cpu_seconds_of(pid: int) -> float:
    """User + system CPU time of a live process (Linux /proc; 0.0 where unavailable, leaving
    RLIMIT_CPU as the limit)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def processes_of(uid: int) -> list[int]:
    """Live processes owned by ``uid`` (Linux /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def kill_uid(uid: int) -> None:
    """Kill every process of ``uid`` (a submission's leftovers), from root.

    A helper becomes ``uid`` and signals -1 (every process of that uid but itself): first
    SIGSTOP, so a fork bomb stops multiplying, then SIGKILL; repeated until none is left."""
    for _ in range(50):
        if not processes_of(uid):
            return
        pid = os.fork()
        if pid == 0:
            try:
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGSTOP)
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            os._exit(0)
        os.waitpid(pid, 0)
        reap_exited()


def reap_exited() -> bool:
    """Collect exited children (the runner is the subreaper of submissions' orphans, the
    zygote the parent of runners); True if any child is still alive."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def probe_namespaces(allowed: list[str], keep: dict[str, list[str]]) -> str:
    """Try the whole setup (allow-list root, then a submission's namespaces) in a throwaway
    child; return "" if it works, else the reason."""
    if not is_linux_root():
        return "not running as root on Linux"
    from grader.sandbox import rootfs

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            unshare(CLONE_NEWNS)
            rootfs.enter_allow_list_root(allowed, [])
            private_namespaces(1, keep, [])
            missing = [p for p in (sys.executable, *allowed) if not os.path.exists(p)]
            message = f"missing in the sandbox: {', '.join(missing)}".encode() if missing else b""
        except OSError as err:
            message = str(err).encode() or b"failed"
        os.write(write_fd, message[:4000])
        os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 4096):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode(errors="replace")
