"""Length-prefixed JSON frames on Unix sockets, optionally carrying one file descriptor.

Three parties talk this way: a grading process and its runner (requests that hold no student
data, each handing over the socket of one submission), and a grading process and the forked
child of one submission (its code cells in, its answers out). The runner never reads a
submission's code or answers, so a later submission cannot find them in the memory it
inherits from the runner.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import struct
from collections.abc import Callable
from typing import Any

HEADER = struct.Struct(">Q")


def encode_frame(message: Any) -> bytes:
    data = json.dumps(message).encode("utf-8")
    return HEADER.pack(len(data)) + data


def send_frame(sock: socket.socket, message: Any, fd: int | None = None) -> None:
    """Send one frame; ``fd`` travels with its first bytes (SCM_RIGHTS)."""
    frame = encode_frame(message)
    if fd is not None:
        sent = socket.send_fds(sock, [frame[: HEADER.size]], [fd])
        frame = frame[sent:]
    sock.sendall(frame)


def _read_exact(read: Callable[[int], bytes], size: int, start: bytes = b"") -> bytes | None:
    """``size`` bytes from ``read`` (a socket's recv or a descriptor's read); None at EOF."""
    chunks, have = [start], len(start)
    while have < size:
        chunk = read(min(size - have, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        have += len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to a raw descriptor (a pipe or socket may take it in parts)."""
    while data:
        data = data[os.write(fd, data):]


def recv_frame(sock: socket.socket) -> tuple[Any, int | None]:
    """One frame and the descriptor sent with it, if any; ``(None, None)`` at end of stream."""
    first, fds, _, _ = socket.recv_fds(sock, HEADER.size, 1)
    fd = fds[0] if fds else None
    for extra in fds[1:]:
        os.close(extra)
    header = _read_exact(sock.recv, HEADER.size, first) if first else None
    body = _read_exact(sock.recv, HEADER.unpack(header)[0]) if header is not None else None
    if body is None:
        if fd is not None:
            os.close(fd)
        return None, None
    return json.loads(body), fd


def read_frame_from_fd(fd: int) -> Any:
    """One frame from a raw descriptor (the child's end, before it has any Python socket)."""
    read = functools.partial(os.read, fd)
    header = _read_exact(read, HEADER.size)
    body = _read_exact(read, HEADER.unpack(header)[0]) if header is not None else None
    if body is None:
        raise EOFError("the grading process closed the submission's channel")
    return json.loads(body)
