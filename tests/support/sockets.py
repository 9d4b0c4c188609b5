"""Which local process holds a loopback TCP connection (Linux ``/proc``): lets a receiver in the
test tell which of several server processes sent a request, without any help from the server."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")


def _descendants(pid: int) -> list[int]:
    found, queue = [pid], [pid]
    while queue:
        parent = queue.pop()
        with contextlib.suppress(OSError):
            for task in (PROC / str(parent) / "task").iterdir():
                children = (task / "children").read_text().split()
                found.extend(int(c) for c in children)
                queue.extend(int(c) for c in children)
    return found


def _socket_inode(local_port: int, remote_port: int) -> str | None:
    """The inode of the IPv4 socket from ``local_port`` to ``remote_port``."""
    for line in (PROC / "net" / "tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if int(local.split(":")[1], 16) == local_port and (
            int(remote.split(":")[1], 16) == remote_port
        ):
            return inode
    return None


def connection_owner(local_port: int, remote_port: int, pids: Iterable[int]) -> int | None:
    """Which of ``pids`` (each with its child processes) holds the TCP connection from
    ``local_port`` to ``remote_port``; ``None`` if none does (or it is gone)."""
    inode = _socket_inode(local_port, remote_port)
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in pids:
        for member in _descendants(pid):
            fds = PROC / str(member) / "fd"
            with contextlib.suppress(OSError):
                for fd in fds.iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(fd) == target:
                            return pid
    return None
