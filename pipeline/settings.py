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

from .errors import PipelineError, did_you_mean
from .pages import COLUMNS, JUSTIFICATIONS
from .pages import PAPERS as PAPER_TABLE
from .regional import DIGIT_STYLES

FORMATS = ("pdf", "docx", "epub", "html")
PAPERS = tuple(PAPER_TABLE)


@dataclass(frozen=True)
class Setting:
    value: Any
    """The value in force."""
    origin: str
    """Where it came from: default, a file's name, or command line."""


DEFAULTS: dict[str, Any] = {
    "formats": ["pdf", "docx", "epub"],
    "outdir": Path("out"),
    "paper": None,
    "pdf-variant": "pdf/ua-1",
    "bleed": "0mm",
    "marks": False,
    "justify": None,
    "digits": None,
    "columns": None,
    "reference-docx": None,
    "template-dir": [],
    "fonts": None,
}
PATH_KEYS = ("outdir", "reference-docx", "template-dir", "fonts")


def resolve(command_line: dict[str, Any], sources: list[str] | None = None,
            cwd: Path | None = None) -> dict[str, Setting]:
    """The settings in force: defaults < pyproject.toml < pipeline.toml < command line
    (``command_line`` holds only what the user typed)."""
    cwd = cwd or Path.cwd()
    settings = {key: Setting(value, "default") for key, value in DEFAULTS.items()}
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("pipeline", {})
        _apply(settings, table, pyproject, "pyproject.toml [tool.pipeline]")
    house = _content_dir(sources, cwd) / "pipeline.toml"
    if house.is_file():
        # A content folder's settings come with the articles, from anyone: the
        # folders they name stay inside the project (where the command runs).
        _apply(settings, _read(house), house, _shown(house, cwd), confine=cwd.resolve())
    for key, value in command_line.items():
        if value is not None and value != []:
            settings[key] = Setting(value, "command line")
    return settings


def _content_dir(sources: list[str] | None, cwd: Path) -> Path:
    if sources:
        first = Path(sources[0])
        return first if first.is_dir() else first.parent
    return cwd / "content"


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
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
        typed = _typed(key, value, path)
        if confine is not None and key in PATH_KEYS:
            for folder in typed if isinstance(typed, list) else [typed]:
                if not Path(folder).resolve().is_relative_to(confine):
                    raise PipelineError(
                        f"setting '{key}' names {folder}, outside the project {confine}",
                        path=str(path),
                        hint="a content folder's pipeline.toml may only name folders inside "
                             "the project; give outside ones on the command line")
        settings[key] = Setting(typed, origin)


def _typed(key: str, value: Any, path: Path) -> Any:
    def fail(expected: str):
        raise PipelineError(f"setting '{key}' must be {expected}, not {value!r}",
                            path=str(path))

    base = path.parent
    if key == "formats":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or any(f not in FORMATS for f in items):
            fail("a list of " + ", ".join(FORMATS))
        return [str(f) for f in items]
    if key == "paper":
        if value not in PAPERS:
            fail(" or ".join(PAPERS))
        return value
    if key == "columns":
        if value not in COLUMNS:
            fail("1 or 2")
        return value
    if key == "digits":
        if value not in DIGIT_STYLES:
            fail("arabic-indic or western")
        return value
    if key == "justify":
        if value not in JUSTIFICATIONS:
            fail(" or ".join(JUSTIFICATIONS))
        return value
    if key == "marks":
        if not isinstance(value, bool):
            fail("true or false")
        return value
    if key in ("pdf-variant", "bleed"):
        if not isinstance(value, str):
            fail("text")
        return value
    if key == "template-dir":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or any(not isinstance(p, str) for p in items):
            fail("a folder or a list of folders")
        return [base / p for p in items]
    if key in PATH_KEYS:
        if not isinstance(value, str):
            fail("a path")
        return base / value
    return value


def describe(settings: dict[str, Setting]) -> str:
    """The settings in force as an aligned table, one per line."""
    def shown(value: Any) -> str:
        if value is None:
            return "(none)"
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "(none)"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    width = max(map(len, settings))
    rows = [f"{key:<{width}}  {shown(s.value):<28}  {s.origin}" for key, s in settings.items()]
    return "\n".join(rows)
