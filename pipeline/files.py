"""Opening a file someone else named without trusting what it is: only a
regular file is read. Opened non-blocking, a FIFO cannot hang the open, and
the type is checked on the open file itself (not on the name beforehand, which
may have become something else by then): a device such as ``/dev/zero`` or a
folder is refused before a byte is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder."""


def open_regular(path: Path | str) -> BinaryIO:
    """``path`` open for reading in binary, if it is a regular file; raises
    ``NotRegularFile`` if it is not, and ``OSError`` if it cannot be opened."""
    fh = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
        fh.close()
        raise NotRegularFile(f"not a regular file: {path}")
    return fh


def size_of(fh: BinaryIO) -> int:
    """The size of an open file, from the file itself."""
    return os.fstat(fh.fileno()).st_size
