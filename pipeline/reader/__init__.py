"""Front matter + Markdown source → the document model.

The only package that imports the Markdown and YAML libraries, and the only one
that knows source line numbers: every refusal here names the line and column.

    text         the bytes a source may be (size, encoding, forbidden characters)
    frontmatter  YAML read safely, each field checked against its type
    markdown     markdown-it's syntax tree → blocks and inlines
    coverage     the characters no font of the run can draw
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode

from ..errors import Diagnostic, PipelineError, did_you_mean
from ..model import Article
from .coverage import uncovered_characters
from .frontmatter import (
    FRONT_MATTER_KEYS, MAX_ID_CHARS, MAX_TITLE_CHARS, PAPER_SIZES, load_yaml, meta_from,
)
from .checks import (
    MAX_INLINE_NESTING, cells_past_the_header, check_nesting, link_target, uncalled_notes,
    unsupported_syntax,
)
from .markdown import MD, BodyReader, balance_bidi
from .text import MAX_SOURCE_BYTES, decode_source, read_source

__all__ = [
    "FRONT_MATTER_KEYS", "MAX_ID_CHARS", "MAX_INLINE_NESTING", "MAX_SOURCE_BYTES",
    "MAX_TITLE_CHARS", "PAPER_SIZES", "decode_source", "link_target", "parse_article",
    "read_article", "read_source", "uncovered_characters",
]


def read_article(text: str, overrides: dict[str, str] | None = None
                 ) -> tuple[Article, list[Diagnostic]]:
    """Source text → ``Article`` and what was repaired rather than refused;
    raises ``PipelineError`` with a line on bad input. ``overrides`` replace
    front-matter values (the command's ``--metadata key=value``) and are
    checked like them."""
    if not text.strip():
        raise PipelineError("the source is empty",
                            hint="start it with front matter: ---, title: …, ---")
    env: dict = {}
    with _collector_paused():
        tokens = MD.parse(text, env)
    if not tokens or tokens[0].type != "front_matter":
        if text.lstrip().startswith("---"):
            raise PipelineError("front matter is not closed", line=1,
                                hint="end it with a line holding only ---")
        raise PipelineError("no front matter", line=1,
                            hint="start the file with ---, title: …, ---")
    fm = tokens[0]
    fm_first_line = fm.map[0] + 2  # 1-based line of the first YAML line
    data, marks = load_yaml(fm.content, fm_first_line)
    for key, value in (overrides or {}).items():
        if key not in FRONT_MATTER_KEYS:
            raise PipelineError(f"--metadata: unknown front matter key '{key}'",
                                hint=did_you_mean(key, FRONT_MATTER_KEYS, "keys"))
        data[key] = value
        marks.pop(key, None)
    meta = meta_from(data, marks, fm_first_line)
    warnings: list[Diagnostic] = []
    fixed = {}
    for key, written in (("title", "title"), ("description", "description"),
                         ("author", "author"), ("section", "section"), ("cover_credit", "credit")):
        fixed[key], found = balance_bidi(getattr(meta, key),
                                         marks.get(written, (fm_first_line, None))[0])
        warnings += found
    check_nesting(tokens)
    warnings += unsupported_syntax(tokens) + uncalled_notes(env, text) \
        + cells_past_the_header(tokens, text)
    body = BodyReader()
    with _collector_paused():
        blocks = body.body(SyntaxTreeNode(tokens[1:]).children)
    return Article(meta=replace(meta, **fixed), blocks=tuple(blocks)), warnings + body.warnings


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while the tokens and the tree are made:
    they are hundreds of thousands of objects that all stay alive, and each
    full collection walks them all again (a 64,000-paragraph source read at
    twice the time per paragraph of a 1,000-paragraph one)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_article(text: str, overrides: dict[str, str] | None = None) -> Article:
    """``read_article`` without its warnings."""
    return read_article(text, overrides)[0]
