"""Front matter + Markdown source → the document model.

The only module that imports the Markdown and YAML libraries, and the only one
that knows source line numbers: every refusal here names the line and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .pages import COLUMNS, JUSTIFICATIONS, PAPERS
from .regional import DIGIT_STYLES
from .errors import Diagnostic, PipelineError, did_you_mean
from .model import (
    Article, Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, FaqEntry,
    Heading, Image, Inline, LineBreak, Link, ListItem, Meta, OrderedList, Paragraph, Strong,
    Text, ThematicBreak,
)

MAX_SOURCE_BYTES = 5 * 1024 * 1024
"""Sources larger than this are refused before parsing (no article comes near it)."""

FRONT_MATTER_KEYS = ("title", "description", "lang", "dir", "author", "date",
                     "keywords", "id", "paper", "justify", "digits", "short_title",
                     "columns")
PAPER_SIZES = tuple(PAPERS)

# Characters no output can carry faithfully (XML forbids most; the rest are
# invisible page-layout controls nobody types on purpose). One policy for all
# three formats: refused here, before any writer sees them.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _markdown() -> MarkdownIt:
    # html=False: raw HTML in an article is text, never markup.
    return (MarkdownIt("commonmark", {"html": False})
            .use(front_matter_plugin)
            .use(container_plugin, "faq"))


_MD = _markdown()


# --- YAML --------------------------------------------------------------------


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe loading with every scalar kept as text, no aliases, no duplicate keys.

    ``title: no`` stays the word "no", ``1.10`` stays "1.10"; each field is typed
    by the schema below, not by YAML 1.1's guesses.
    """

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _YamlRefusal("YAML aliases are not allowed in front matter",
                               event.start_mark, "write the value out in full")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise _YamlRefusal(f"duplicate key '{key}' in front matter",
                                   key_node.start_mark, "keep one of them")
            seen[key] = key_node
        mapping = super().construct_mapping(node, deep=True)
        self.key_marks = {**getattr(self, "key_marks", {}),
                          **{k: n.start_mark for k, n in seen.items()}}
        return mapping


# Nothing is typed implicitly but an empty value (``author:``), which is null;
# ``no``, ``1.10``, ``null`` and ``2024-06-11`` are all text.
_FrontMatterLoader.yaml_implicit_resolvers = {
    "": [("tag:yaml.org,2002:null", re.compile(r"^$"))]}


class _YamlRefusal(yaml.YAMLError):
    def __init__(self, message: str, mark: Any, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


def _load_yaml(text: str, first_line: int) -> tuple[dict, dict[str, tuple[int, int]]]:
    loader = _FrontMatterLoader(text)
    try:
        data = loader.get_single_data()
    except _YamlRefusal as exc:
        raise PipelineError(exc.message, line=first_line + exc.mark.line,
                            column=exc.mark.column + 1, hint=exc.hint) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if "could not determine a constructor" in str(exc):
            problem = f"YAML tag not allowed ({exc.problem.split('tag ')[-1].strip()})"
            hint = "front matter holds plain text values only"
        else:
            hint = "check the indentation and quoting of the front matter"
        raise PipelineError(f"front matter: {problem}",
                            line=first_line + mark.line if mark else first_line,
                            column=mark.column + 1 if mark else None, hint=hint) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise PipelineError(f"front matter: character U+{exc.character:04X} is not allowed",
                            line=line, column=column, hint="delete it") from None
    except yaml.YAMLError as exc:
        raise PipelineError(f"front matter: {exc}", line=first_line) from None
    finally:
        loader.dispose()
    marks = {k: (first_line + m.line, m.column + 1)
             for k, m in getattr(loader, "key_marks", {}).items()}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PipelineError("front matter must be a mapping of keys to values",
                            line=first_line, hint="write it as 'title: …' lines")
    return data, marks


def _meta(data: dict, marks: dict[str, tuple[int, int]], fm_line: int) -> Meta:
    def where(key: str) -> dict:
        line, col = marks.get(key, (fm_line, None))
        return {"line": line, "column": col}

    for key in data:
        if key not in FRONT_MATTER_KEYS:
            raise PipelineError(f"unknown front matter key '{key}'",
                                hint=did_you_mean(str(key), FRONT_MATTER_KEYS, "keys"),
                                **where(key))

    def text(key: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                raise PipelineError(f"front matter has no '{key}'",
                                    hint=f"add a line '{key}: …'", **where(key))
            return ""
        if not isinstance(value, str):
            raise PipelineError(f"'{key}' must be text, not a {_yaml_kind(value)}",
                                hint="write it on one line after the colon", **where(key))
        value = value.strip()
        if required and not value:
            raise PipelineError(f"'{key}' is empty", hint=f"give the article a {key}",
                                **where(key))
        _check_text(value, **where(key))
        return value

    title = text("title", required=True)
    lang = text("lang") or "ar"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang):
        raise PipelineError(f"'lang' is not a language tag: {lang!r}",
                            hint="use a BCP 47 tag such as ar or ar-EG", **where("lang"))
    direction = text("dir") or "rtl"
    if direction not in ("rtl", "ltr"):
        raise PipelineError(f"'dir' must be rtl or ltr, not {direction!r}", **where("dir"))
    paper = text("paper").lower()
    if paper and paper not in PAPER_SIZES:
        raise PipelineError(f"unknown paper size {paper!r}",
                            hint="use one of " + ", ".join(PAPER_SIZES), **where("paper"))
    digits = text("digits").lower()
    if digits and digits not in DIGIT_STYLES:
        raise PipelineError(f"'digits' must be arabic-indic or western, not {digits!r}",
                            hint="leave it out to follow the language tag (CLDR)",
                            **where("digits"))
    columns = text("columns")
    if columns and columns not in tuple(map(str, COLUMNS)):
        raise PipelineError(f"'columns' must be 1 or 2, not {columns!r}", **where("columns"))
    justify = text("justify").lower()
    if justify and justify not in JUSTIFICATIONS:
        raise PipelineError(f"'justify' must be kashida or spaces, not {justify!r}",
                            hint="kashida elongates joins; spaces widens word spaces only",
                            **where("justify"))

    date = None
    raw_date = text("date")
    if raw_date:
        try:
            if not _ISO_DATE.match(raw_date):
                raise ValueError
            date = dt.date.fromisoformat(raw_date[:10])
            if len(raw_date) > 10:  # a full timestamp is fine; the day is what prints
                dt.datetime.fromisoformat(raw_date.replace("Z", "+00:00"))
        except ValueError:
            raise PipelineError(f"'date' is not an ISO 8601 date: {raw_date!r}",
                                hint="write it as YYYY-MM-DD", **where("date")) from None

    keywords: tuple[str, ...] = ()
    raw_kw = data.get("keywords")
    if isinstance(raw_kw, str):
        keywords = tuple(k.strip() for k in re.split(r"[,،]", raw_kw) if k.strip())
    elif isinstance(raw_kw, list):
        if not all(isinstance(k, str) for k in raw_kw):
            raise PipelineError("'keywords' must be a list of words or phrases",
                                **where("keywords"))
        keywords = tuple(k.strip() for k in raw_kw if k.strip())
    elif raw_kw is not None:
        raise PipelineError("'keywords' must be a list or a comma-separated line",
                            **where("keywords"))
    for k in keywords:
        _check_text(k, **where("keywords"))

    return Meta(title=title, description=text("description"), lang=lang, dir=direction,
                author=text("author"), date=date, keywords=keywords, ident=text("id"),
                paper=paper, justify=justify, digits=digits,
                short_title=text("short_title"), columns=int(columns or 0))


def _yaml_kind(value: Any) -> str:
    return {list: "list", dict: "mapping"}.get(type(value), type(value).__name__)


def _check_text(value: str, line: int | None = None, column: int | None = None) -> None:
    if m := _FORBIDDEN.search(value):
        raise PipelineError(f"forbidden character {_describe(m.group())} in front matter",
                            line=line, column=column, hint="remove it from the value")


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "") if not 0xD800 <= ord(ch) <= 0xDFFF else "SURROGATE"
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


# --- source text -------------------------------------------------------------


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
    if m := _FORBIDDEN.search(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise PipelineError(f"forbidden character {_describe(m.group())}", line=line,
                            column=col, hint="delete it; it cannot be printed or stored")
    return text


# --- Markdown ----------------------------------------------------------------


def parse_article(text: str, warnings: list[Diagnostic] | None = None,
                  overrides: dict[str, str] | None = None) -> Article:
    """Source text → ``Article``; raises ``PipelineError`` with a line on bad input.

    What is repaired rather than refused (unbalanced bidi controls) is reported
    in ``warnings``. ``overrides`` replace front-matter values (the command's
    ``--metadata key=value``) and are checked like them."""
    warnings = [] if warnings is None else warnings
    if not text.strip():
        raise PipelineError("the source is empty",
                            hint="start it with front matter: ---, title: …, ---")
    tokens = _MD.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        if text.lstrip().startswith("---"):
            raise PipelineError("front matter is not closed", line=1,
                                hint="end it with a line holding only ---")
        raise PipelineError("no front matter", line=1,
                            hint="start the file with ---, title: …, ---")
    fm = tokens[0]
    fm_first_line = fm.map[0] + 2  # 1-based line of the first YAML line
    data, marks = _load_yaml(fm.content, fm_first_line)
    for key, value in (overrides or {}).items():
        if key not in FRONT_MATTER_KEYS:
            raise PipelineError(f"--metadata: unknown front matter key '{key}'",
                                hint=did_you_mean(key, FRONT_MATTER_KEYS, "keys"))
        data[key] = value
        marks.pop(key, None)
    meta = _meta(data, marks, fm_first_line)
    fixed = {}
    for key in ("title", "description", "author"):
        balanced = _balance_bidi((Text(getattr(meta, key)),),
                                 marks.get(key, (fm_first_line, None))[0], warnings)
        fixed[key] = balanced[0].text if balanced else ""
    meta = replace(meta, **fixed)
    blocks = _Blocks(tokens, 1, warnings).read_until(None)
    return Article(meta=meta, blocks=tuple(blocks))


class _Blocks:
    """A cursor over markdown-it's flat token stream, building nested blocks."""

    def __init__(self, tokens: list[Token], start: int, warnings: list[Diagnostic]) -> None:
        self.tokens, self.i, self.warnings = tokens, start, warnings

    def _next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def read_until(self, close: str | None) -> list[Block]:
        blocks: list[Block] = []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if close is not None and tok.type == close:
                self.i += 1
                return blocks
            self.i += 1
            if block := self._block(tok):
                blocks.append(block)
        return blocks

    def _inline(self) -> tuple[Inline, ...]:
        tok = self._next()
        assert tok.type == "inline"
        return _balance_bidi(_inlines(tok), tok.map[0] + 1 if tok.map else None, self.warnings)

    def _block(self, tok: Token) -> Block | None:
        t = tok.type
        if t == "heading_open":
            content = self._inline()
            self._next()
            level = int(tok.tag[1])
            if level == 1:  # the title comes from the front matter
                self.warnings.append(Diagnostic(
                    "a '#' heading in the body is read as a section ('##')",
                    line=tok.map[0] + 1 if tok.map else None, severity="warning",
                    hint="the title is the front matter's; write sections as '## …'"))
                level = 2
            return Heading(level=level, content=content)
        if t == "paragraph_open":
            content = self._inline()
            self._next()
            return Paragraph(content)
        if t == "bullet_list_open":
            return BulletList(tuple(self._items("bullet_list_close")))
        if t == "ordered_list_open":
            start = int(tok.attrGet("start") or 1)
            return OrderedList(tuple(self._items("ordered_list_close")), start=start)
        if t == "blockquote_open":
            return BlockQuote(tuple(self.read_until("blockquote_close")))
        if t in ("fence", "code_block"):
            return CodeBlock(tok.content.rstrip("\n"))
        if t == "hr":
            return ThematicBreak()
        if t == "container_faq_open":
            return self._faq(tok)
        if t == "html_block":  # not produced with html=False; kept as text if it ever is
            return Paragraph((Text(tok.content.strip()),))
        return None

    def _items(self, close: str) -> Iterator[ListItem]:
        while (tok := self._next()).type != close:
            if tok.type == "list_item_open":
                yield _lead_item(tuple(self.read_until("list_item_close")))

    def _faq(self, open_tok: Token) -> Faq:
        entries: list[FaqEntry] = []
        question: tuple[Inline, ...] | None = None
        answer: list[Block] = []
        for block in self.read_until("container_faq_close"):
            if isinstance(block, Heading):
                if question is not None:
                    entries.append(FaqEntry(question, tuple(answer)))
                question, answer = block.content, []
            elif question is None:
                raise PipelineError("a FAQ must open with a question heading",
                                    line=open_tok.map[0] + 2, column=1,
                                    hint="write each question as '### question?'")
            else:
                answer.append(block)
        if question is not None:
            entries.append(FaqEntry(question, tuple(answer)))
        if not entries:
            raise PipelineError("the FAQ holds no question", line=open_tok.map[0] + 1,
                                hint="add '### question?' lines with answers under them")
        for entry in entries:
            if not entry.answer:
                raise PipelineError("a FAQ question has no answer",
                                    line=open_tok.map[0] + 1,
                                    hint="write the answer under each question")
        return Faq(tuple(entries))


# Embeddings and overrides close with PDF; isolates with PDI.
_BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c",
              "\u202e": "\u202c", "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI_CLOSE = {"\u202c", "\u2069"}


def _balance_bidi(nodes: tuple[Inline, ...], line: int | None,
                  warnings: list[Diagnostic]) -> tuple[Inline, ...]:
    """Drop bidi closers that close nothing and close what is left open at the
    end of the block, so that no override leaks into the text after it."""
    if not any(_BIDI_ANY.search(n.text) for n in _texts(nodes)):
        return nodes
    opened: list[str] = []  # the openers still waiting for their closer

    def warn(ch: str, what: str) -> None:
        warnings.append(Diagnostic(
            f"unbalanced bidi control {_describe(ch)} {what}", line=line,
            hint="remove it, or pair it with its closing control", severity="warning"))

    def fix(text: str) -> str:
        out = []
        for ch in text:
            if ch in _BIDI_OPEN:
                opened.append(ch)
            elif ch in _BIDI_CLOSE:
                if opened and _BIDI_OPEN[opened[-1]] == ch:
                    opened.pop()
                else:
                    warn(ch, "closes nothing: removed")
                    continue
            out.append(ch)
        return "".join(out)

    def walk(items: tuple[Inline, ...]) -> tuple[Inline, ...]:
        result: list[Inline] = []
        for n in items:
            if isinstance(n, Text):
                n = Text(fix(n.text))
            elif isinstance(n, (Strong, Emphasis)):
                n = type(n)(walk(n.children))
            elif isinstance(n, Link):
                n = Link(walk(n.children), n.target)
            result.append(n)
        return tuple(result)

    fixed = walk(nodes)
    if opened:
        warn(opened[-1], "left open: closed at the end of the paragraph")
        fixed = _merge([*fixed, Text("".join(_BIDI_OPEN[o] for o in reversed(opened)))])
    return fixed


_BIDI_ANY = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _texts(nodes: tuple[Inline, ...]):
    for n in nodes:
        if isinstance(n, Text):
            yield n
        elif isinstance(n, (Strong, Emphasis, Link)):
            yield from _texts(n.children)


def _lead_item(blocks: tuple[Block, ...]) -> ListItem:
    """Split ``**term**: text`` into the item's lead term and the rest."""
    if blocks and isinstance(blocks[0], Paragraph):
        content = blocks[0].content
        if (len(content) >= 2 and isinstance(content[0], Strong)
                and isinstance(content[1], Text) and content[1].text.startswith(":")):
            rest = Paragraph(content[1:])
            return ListItem(blocks=(rest, *blocks[1:]), lead=content[0].children)
    return ListItem(blocks=blocks)


def _inlines(tok: Token) -> tuple[Inline, ...]:
    stack: list[tuple[str, list[Inline], str]] = [("root", [], "")]
    for child in tok.children or []:
        t = child.type
        out = stack[-1][1]
        if t in ("text", "html_inline"):
            out.append(Text(child.content))
        elif t == "softbreak":
            out.append(Text(" "))
        elif t == "hardbreak":
            out.append(LineBreak())
        elif t == "code_inline":
            out.append(Code(child.content))
        elif t in ("strong_open", "em_open"):
            stack.append((t, [], ""))
        elif t == "link_open":
            stack.append((t, [], str(child.attrGet("href") or "")))
        elif t in ("strong_close", "em_close", "link_close"):
            kind, children, target = stack.pop()
            merged = _merge(children)
            node: Inline = (Strong(merged) if kind == "strong_open" else
                            Emphasis(merged) if kind == "em_open" else Link(merged, target))
            stack[-1][1].append(node)
        elif t == "image":
            out.append(_image(child, tok.map[0] + 1 if tok.map else None))
    return _merge(stack[0][1])


def _image(tok: Token, line: int | None) -> Image:
    """An image reference; only a relative path inside the article's folder."""
    src = str(tok.attrGet("src") or "")
    alt = "".join(c.content for c in tok.children or [] if c.type in ("text", "code_inline"))
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")) or not src:
        raise PipelineError(f"image {src!r} is not a relative path", line=line,
                            hint="put the image in the article's folder and name it "
                                 "relative to the article; nothing is fetched from elsewhere")
    if ".." in Path(unquote(parts.path)).parts:
        raise PipelineError(f"image {src!r} leaves the article's folder", line=line,
                            hint="keep images inside the article's folder")
    return Image(src=unquote(parts.path), alt=alt.strip(), title=str(tok.attrGet("title") or ""))


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            merged.append(node)
    return tuple(merged)


# --- fonts -------------------------------------------------------------------


def uncovered_characters(text: str, covered: frozenset[int]) -> list[Diagnostic]:
    """A warning for each character (first occurrence) no shipped font can draw."""
    warnings: list[Diagnostic] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.split("\n"), 1):
        for col, ch in enumerate(line, 1):
            if ch in seen or ord(ch) in covered or ch in " \t" or unicodedata.category(ch) in (
                    "Cf", "Cc"):
                continue
            seen.add(ch)
            warnings.append(Diagnostic(
                f"no shipped font has {_describe(ch)}", line=lineno, column=col,
                hint="it may print as a blank box; add a font for it to fonts/",
                severity="warning"))
    return warnings
