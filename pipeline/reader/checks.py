"""What a source may hold: link targets every format can follow, image paths
inside the article's folder, nesting the reader can walk, characters a
reference may not make, and the Markdown the format does not have."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from ..errors import Diagnostic, PipelineError
from .text import FORBIDDEN, describe

FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
"""A footnote call as typed, ``[^label]``; its label the first group."""
MAX_INLINE_NESTING = 20
"""Emphasis, strong and links nested deeper than this are refused (markdown-it
already stops block nesting at 20 levels)."""

LINK_SCHEMES = ("http", "https", "mailto")
"""The only links kept in any format; anything else becomes its text."""


def link_target(target: str) -> str | None:
    """The target if every format can link to it (a web or mail address that
    parses), else None."""
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES or re.search(r"[\s<>\"\\^`{|}]", target):
        return None
    if scheme == "mailto":
        return target if "@" in parts.path else None
    host = parts.hostname or ""
    if not re.fullmatch(r"[\w.-]+", host) or host.startswith(".") or "." not in host \
            and host != "localhost":
        return None
    return target


def check_nesting(tokens: list[Token]) -> None:
    """Refuse emphasis nested past ``MAX_INLINE_NESTING`` before the tree is
    built (building and walking it recurse once a level)."""
    for tok in tokens:
        for child in tok.children or ():
            if child.level > MAX_INLINE_NESTING:
                raise PipelineError(f"emphasis, bold or links nested over "
                                    f"{MAX_INLINE_NESTING} levels deep",
                                    line=tok.map[0] + 1 if tok.map else None,
                                    hint="remove the extra * or _ marks")


_UNSUPPORTED = (
    # (what, pattern over one line of a paragraph, the message)
    ("table", re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$"),
     "this table does not parse: its cells print as text with their | bars",
     "give the header row as many cells as the rule line under it, with a blank "
     "line before the table"),
    ("html", re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?/?>"),
     "raw HTML is not part of the source format: it prints as text, never as markup",
     "see the README's source format for what is supported"),
    ("definitions", re.compile(r"^:\s+\S"),
     "a definition list is not part of the source format: the : line prints as written",
     "write the term in bold at the start of a list item: - **term**: text"),
)


def unsupported_syntax(tokens: list[Token]) -> list[Diagnostic]:
    """A warning, with its line, for the first use of each Markdown construct
    the source format does not have (raw HTML, definition lists) or that did
    not parse (a table whose rows do not match): it would otherwise print as
    literal characters with nothing said."""
    found: dict[str, Diagnostic] = {}
    for tok in tokens:
        if tok.type != "inline" or not tok.map:
            continue
        for offset, line in enumerate(tok.content.split("\n")):
            for what, pattern, message, hint in _UNSUPPORTED:
                if what not in found and pattern.search(line):
                    found[what] = Diagnostic(message, line=tok.map[0] + 1 + offset,
                                             severity="warning", hint=hint)
    return sorted(found.values(), key=lambda d: d.line or 0)


def image_path(src: str, line: int | None, column: int | None = None) -> str:
    """``src`` as a path inside the article's folder, or a refusal: nothing is
    fetched from elsewhere, nothing read outside the folder."""
    where = {"line": line, "column": column}
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")) or not src:
        raise PipelineError(f"image {src!r} is not a relative path", **where,
                            hint="put the image in the article's folder and name it "
                                 "relative to the article; nothing is fetched from elsewhere")
    path = unquote(parts.path)
    if FORBIDDEN.search(path):
        raise PipelineError(f"image {src!r} has a control character in its name", **where,
                            hint="rename the file")
    if ".." in Path(path).parts:
        raise PipelineError(f"image {src!r} leaves the article's folder", **where,
                            hint="keep images inside the article's folder")
    return path


def allowed(text: str, line: int | None) -> str:
    """Text as markdown-it decoded it: a character reference (``&#12;``) may
    have produced what the source itself could not hold."""
    if m := FORBIDDEN.search(text):
        raise PipelineError(f"a character reference makes the forbidden character "
                            f"{describe(m.group())}", line=line,
                            hint="delete it; it cannot be printed or stored")
    return text


def uncalled_notes(env: dict, text: str) -> list[Diagnostic]:
    """A warning for each footnote written but never called: the parser
    leaves it out of the document, and nothing else would say so."""
    refs = env.get("footnotes", {}).get("refs", {})
    found = []
    for key, ident in refs.items():
        if ident != -1:  # called: the parser numbered it
            continue
        label = key[1:]
        where = re.search(rf"^[ \t]*\[\^{re.escape(label)}\]:", text, re.M)
        found.append(never_called(label, text.count("\n", 0, where.start()) + 1
                                  if where else None))
    return found


def never_called(label: str, line: int | None) -> Diagnostic:
    """The warning for a footnote whose text is written but never called
    (by the parser's count, or by the reader's: a call inside a note)."""
    return Diagnostic(f"footnote [^{label}] is never called: left out", line=line,
                      severity="warning",
                      hint=f"call it with [^{label}] where it belongs, or delete it")


_CELL_BAR = re.compile(r"(?<!\\)\|")


def cells_past_the_header(tokens: list[Token], text: str) -> list[Diagnostic]:
    """A warning for each table row written with more cells than its header:
    a pipe table leaves those cells out (GFM), and they would vanish unsaid."""
    lines = text.split("\n")
    found, header = [], 0
    for tok in tokens:
        if tok.type == "thead_open":
            header = -1  # counting the header row's cells
        elif tok.type == "th_open" and header < 0:
            header -= 1
        elif tok.type == "thead_close":
            header = -header - 1
        elif tok.type == "tr_open" and tok.map and header > 0 and tok.map[0] < len(lines):
            row = lines[tok.map[0]].lstrip(" >\t").strip()
            cells = len(_CELL_BAR.split(row.removeprefix("|").removesuffix("|")))
            if cells > header:
                found.append(Diagnostic(
                    f"this table row has {cells} cells and its header {header}: "
                    f"the {cells - header} past the header are left out",
                    line=tok.map[0] + 1, severity="warning",
                    hint="add the missing header cells, or write a | inside a cell as \\|"))
    return found

