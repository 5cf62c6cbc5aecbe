"""Reproducible ZIP containers (EPUB, DOCX): fixed entry times, fixed order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def normalize_zip(data: bytes, timestamp: dt.datetime, first: tuple[str, ...] = (),
                  stored: tuple[str, ...] = ()) -> bytes:
    """Rewrite a ZIP with every entry dated ``timestamp``, the ``first`` names
    leading in that order and the rest in their original order; names in
    ``stored`` are not compressed (an EPUB's ``mimetype`` must not be)."""
    date_time = max(timestamp, dt.datetime(1980, 1, 1, tzinfo=timestamp.tzinfo)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        ordered = [n for n in first if n in names] + [n for n in names if n not in first]
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()
