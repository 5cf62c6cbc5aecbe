"""``zipfile``'s private workings, in one place.

``zipfile`` cannot store bytes that are already deflated: every DOCX would
deflate the same embedded fonts again (some 25 ms a document). The reaches, checked by
tests/test_compat.py against the running Python: ``ZipFile.fp``,
``ZipFile.filelist``, ``ZipFile.NameToInfo``, ``ZipFile.start_dir`` and
``ZipInfo.FileHeader``.
"""

from __future__ import annotations

import zipfile


def append_deflated(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, size: int,
                    crc: int) -> None:
    """Append an already-deflated entry: its local header, then its bytes; the
    central directory is written by ``zf`` on close, from ``filelist``."""
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size, info.compress_size, info.CRC = size, len(data), crc
    info.header_offset = zf.fp.tell()
    zf.fp.write(info.FileHeader(False))
    zf.fp.write(data)
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info
    zf.start_dir = zf.fp.tell()
