"""Text hygiene: what a source's bytes may be before anything parses them.

One policy for every format: characters no output can carry are refused here,
with their line and column, before any writer sees them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import PipelineError
from ..files import NotRegularFile, open_regular, size_of

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""Sources larger than this are refused before parsing (no article comes near
it; the DOCX, EPUB and web page of a 2 MB source take some 240 MB)."""

# Characters no output can carry faithfully (XML forbids most; the rest are
# invisible page-layout controls nobody types on purpose).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def describe(ch: str) -> str:
    """``U+0940 DEVANAGARI VOWEL SIGN II``: a character as a diagnostic names it."""
    name = unicodedata.name(ch, "") if not 0xD800 <= ord(ch) <= 0xDFFF else "SURROGATE"
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def check_text(value: str, line: int | None = None, column: int | None = None) -> None:
    """Refuse a front-matter value holding a forbidden character."""
    if m := FORBIDDEN.search(value):
        raise PipelineError(f"forbidden character {describe(m.group())} in front matter",
                            line=line, column=column, hint="remove it from the value")


def read_source(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a source file, read only if it is a regular file and never
    more than ``limit`` + 1 bytes of it: a FIFO, a device (``/dev/zero``) or a
    sparse file of gigabytes is refused before it is read."""
    try:
        fh = open_regular(path)
    except NotRegularFile:
        raise PipelineError("the source is not a regular file", path=str(path),
                            hint="name a Markdown file") from None
    except OSError as exc:
        raise PipelineError(f"cannot read the source: {exc.strerror}", path=str(path),
                            hint="check the path") from None
    with fh:
        if (size := size_of(fh)) > limit:
            raise PipelineError(f"source is {size:,} bytes, over the "
                                f"{limit:,}-byte limit", path=str(path),
                                hint="split the article into several files")
        return fh.read(limit + 1)


def decode_source(raw: bytes) -> str:
    """UTF-8 bytes → text with ``\\n`` line ends; refuses what no output can carry."""
    if len(raw) > MAX_SOURCE_BYTES:
        raise PipelineError(f"source is {len(raw):,} bytes, over the "
                            f"{MAX_SOURCE_BYTES:,}-byte limit",
                            hint="split the article into several files")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PipelineError(f"not UTF-8: byte 0x{raw[exc.start]:02X} at offset {exc.start}",
                            line=line, hint="save the file as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if m := FORBIDDEN.search(text):
        line, column = line_and_column(text, m.start())
        raise PipelineError(f"forbidden character {describe(m.group())}", line=line,
                            column=column, hint="delete it; it cannot be printed or stored")
    return text


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
