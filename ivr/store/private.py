"""Files and folders that hold customers' data are created readable by this user only.

A front desk keeps phone numbers and what people said; on a shared host the process umask
(usually 022) would leave such files world-readable (0644). Everything here is created 0600
and its folders 0700, and a file found with wider permissions (written by an older version) is
narrowed on the next open, so an upgrade fixes what is already on disk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Our own data folder (the spool's, Redis's): created 0700, and narrowed to 0700 when it
    exists wider and belongs to us. Only `path` itself: parents are created as usual."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _narrow(path, DIR_MODE)
    return path


def open_private(path: Path, mode: str = "a", **kwargs: Any) -> IO[Any]:
    """`open(path, mode)`, the file created 0600 (and narrowed to 0600 if it was wider).

    `mode` is any of open()'s text or binary modes. A missing folder is created 0700; an
    existing one is left as it is (it may be the owner's home or a shared export folder).
    """
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    flags = {"r": os.O_RDONLY, "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
             "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND, "x": os.O_WRONLY | os.O_CREAT | os.O_EXCL}
    flag = flags[mode[0]]
    if "+" in mode:
        flag = (flag & ~os.O_WRONLY) | os.O_RDWR
    fd = os.open(path, flag | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        _narrow_fd(fd)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, text: str) -> None:
    """Replace `path`'s contents with `text` (UTF-8), the file 0600."""
    with open_private(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _narrow(path: Path, wanted: int) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~wanted:
        os.chmod(path, wanted)


def _narrow_fd(fd: int) -> None:
    info = os.fstat(fd)
    if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & ~FILE_MODE:
        os.fchmod(fd, FILE_MODE)
