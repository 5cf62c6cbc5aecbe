"""The DOCX package written reproducibly, and core properties cut to size."""

from __future__ import annotations

import io

from ...compat.docx import package_entries
from ...zipfix import deflated, normalize_zip, write_zip


def package_bytes(document, timestamp) -> bytes:
    """The document as a reproducible ZIP in one pass: python-docx's package
    writer lists the entries, which are then stored with fixed dates instead of
    the time of saving (saving and rewriting would compress everything twice)."""
    entries = package_entries(document)
    if entries is None:  # a python-docx without the writer's helpers: save, then rewrite
        out = io.BytesIO()
        document.save(out)
        return normalize_zip(out.getvalue(), timestamp,
                             first=("[Content_Types].xml", "_rels/.rels"))
    # the embedded fonts are the same bytes in every document: deflated once
    return write_zip(((name, deflated(blob) if name.endswith(".odttf") else blob)
                      for name, blob in entries), timestamp)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0] + "…"


def core_properties(document, meta, options, language: str) -> None:
    """Title, description, subjects, author, section and dates, each cut to
    the 255 characters the core properties hold."""
    props = document.core_properties
    props.title = clip(meta.title, 255)
    # Core properties hold 255 characters; the deck keeps the full description.
    props.subject = props.comments = clip(meta.description, 255)
    props.language = language
    props.keywords = clip(", ".join(meta.subjects), 255)
    props.author = clip(meta.author, 255)
    props.last_modified_by = clip(meta.author, 255)
    props.category = clip(meta.section, 255)
    props.identifier = options.identifier
    props.revision = 1
    stamp = options.timestamp.replace(tzinfo=None)
    props.created = props.modified = stamp
    props.last_printed = stamp
