"""The settings schema (pipeline/schema.py, read by pipeline/commands/settings.py): one table from which the command
line, the settings files' checks, ``pipeline config``, the build settings and
the README's table are made."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.building.jobs import BuildSettings
from pipeline.commands.settings import add_arguments, build_fields, from_arguments, resolve
from pipeline.schema import FORMATS, OPTIONS, SCHEMA, markdown_table
from pipeline.writers import FORMATS as WRITERS

from conftest import ROOT


def test_the_readme_table_is_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings table: .*? -->\n(.*?)\n<!-- end of settings table -->",
                      readme, re.S)
    assert found and found.group(1) == markdown_table()


def test_formats_come_from_the_writer_registry():
    assert FORMATS == tuple(WRITERS) and OPTIONS["formats"].choices == FORMATS


def test_every_build_setting_has_a_field_and_every_field_a_setting():
    fields = {f.name for f in dataclasses.fields(BuildSettings)}
    from_schema = {o.field for o in SCHEMA if o.field}
    assert from_schema <= fields
    assert fields - from_schema == {"debug", "force", "metadata"}  # per run, not house settings


def test_the_command_line_is_made_from_the_schema(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()  # a template folder must be there
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["-f", "pdf,docx", "--to", "epub", "--paper", "a5", "--columns", "2",
                              "--marks", "--template-dir", str(a), "--template-dir", str(b)])
    typed = from_arguments(args)
    assert typed["formats"] == ["pdf", "docx", "epub"] and typed["columns"] == 2
    assert typed["marks"] is True and typed["template-dir"] == [a, b]
    in_force = resolve(typed, cwd=tmp_path)
    settings = BuildSettings(**build_fields(in_force))
    assert settings.formats == ("pdf", "docx", "epub") and settings.paper == "a5"
    assert settings.columns == 2 and settings.marks and settings.bleed_mm == 0
    with pytest.raises(SystemExit):
        parser.parse_args(["-f", "odt"])


@pytest.mark.parametrize("line, expected", [
    ('paper = "b5"', "must be a4 or a5 or letter"),
    ("columns = 3", "must be 1 or 2"),
    ("columns = true", "must be 1 or 2"),
    ('formats = ["pdf", "odt"]', "must be some of pdf, docx, epub, html"),
    ('marks = "yes"', "must be true or false"),
    ('bleed = "3 furlongs"', "must be a length (3mm"),
    ("bleed = -3", "must be a length (3mm"),
    ("template-dir = [1]", "must be a folder or a list of folders"),
    ('paperr = "a5"', "unknown setting 'paperr'"),
])
def test_settings_files_are_checked_against_the_schema(tmp_path, line, expected):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pipeline]\n{line}\n")
    with pytest.raises(PipelineError, match=re.escape(expected)):
        resolve({}, cwd=tmp_path)


WAYS_IN = ("settings file", "front matter", "BuildSettings", "render()", "command line")


def _refusal(way: str, key: str, value, tmp_path: Path) -> str:
    """The message a wrong ``value`` of setting ``key`` gets, given one way in."""
    from pipeline.api import render
    option = OPTIONS[key]
    try:
        if way == "settings file":
            (tmp_path / "pyproject.toml").write_text(f"[tool.pipeline]\n{key} = {value!r}\n")
            resolve({}, cwd=tmp_path)
        elif way == "front matter":
            render(f"---\ntitle: t\n{option.front_matter}: {value}\n---\n\nنص.\n", "docx")
        elif way == "BuildSettings":
            BuildSettings(**{option.field: value})
        elif way == "render()":
            render("---\ntitle: t\n---\n\nنص.\n", "docx", **{option.field: value})
        else:
            resolve({key: value}, cwd=tmp_path)
    except PipelineError as exc:
        return exc.diagnostic.message
    return "accepted"


@pytest.mark.parametrize("key, wrong, right, typed", [
    ("paper", "b5", "A5", "a5"), ("columns", "3", "2", 2), ("digits", "latin", "Western", "western"),
    ("justify", "stretch", "spaces", "spaces")])
def test_every_way_in_is_checked_by_the_one_validator(key, wrong, right, typed, tmp_path):
    """A settings file, the front matter, BuildSettings, render() and the
    command line's values go through ``schema.checked``: one wrong value gets
    one refusal in the same words (naming the setting as that way spells
    it), one right value the same typed value."""
    option = OPTIONS[key]
    said = {way: _refusal(way, key, wrong, tmp_path) for way in WAYS_IN}
    words = f"must be {' or '.join(map(str, option.choices))}, not {wrong!r}"
    assert said == {"settings file": f"setting '{key}' {words}",
                    "front matter": f"setting '{option.front_matter}' {words}",
                    "BuildSettings": f"setting '{option.field}' {words}",
                    "render()": f"setting '{option.field}' {words}",
                    "command line": f"setting '{key}' {words}"}
    assert {_refusal(way, key, right, tmp_path) for way in WAYS_IN} == {"accepted"}
    assert getattr(BuildSettings(**{OPTIONS[key].field: right}), OPTIONS[key].field) == typed
    assert resolve({key: right}, cwd=tmp_path)[key].value == typed


def test_config_of_an_article_shows_what_it_gets_and_from_where(tmp_path):
    """The bundled article sets its digits; its paper and justification are
    the build's defaults, the same ones the build gives it; a settings file
    still wins over the front matter, as in the build."""
    import subprocess
    import sys

    from pipeline.building.jobs import BuildSettings
    from pipeline.building.prepare import prepare

    def shown(*args, cwd=ROOT):
        out = subprocess.run([sys.executable, "-m", "pipeline", "config", *args], cwd=cwd,
                             capture_output=True, text=True, check=True).stdout
        return {line.split()[0]: (line.split()[1], " ".join(line.split()[2:]))
                for line in out.splitlines()}

    bundled = ROOT / "content" / "netanyahu-blinken-jerusalem.md"
    rows = shown(str(bundled))
    assert rows["digits"] == ("arabic-indic", "front matter")
    assert rows["paper"] == ("a4", "default")
    assert rows["justify"] == ("kashida", "default")
    assert rows["columns"] == ("1", "default")
    job = prepare(bundled, BuildSettings())
    assert (job.options.pdf.paper, job.options.pdf.justify, job.options.digits) == (
        "a4", "kashida", "arabic-indic")
    # a house file beats the front matter; an article that sets nothing gets
    # its language's digits (ar-SY: Arabic-Indic; ar-DZ: Western)
    (tmp_path / "pipeline.toml").write_text('digits = "western"\njustify = "spaces"\n')
    article = tmp_path / "a.md"
    article.write_text('---\ntitle: "ت"\nlang: ar-DZ\n---\nنص\n', encoding="utf-8")
    rows = shown(str(article))
    assert rows["digits"][0] == "western" and rows["digits"][1].endswith("pipeline.toml")
    (tmp_path / "pipeline.toml").unlink()
    rows = shown(str(article))
    assert rows["digits"] == ("western", "default (the digits of ar-DZ)")
    assert rows["justify"] == ("kashida", "default")


PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def _settings_defaulted_or_checked_outside_the_schema(root: Path = PACKAGE) -> list[str]:
    """Where a module other than the schema (and the tables it takes its
    choices from) writes a setting's value as a default — a parameter's, a
    field's, ``x or "a4"`` — or checks a value against a list of choices."""
    import ast
    from pipeline.schema import SCHEMA
    values = {c for o in SCHEMA if o.kind == "choice" for c in o.choices
              if isinstance(c, str) and c != "none"}
    tables = {"schema.py", "pages.py", "regional.py"}  # where the choices are defined
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name in tables and path.parent == root:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(root)

        def named(node) -> bool:
            return isinstance(node, ast.Constant) and node.value in values

        for node in ast.walk(tree):
            if isinstance(node, ast.arguments):
                found += [f"{where}:{d.lineno} parameter default {d.value!r}"
                          for d in [*node.defaults, *node.kw_defaults] if d and named(d)]
            elif isinstance(node, ast.AnnAssign) and node.value is not None and named(node.value):
                found.append(f"{where}:{node.lineno} field default {node.value.value!r}")
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) \
                    and named(node.values[-1]):
                found.append(f"{where}:{node.lineno} fallback {node.values[-1].value!r}")
            elif isinstance(node, ast.Compare) and any(
                    isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
                for side in node.comparators:
                    if isinstance(side, (ast.Tuple, ast.List, ast.Set)) and any(
                            named(e) for e in side.elts):
                        found.append(f"{where}:{node.lineno} checked against choices")
                    elif isinstance(side, ast.Attribute) and side.attr == "choices":
                        found.append(f"{where}:{node.lineno} checked against the "
                                     f"schema's choices")
    return found


def test_no_setting_is_defaulted_or_checked_outside_the_schema():
    """Defaults live in the schema and one validator checks every value
    (``schema.checked``): a writer that
    falls back on its own ``or "a4"`` would disagree with ``pipeline config``."""
    assert _settings_defaulted_or_checked_outside_the_schema() == []


def test_the_settings_scan_catches_what_it_looks_for(tmp_path):
    """The scan above is not empty-handed by construction: it finds each of
    the five ways a default or a check can hide."""
    source = ('def f(paper="a4"): pass\nclass O:\n    justify: str = "kashida"\n'
              'x = y or "letter"\nif z not in ("western", "arabic-indic"): pass\n'
              'if v not in option.choices: pass\n')
    (tmp_path / "planted.py").write_text(source, encoding="utf-8")
    found = _settings_defaulted_or_checked_outside_the_schema(tmp_path)
    assert [f.split(" ", 1)[1] for f in found] == [
        "parameter default 'a4'", "field default 'kashida'", "fallback 'letter'",
        "checked against choices", "checked against the schema's choices"]


@pytest.mark.parametrize("name, text, expected", [
    ("content/pipeline.toml", 'paper = "a5\xff"\n', "not UTF-8 text"),
    ("pyproject.toml", "[tool]\npipeline = 3\n", "'pipeline' is not a table"),
    ("pyproject.toml", "tool = 3\n", "'tool' is not a table"),
    ("content/pipeline.toml", 'reference-docx = "/etc/no-such-file"\n', "outside the project"),
])
def test_a_settings_file_of_any_shape_gets_a_line_not_a_failure(tmp_path, name, text, expected):
    (tmp_path / "content").mkdir()
    (tmp_path / name).write_bytes(text.encode("latin-1" if "\xff" in text else "utf-8"))
    with pytest.raises(PipelineError, match=re.escape(expected)):
        resolve({}, cwd=tmp_path)


def test_a_content_folders_template_folder_is_taken_and_one_outside_refused(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "theme").mkdir()
    (tmp_path / "content" / "pipeline.toml").write_text('template-dir = ["../theme"]\n')
    in_force = resolve({}, cwd=tmp_path)
    assert [p.resolve() for p in in_force["template-dir"].value] == [tmp_path / "theme"]
    (tmp_path / "content" / "pipeline.toml").write_text('template-dir = ["/etc"]\n')
    with pytest.raises(PipelineError, match="outside the project"):
        resolve({}, cwd=tmp_path)
    # with a BOM, as an editor may save it
    (tmp_path / "content" / "pipeline.toml").write_bytes(b'\xef\xbb\xbfpaper = "A5"\n')
    assert resolve({}, cwd=tmp_path)["paper"].value == "a5"
