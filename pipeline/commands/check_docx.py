"""``pipeline check`` of a DOCX: right to left, fonts embedded, nothing that
runs or fetches when Word opens it, and no editor's draft (pending tracked
changes, open comments) passed off as a deliverable."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .check_report import RTL_LANGUAGES, Report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"

TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
"""The parts that hold the document's text, its fields and its revisions."""
REVISIONS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
             "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange")
"""Word's tracked changes: each waits for an editor to accept or reject it."""
FETCHING_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK)\b", re.I)
ARGUMENT = re.compile(r'"([^"]*)"|(\S+)')
RUNNING_FIELDS = re.compile(r"^\s*(DDEAUTO|DDE)\b", re.I)
REMOTE = re.compile(r"^\s*([a-z][a-z0-9+.-]+:|\\\\|//)", re.I)
"""A field target with a scheme (http:, file:, ftp:…) or a UNC path
(\\\\host\\share); a drive letter (C:\\…) is a path on the reader's own machine."""
ACTIVE_RELATIONSHIPS = {"oleObject": "an OLE object", "package": "an embedded package",
                        "control": "an ActiveX control", "activeXControlBinary":
                        "an ActiveX control"}


def check_docx(path: Path, report: Report, allow_changes: bool = False) -> None:
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        if (bad := z.testzip()) is not None:
            report.problems.append(f"damaged ZIP entry {bad}")
            return
        names = set(z.namelist())
        for needed in ("word/document.xml", "word/styles.xml", "[Content_Types].xml"):
            if needed not in names:
                report.problems.append(f"not a Word document: no {needed}")
                return

        def part(name):
            return etree.fromstring(z.read(name)) if name in names else None

        document, styles = part("word/document.xml"), part("word/styles.xml")
        core, font_table = part("docProps/core.xml"), part("word/fontTable.xml")
        settings = part("word/settings.xml")
        fonts = [n for n in names if n.startswith("word/fonts/")]
        if macros := [n for n in names if n.lower().endswith("vbaproject.bin")]:
            report.problems.append(f"holds macros ({macros[0]})")
        if b"macroEnabled" in z.read("[Content_Types].xml"):
            report.problems.append("declared macro-enabled in [Content_Types].xml")
        for rels in sorted(n for n in names if n.endswith(".rels")):
            _check_relationships(part(rels), report)
        if activex := sorted(n for n in names if n.lower().startswith("word/activex/")):
            report.problems.append(f"holds an ActiveX control ({activex[0]})")
        texts = {name: part(name) for name in sorted(names) if TEXT_PARTS.fullmatch(name)}
        _check_fields(texts, report)
        if not allow_changes:
            _check_draft(texts, part("word/commentsExtended.xml"), report)
    _check_layout(document, styles, core, report)
    embedded = font_table is not None and any(
        child.tag.startswith(f"{W}embed") for font in font_table for child in font)
    if not embedded or not fonts:
        report.problems.append("no font embedded: on a machine without the font the "
                               "text falls back to another face")
    elif settings is None or settings.find(f"{W}embedTrueTypeFonts") is None:
        report.problems.append("fonts are embedded but w:embedTrueTypeFonts is not set")
    else:
        report.passed.append(f"{len(fonts)} fonts embedded")
    try:
        import docx
        docx.Document(str(path))
        report.passed.append("opens in python-docx")
    except Exception as exc:  # python-docx raises several kinds for a broken package
        report.problems.append(f"python-docx cannot open it: {exc}")


def _check_relationships(tree, report: Report) -> None:
    """Nothing fetched from outside the file but hyperlinks; no OLE object,
    embedded package or ActiveX control (each runs another program's code)."""
    for rel in tree if tree is not None else ():
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if rel.get("TargetMode") == "External" and kind != "hyperlink":
            report.problems.append(f"refers to {rel.get('Target')!r} outside the file ({kind})")
        elif kind in ACTIVE_RELATIONSHIPS:
            report.problems.append(f"holds {ACTIVE_RELATIONSHIPS[kind]} "
                                   f"({rel.get('Target', '?')})")


def field_instructions(root):
    """Each field's instruction: a simple field's attribute, or a complex
    field's ``w:instrText`` runs joined (Word splits one instruction over
    several runs) from its begin to its separate or end mark."""
    if root is None:
        return
    for simple in root.iter(f"{W}fldSimple"):
        yield simple.get(f"{W}instr") or ""
    pieces: list[str] | None = None
    for element in root.iter(f"{W}fldChar", f"{W}instrText"):
        if element.tag == f"{W}instrText":
            if pieces is not None:
                pieces.append(element.text or "")
            continue
        kind = element.get(f"{W}fldCharType")
        if kind == "begin":
            if pieces is not None:  # a nested field: its parent's instruction so far
                yield "".join(pieces)
            pieces = []
        elif pieces is not None:
            yield "".join(pieces)
            pieces = None


def _check_fields(texts: dict, report: Report) -> None:
    """Fields that fetch from another machine when the document is opened or
    updated, or that start a program (DDE)."""
    for name, root in texts.items():
        for instruction in field_instructions(root):
            if m := RUNNING_FIELDS.match(instruction):
                report.problems.append(f"has a {m.group(1).upper()} field, which starts "
                                       f"another program ({name})")
            elif (m := FETCHING_FIELDS.match(instruction)) and (target := next(
                    (a for a in _arguments(instruction[m.end():]) if REMOTE.match(a)), None)):
                report.problems.append(f"has {_article(m.group(1))} field fetching "
                                       f"{target[:80]!r} ({name})")


def _arguments(text: str):
    """A field's arguments, quoted or not (LINK names a program, then a file)."""
    for quoted, bare in ARGUMENT.findall(text):
        yield quoted or bare


def _check_draft(texts: dict, extended, report: Report) -> None:
    """Pending tracked changes and open comments: an editor's draft."""
    pending = {}
    for name, root in texts.items():
        if name == "word/comments.xml":
            continue
        for kind in REVISIONS:
            if found := sum(1 for _ in root.iter(f"{W}{kind}")):
                pending[kind] = pending.get(kind, 0) + found
    if pending:
        report.problems.append(f"has {sum(pending.values())} tracked changes not accepted or "
                               f"rejected ({', '.join(f'w:{k}' for k in pending)}); pass "
                               "--allow-changes to check a draft")
    comments = texts.get("word/comments.xml")
    if comments is None:
        return
    done = {c.get(f"{W15}paraId") for c in (extended.iter(f"{W15}commentEx")
                                            if extended is not None else ())
            if c.get(f"{W15}done") in ("1", "true")}
    open_ = 0
    for comment in comments.iter(f"{W}comment"):
        paragraphs = comment.findall(f"{W}p")
        if not paragraphs or paragraphs[-1].get(f"{W14}paraId") not in done:
            open_ += 1
    if open_:
        report.problems.append(f"has {open_} open comments; resolve or delete them, or "
                               "pass --allow-changes to check a draft")


def _check_layout(document, styles, core, report: Report) -> None:
    language = ""
    if core is not None:
        el = core.find("{http://purl.org/dc/elements/1.1/}language")
        language = (el.text or "") if el is not None else ""
    if language.split("-")[0].lower() in RTL_LANGUAGES:
        before = len(report.problems)
        sect = document.find(f"{W}body/{W}sectPr")
        if sect is None or sect.find(f"{W}bidi") is None:
            report.problems.append("the section is not right-to-left (no w:bidi in sectPr)")
        defaults = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}bidi")
        normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}pPr/{W}bidi")
        if defaults is None and normal is None:
            report.problems.append("paragraphs are not right-to-left by default "
                                   "(no w:bidi in the document defaults or Normal)")
        cs = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        if cs is None or not cs.get(f"{W}cs"):
            report.problems.append("no complex-script font in the document defaults")
        if len(report.problems) == before:
            report.passed.append(f"right-to-left ({language})")


def _article(field_name: str) -> str:
    name = field_name.upper()
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"
