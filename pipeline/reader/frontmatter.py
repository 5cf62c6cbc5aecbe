"""The front matter: YAML read safely, every value checked against its field.

Every refusal names the line and column of the key it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import yaml

from ..errors import PipelineError, did_you_mean
from ..model import Meta
from ..pages import PAPERS
from ..schema import SCHEMA, checked
from .checks import image_path
from .text import check_text as _check_text

FRONT_MATTER_KEYS = ("title", "description", "lang", "dir", "author", "date",
                     "keywords", "id", "paper", "justify", "digits", "short_title",
                     "columns", "section", "tags", "cover", "credit")
PAPER_SIZES = tuple(PAPERS)
MAX_TITLE_CHARS = 300
"""A headline (or deck, or byline) longer than this is refused: it is set on
the cover, in the running head and in every format's metadata."""
MAX_ID_CHARS = 200
"""An ``id`` longer than this is refused (the DOCX's core properties hold 255)."""
FIRST_YEAR, LAST_YEAR = 1000, 2107
"""Dates outside these years are refused: EPUB's date needs four digits, and
ZIP (EPUB, DOCX) cannot store a time after 2107."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
        if not isinstance(node, yaml.MappingNode):  # ``!!map`` on a plain value
            raise _YamlRefusal("a YAML tag says mapping where there is none",
                               node.start_mark, "front matter holds plain text values only")
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _YamlRefusal("front matter keys must be plain words",
                                   key_node.start_mark, "write 'key: value' lines")
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
# Explicit tags too: ``!!timestamp 2023-02-30`` or ``!!int 0x`` would reach a
# constructor that fails on its own terms; only text, lists and mappings exist
# here (any other tag is refused as "not allowed").
_FrontMatterLoader.yaml_constructors = {
    tag: constructor for tag, constructor in yaml.SafeLoader.yaml_constructors.items()
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:seq",
               "tag:yaml.org,2002:map", "tag:yaml.org,2002:null", None)}


class _YamlRefusal(yaml.YAMLError):
    def __init__(self, message: str, mark: Any, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


def load_yaml(text: str, first_line: int) -> tuple[dict, dict[str, tuple[int, int]]]:
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


def meta_from(data: dict, marks: dict[str, tuple[int, int]], fm_line: int) -> Meta:
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
        if key in ("title", "short_title", "description", "author", "section", "credit") and \
                len(value) > MAX_TITLE_CHARS:
            raise PipelineError(f"'{key}' is {len(value):,} characters, over the "
                                f"{MAX_TITLE_CHARS}-character limit",
                                hint="shorten it; the body is the place for long text",
                                **where(key))
        return value

    title = text("title", required=True)
    lang = text("lang") or "ar"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang):
        raise PipelineError(f"'lang' is not a language tag: {lang!r}",
                            hint="use a BCP 47 tag such as ar or ar-EG", **where("lang"))
    direction = text("dir") or "rtl"
    if direction not in ("rtl", "ltr"):
        raise PipelineError(f"'dir' must be rtl or ltr, not {direction!r}", **where("dir"))
    # the settings an article may choose, checked by the schema as everywhere
    chosen = {}
    for option in (o for o in SCHEMA if o.front_matter):
        written = text(option.front_matter)
        try:
            chosen[option.front_matter] = checked(option, written, name=option.front_matter) \
                if written.strip() else None
        except PipelineError as exc:
            raise PipelineError(exc.diagnostic.message, hint=exc.diagnostic.hint,
                                **where(option.front_matter)) from None
    paper, digits, justify = chosen["paper"] or "", chosen["digits"] or "", chosen["justify"] or ""
    columns = chosen["columns"]

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
        if not FIRST_YEAR <= date.year <= LAST_YEAR:
            raise PipelineError(f"'date' is in the year {date.year}, outside "
                                f"{FIRST_YEAR}–{LAST_YEAR}",
                                hint="give the article's publication date", **where("date"))

    def word_list(key: str) -> tuple[str, ...]:
        """A list of words or phrases, or one comma-separated line."""
        raw = data.get(key)
        if isinstance(raw, str):
            words = tuple(k.strip() for k in re.split(r"[,،]", raw) if k.strip())
        elif isinstance(raw, list):
            if not all(isinstance(k, str) for k in raw):
                raise PipelineError(f"'{key}' must be a list of words or phrases",
                                    **where(key))
            words = tuple(k.strip() for k in raw if k.strip())
        elif raw is not None:
            raise PipelineError(f"'{key}' must be a list or a comma-separated line",
                                **where(key))
        else:
            words = ()
        for k in words:
            _check_text(k, **where(key))
        return words

    keywords, tags = word_list("keywords"), word_list("tags")
    section = text("section")
    cover = text("cover")
    if cover:
        cover = image_path(cover, **where("cover"))
    credit = text("credit")
    if credit and not cover:
        raise PipelineError("'credit' is the cover picture's, and there is no 'cover'",
                            hint="add 'cover: photo.jpg', or give a figure's credit "
                                 "after its image: ![…](photo.jpg){credit=\"…\"}",
                            **where("credit"))

    ident = text("id")
    if len(ident) > MAX_ID_CHARS:
        raise PipelineError(f"'id' is {len(ident):,} characters, over the "
                            f"{MAX_ID_CHARS}-character limit", **where("id"),
                            hint="use a short identifier such as an ISBN or urn:uuid:…")
    if ident.lower().startswith("urn:uuid:"):
        try:
            uuid.UUID(ident[len("urn:uuid:"):])
        except ValueError:
            raise PipelineError(f"'id' is not a UUID: {ident!r}", **where("id"),
                                hint="write urn:uuid: and 32 hex digits, or leave 'id' "
                                     "out for one made from the source") from None
    elif re.search(r"\s", ident):
        raise PipelineError(f"'id' has spaces: {ident!r}", **where("id"),
                            hint="an identifier is one word, e.g. an ISBN or a URN")
    return Meta(title=title, description=text("description"), lang=lang, dir=direction,
                author=text("author"), date=date, keywords=keywords, ident=ident,
                paper=paper, justify=justify, digits=digits,
                short_title=text("short_title"), columns=columns or 0,
                section=section, tags=tags, cover=cover, cover_credit=credit)


def _yaml_kind(value: Any) -> str:
    return {list: "list", dict: "mapping"}.get(type(value), type(value).__name__)


def typed_front_matter(text: str) -> str:
    """The source's front matter block as typed, its ``---`` lines included."""
    typed = re.match(r"\ufeff?(---[ \t]*\r?\n.*?\r?\n---[ \t]*)(\r?\n|$)", text, re.S)
    return typed.group(1).replace("\r\n", "\n") + "\n" if typed else ""
