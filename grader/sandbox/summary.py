"""The one line `course grade` prints about the protections a batch actually had."""

from __future__ import annotations

from typing import Any


def describe(capabilities: dict[str, Any]) -> str:
    """What the sandbox did for this batch, from the runner's own report of its capabilities:
    each protection named when active, and the reason when it was not."""
    parts = ["unprivileged uid per notebook" if capabilities.get("root")
             else "same user as the grader (not root)"]
    if capabilities.get("allow_list"):
        parts.append("allow-list root (system, Python, course library and data, read-only); "
                     "own network, IPC and mount namespaces")
    else:
        parts.append("no allow-list root or namespaces: files readable by you are readable by "
                     f"notebooks ({capabilities.get('namespaces_problem') or 'unknown reason'})")
    if capabilities.get("cgroups"):
        parts.append("memory, processes and CPU counted per notebook (control groups)")
    else:
        parts.append("memory and CPU limited per process only "
                     f"({capabilities.get('cgroups_problem') or 'no control groups'})")
    return "sandbox: " + "; ".join(parts)
