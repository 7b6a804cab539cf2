"""Per-notebook resource accounting with control groups: memory, processes and CPU counted for a
notebook's whole process tree — every process it starts, its in-memory files (memfd), its shared
memory and its private tmpfs included.

Each runner process owns one control group and reuses it for the notebooks it forks, one at a
time: limits set and counters read before each fork, everything in it but the runner killed
after. The runner itself lives in its group (moving a process between groups waits for the
kernel to synchronise, ~6 ms here; a forked child is born in its parent's group for free), the
notebook's processes are the out-of-memory killer's first choice, and the runner's own charges
are added to each notebook's limit. Both layouts
are supported: cgroup v1 (separate ``memory``, ``pids`` and ``cpuacct`` hierarchies, as this
project's machines mount them) and cgroup v2 (one unified hierarchy whose controllers are
delegated to the grader's own group). Folders are reached through descriptors opened before the
runner moves into its allow-list root (:mod:`grader.sandbox.rootfs`), where /sys is not visible.

Where neither is usable (not root, not Linux, controllers not delegated), :func:`open_groups`
says why and the grader falls back to per-process limits (see instructors.md).
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

V1_CONTROLLERS = ("memory", "pids", "cpuacct")
V2_CONTROLLERS = ("memory", "pids", "cpu")


def _write(dir_fd: int, name: str, value: str) -> None:
    handle = os.open(name, os.O_WRONLY, dir_fd=dir_fd)
    try:
        os.write(handle, value.encode())
    finally:
        os.close(handle)


def _read(dir_fd: int, name: str) -> str:
    handle = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    try:
        return os.read(handle, 65536).decode()
    finally:
        os.close(handle)


def _field(text: str, key: str) -> int:
    """The number after ``key`` in a "key value" per line file (memory.events, cpu.stat)."""
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            return int(parts[1])
    return 0


def _own_paths() -> dict[str, str]:
    """This process's group in each hierarchy, from /proc/self/cgroup ("" is v2's key)."""
    paths: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _mounts() -> dict[str, str]:
    """Mount point of each v1 controller, and of the v2 hierarchy under the key ""."""
    mounts: dict[str, str] = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, extra = left.split(), right.split()
        if not extra:
            continue
        if extra[0] == "cgroup2":
            mounts.setdefault("", fields[4])
        elif extra[0] == "cgroup" and len(extra) >= 3:
            for option in extra[2].split(","):
                if option in V1_CONTROLLERS:
                    mounts.setdefault(option, fields[4])
    return mounts


@dataclass
class NotebookGroup:
    """A runner's group for the notebook it is running; reached through folder descriptors."""

    version: int
    folders: dict[str, int]  # controller (v1) or "" (v2) -> descriptor of this group's folder
    parents: dict[str, int]
    homes: dict[str, int]  # the groups the runner came from, to leave by
    name: str
    oom_kills: int = 0
    cpu_base_ns: int = 0

    def enter(self) -> None:
        """Move the calling runner into the group (once). The out-of-memory killer is to pick
        the notebook's processes: they raise their own score (`child_oom_score`); the runner
        lowers its own where it may (CAP_SYS_RESOURCE)."""
        for fd in self.folders.values():
            _write(fd, "cgroup.procs", str(os.getpid()))
        try:
            Path("/proc/self/oom_score_adj").write_text("-1000")
        except OSError:
            pass

    def leave(self) -> None:
        for fd in self.homes.values():
            try:
                _write(fd, "cgroup.procs", str(os.getpid()))
            except OSError:
                pass

    def prepare(self, memory_bytes: int, processes: int) -> None:
        """Limits for the next notebook on top of what the runner holds in the group (its own
        memory charges and tasks), and counters read so the notebook's use can be told apart."""
        if self.version == 1:
            memory = self.folders["memory"]
            limit = int(_read(memory, "memory.usage_in_bytes")) + memory_bytes
            swap = "memory.memsw.limit_in_bytes"
            has_swap = _exists(memory, swap)
            if has_swap:
                _write(memory, swap, "-1")
            _write(memory, "memory.limit_in_bytes", str(limit))
            if has_swap:  # no swapping out to get past the limit
                _write(memory, swap, str(limit))
            pids = self.folders["pids"]
            _write(pids, "pids.max", str(int(_read(pids, "pids.current")) + processes))
            _write(self.folders["cpuacct"], "cpuacct.usage", "0")
            self.cpu_base_ns = 0
        else:
            group = self.folders[""]
            limit = int(_read(group, "memory.current")) + memory_bytes
            _write(group, "memory.max", str(limit))
            if _exists(group, "memory.swap.max"):
                _write(group, "memory.swap.max", "0")
            _write(group, "pids.max", str(int(_read(group, "pids.current")) + processes))
            self.cpu_base_ns = _field(_read(group, "cpu.stat"), "usage_usec") * 1000
        self.oom_kills = self._oom_kills()

    def cpu_seconds(self) -> float:
        """CPU time of the notebook's processes so far (and the runner's, which sleeps)."""
        if self.version == 1:
            used = int(_read(self.folders["cpuacct"], "cpuacct.usage"))
        else:
            used = _field(_read(self.folders[""], "cpu.stat"), "usage_usec") * 1000
        return max(0, used - self.cpu_base_ns) / 1e9

    def _oom_kills(self) -> int:
        if self.version == 1:
            return _field(_read(self.folders["memory"], "memory.oom_control"), "oom_kill")
        return _field(_read(self.folders[""], "memory.events"), "oom_kill")

    def memory_exceeded(self) -> bool:
        """Whether the kernel killed a process of the notebook for going over its memory."""
        return self._oom_kills() > self.oom_kills

    def members(self) -> list[int]:
        """The notebook's processes still alive (the runner is not one)."""
        folder = self.folders["pids" if self.version == 1 else ""]
        me = os.getpid()
        return [pid for pid in map(int, _read(folder, "cgroup.procs").split()) if pid != me]

    def kill_all(self) -> None:
        """Kill every process of the notebook still in the group (a fork bomb is stopped
        first)."""
        for _ in range(50):
            pids = self.members()
            if not pids:
                return
            for sig in (signal.SIGSTOP, signal.SIGKILL):
                for pid in pids:
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass
            _reap()

    def remove(self) -> None:
        """Leave the group and remove its folders (when the runner is done); best effort."""
        self.kill_all()
        self.leave()
        for key, fd in self.folders.items():
            os.close(fd)
            try:
                os.rmdir(self.name, dir_fd=self.parents[key])
            except OSError:
                pass


def child_oom_score() -> None:
    """In a forked child: become the out-of-memory killer's first choice in the group (the
    runner it was forked from shares the group and must not be the one killed)."""
    Path("/proc/self/oom_score_adj").write_text("1000")


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _exists(dir_fd: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd)
        return True
    except OSError:
        return False


@dataclass
class GraderGroups:
    """The grader's own folder in each hierarchy, opened before the runner's root changes.
    Each runner process makes its notebook group inside it (:meth:`notebook_group`)."""

    version: int
    label: str
    bases: dict[str, int]  # this process's own group folders
    parents: dict[str, int]  # the grader's folder (``label``) inside each

    def notebook_group(self) -> NotebookGroup:
        name = f"runner-{os.getpid()}"
        folders: dict[str, int] = {}
        try:
            for key, parent in self.parents.items():
                try:
                    os.mkdir(name, 0o755, dir_fd=parent)
                except FileExistsError:
                    pass
                folders[key] = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=parent)
        except OSError:
            for fd in folders.values():
                os.close(fd)
            raise
        group = NotebookGroup(self.version, folders, self.parents, self.bases, name)
        try:
            group.enter()
        except OSError:
            group.remove()
            raise
        return group

    def remove(self) -> None:
        """Remove the grader's folders once every runner is gone (best effort): groups a
        runner that was killed left behind first."""
        for key, parent in self.parents.items():
            try:
                for name in os.listdir(parent):
                    if name.startswith("runner-"):
                        os.rmdir(name, dir_fd=parent)
            except OSError:
                pass
            os.close(parent)
            try:
                os.rmdir(self.label, dir_fd=self.bases[key])
            except OSError:
                pass
            os.close(self.bases[key])


def open_groups(label: str) -> tuple[GraderGroups | None, str]:
    """The grader's groups (made under this process's own), or None and the reason."""
    try:
        own, mounts = _own_paths(), _mounts()
    except OSError as err:
        return None, f"cannot read this process's control groups ({err.strerror})"
    if all(c in mounts and c in own for c in V1_CONTROLLERS):
        layout = {c: os.path.join(mounts[c], own[c].lstrip("/")) for c in V1_CONTROLLERS}
        version = 1
    elif "" in mounts and "" in own:
        base = os.path.join(mounts[""], own[""].lstrip("/"))
        try:
            available = Path(base, "cgroup.controllers").read_text().split()
        except OSError as err:
            return None, f"cgroup v2 at {base} cannot be read ({err.strerror})"
        missing = [c for c in V2_CONTROLLERS if c not in available]
        if missing:
            return None, f"cgroup v2 controllers not delegated here: {', '.join(missing)}"
        layout, version = {"": base}, 2
    else:
        return None, "no cgroup v1 memory/pids/cpuacct hierarchies and no cgroup v2"
    bases: dict[str, int] = {}
    parents: dict[str, int] = {}
    try:
        for key, base in layout.items():
            bases[key] = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.mkdir(label, 0o755, dir_fd=bases[key])
            except FileExistsError:
                pass
            parents[key] = os.open(label, os.O_RDONLY | os.O_DIRECTORY, dir_fd=bases[key])
            if version == 2:  # let the notebook groups below use the controllers
                _write(parents[key], "cgroup.subtree_control",
                       " ".join(f"+{c}" for c in V2_CONTROLLERS))
    except OSError as err:
        for fd in (*parents.values(), *bases.values()):
            os.close(fd)
        return None, f"cannot make control groups ({err.strerror or err})"
    return GraderGroups(version, label, bases, parents), ""
