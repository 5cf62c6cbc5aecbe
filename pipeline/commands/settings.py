"""House settings: defaults for a newsroom, kept in one place.

Read, weakest first, from the built-in defaults, ``[tool.pipeline]`` in the
``pyproject.toml`` of the current folder, a ``pipeline.toml`` next to the
content (the folder of the articles being built, else ``content/``), and the
command line. Each value remembers where it came from: ``pipeline config``
shows it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PipelineError, did_you_mean
from ..schema import (DEFAULTS, OPTIONS, PATH_KEYS, SCHEMA, Option, article_settings, checked,
                      shown_default)


@dataclass(frozen=True)
class Setting:
    value: Any
    """The value in force."""
    origin: str
    """Where it came from: default, a file's name, or command line."""


def resolve(command_line: dict[str, Any], sources: list[str] | None = None,
            cwd: Path | None = None) -> dict[str, Setting]:
    """The settings in force: defaults < pyproject.toml < pipeline.toml < command line
    (``command_line`` holds only what the user typed)."""
    cwd = cwd or Path.cwd()
    settings = {o.key: Setting(checked(o, o.default), "default") for o in SCHEMA}
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject)
        for name in ("tool", "pipeline"):
            table = table.get(name, {})
            if not isinstance(table, dict):
                raise PipelineError(f"settings: '{name}' is not a table", path=str(pyproject),
                                    hint="settings go under [tool.pipeline]")
        _apply(settings, table, pyproject, "pyproject.toml [tool.pipeline]")
    house = _content_dir(sources, cwd) / "pipeline.toml"
    if house.is_file():
        # A content folder's settings come with the articles, from anyone: the
        # folders they name stay inside the project (where the command runs).
        _apply(settings, _read(house), house, _shown(house, cwd), confine=cwd.resolve())
    for key, value in command_line.items():
        if value is not None and value != []:
            settings[key] = Setting(checked(OPTIONS[key], value), "command line")
    return settings


def _content_dir(sources: list[str] | None, cwd: Path) -> Path:
    if sources:
        first = Path(sources[0])
        return first if first.is_dir() else first.parent
    return cwd / "content"


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM, as articles may have
    except UnicodeDecodeError as exc:
        raise PipelineError(f"settings: not UTF-8 text (byte {exc.start})", path=str(path),
                            hint="save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        raise PipelineError(f"settings: {exc}", path=str(path),
                            line=int(m.group(1)) if m else None,
                            column=int(m.group(2)) if m else None,
                            hint="fix the TOML syntax") from None
    except OSError as exc:
        raise PipelineError(f"cannot read settings: {exc.strerror}", path=str(path)) from None


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def _apply(settings: dict[str, Setting], table: dict, path: Path, origin: str,
           confine: Path | None = None) -> None:
    for key, value in table.items():
        if key not in DEFAULTS:
            raise PipelineError(f"unknown setting '{key}'", path=str(path),
                                hint=did_you_mean(key, DEFAULTS, "settings"))
        if confine is not None and key in PATH_KEYS:
            # before anything is looked up there: a content folder's file may
            # not learn what exists outside the project
            for named in value if isinstance(value, list) else [value]:
                folder = path.parent / named if isinstance(named, str) else None
                if folder is not None and not folder.resolve().is_relative_to(confine):
                    raise PipelineError(
                        f"setting '{key}' names {named}, outside the project {confine}",
                        path=str(path),
                        hint="a content folder's pipeline.toml may only name folders inside "
                             "the project; give outside ones on the command line")
        settings[key] = Setting(_typed(key, value, path), origin)


def _typed(key: str, value: Any, path: Path) -> Any:
    """A settings file's value for ``key``, checked by the schema's one
    validator; its paths are relative to the file."""
    try:
        return checked(OPTIONS[key], value, relative_to=path.parent)
    except PipelineError as exc:
        raise PipelineError(exc.diagnostic.message, path=str(path),
                            hint=exc.diagnostic.hint) from None


def add_arguments(parser) -> None:
    """The command line's options for every setting of the schema."""
    for o in SCHEMA:
        default = "" if o.default in (None, [], False) else f" (default: {shown_default(o)})"
        where = f"; unset, the article's {o.front_matter}: decides" if o.front_matter else ""
        kwargs: dict[str, Any] = {"dest": o.dest, "help": o.help + default + where}
        if o.kind == "choice":  # checked by the schema, as in a file: --paper A5 is a5
            kwargs.update(type=_checked_as(o), metavar="{" + ",".join(map(str, o.choices)) + "}")
        elif o.kind == "choices":
            kwargs.update(action="append", type=_checked_as(o), metavar=o.metavar)
        elif o.kind in ("length", "variant"):
            kwargs.update(type=_checked_as(o), metavar=o.metavar)
        elif o.kind == "flag":
            kwargs.update(action="store_true", default=None)
        elif o.kind == "paths":
            kwargs.update(action="append", type=Path, metavar=o.metavar)
        elif o.kind == "path":
            kwargs.update(type=Path, metavar=o.metavar)
        else:
            kwargs.update(metavar=o.metavar)
        parser.add_argument(*o.flags, **kwargs)


def _checked_as(option: Option):
    """An argparse type: the schema's one validator (a list of choices may
    be written with commas: -f pdf,docx)."""
    def parse(value: str) -> Any:
        import argparse
        try:
            typed = checked(option, value)
            return list(typed) if option.kind == "choices" else typed  # appended to
        except PipelineError as exc:
            raise argparse.ArgumentTypeError(exc.diagnostic.message) from None
    return parse


def from_arguments(args) -> dict[str, Any]:
    """What the user typed, by setting key (None where they typed nothing)."""
    typed = {}
    for o in SCHEMA:
        value = getattr(args, o.dest)
        if o.kind == "choices" and value:  # -f pdf,docx -f epub: one list, in order
            value = list(dict.fromkeys(v for group in value for v in group))
        typed[o.key] = value
    return typed


def build_fields(in_force: dict[str, "Setting"]) -> dict[str, Any]:
    """The ``BuildSettings`` fields the settings in force fill (each value
    already in its type: ``checked`` made it)."""
    return {o.field: in_force[o.key].value for o in SCHEMA if o.field is not None}


def for_article(settings: dict[str, Setting], article) -> dict[str, Setting]:
    """``settings`` as one article gets them (``schema.article_settings``):
    what no settings file or command line set comes from its front matter,
    else the default the build gives it."""
    chosen = {k: s.value for k, s in settings.items() if s.origin != "default"}
    out = dict(settings)
    for key, (value, origin) in article_settings(chosen, article).items():
        if settings[key].origin == "default":
            out[key] = Setting(value, origin)
    return out


def describe(settings: dict[str, Setting]) -> str:
    """The settings in force as an aligned table, one per line."""
    def shown(value: Any) -> str:
        if value is None:
            return "(none)"
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value)) or "(none)"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):  # a length, held in millimetres
            return f"{value:g}mm"
        return str(value)

    width = max(map(len, settings))
    rows = [f"{key:<{width}}  {shown(s.value):<28}  {s.origin}" for key, s in settings.items()]
    return "\n".join(rows)
