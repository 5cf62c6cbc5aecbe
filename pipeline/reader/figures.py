"""An image alone in its paragraph is a figure: its title the caption, its
braces the credit (``![what](photo.jpg "caption"){credit="…"}``).

The braces are read here as an author writes them — double or single
quotes, a brace inside a quoted value, a value wrapped onto the next source
line, a key given twice (named) — where the attributes plugin would print the
braces as text, drop the wrapped line or keep the last key unsaid."""

from __future__ import annotations

import re

from ..errors import Diagnostic
from ..model import Figure, Image, Inline, Text
from .checks import FOOTNOTE_CALL, allowed

FIGURE_ATTRIBUTES = ("credit",)
"""What an image's braces may say (``![…](p.jpg "caption"){credit="…"}``)."""

_BRACES = re.compile(r"\)\s*\{(.*)\}\s*$", re.S)
_PAIR = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'{}]+))""")
_HINT = 'write ![what it shows](photo.jpg "caption"){credit="…"}'


def braces_alone(content: tuple[Inline, ...]) -> bool:
    """An image followed only by braces the attributes plugin could not read
    (single quotes, a brace inside a value): a figure still."""
    return len(content) == 2 and isinstance(content[0], Image) and \
        isinstance(content[1], Text) and content[1].text.strip().startswith("{") and \
        content[1].text.strip().endswith("}")


def figure_attributes(raw: str, parsed: dict, line: int | None
                      ) -> tuple[dict[str, str], list[Diagnostic]]:
    """The attributes in the braces closing ``raw`` (the paragraph's source),
    whitespace in a value made one space; ``parsed`` (the plugin's) where
    ``raw`` has no braces. With a warning for each key given twice, each key
    not used and anything in the braces that is not ``key="value"``."""
    found: list[Diagnostic] = []

    def warn(message: str) -> None:
        found.append(Diagnostic(message, line=line, severity="warning", hint=_HINT))

    braces = _BRACES.search(raw)
    if braces is None:
        attrs = {k: str(v) for k, v in parsed.items() if k not in ("src", "alt", "title")}
    else:
        attrs, body, pos = {}, braces.group(1), 0
        while pos < len(body) and body[pos:].strip():
            pair = _PAIR.match(body, pos)
            if pair is None:
                warn(f"the image's braces hold {body[pos:].strip()[:40]!r}, "
                     "which is not key=\"value\": left out")
                break
            key = pair.group(1)
            value = next(v for v in pair.group(2, 3, 4) if v is not None)
            if key in attrs:
                warn(f"image attribute {key!r} is given twice: the last is used")
            attrs[key] = " ".join(value.split())
            pos = pair.end()
    for key in attrs:
        if key not in FIGURE_ATTRIBUTES:
            warn(f"image attribute {key!r} is not used: only credit=\"…\" is")
    return attrs, found


def read_figure(image: Image, attrs: dict[str, str], line: int | None, balance
                ) -> tuple[Figure, list[Diagnostic]]:
    """The figure of ``image`` with its caption and credit, each balanced
    for bidi controls by ``balance(inlines, line)``."""
    found = []
    credit = allowed(attrs.get("credit", "").strip(), line)
    caption = image.title.strip()
    if call := FOOTNOTE_CALL.search(caption):
        found.append(Diagnostic(
            f"a footnote call in a caption is not read: {call.group(0)} prints as written",
            line=line,
            severity="warning", hint="call the note from the text beside the figure"))
    return Figure(image=Image(src=image.src, alt=image.alt),
                  caption=balance((Text(caption),), line) if caption else (),
                  credit=balance((Text(credit),), line) if credit else ()), found
