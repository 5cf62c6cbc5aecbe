"""Word runs as Markdown text, and the front matter an edited DOCX still holds."""

from __future__ import annotations

import json
import re

from docx.oxml.ns import qn

from ..writers.docx.package import FRONT_MATTER_PROPERTY, KEPT_KEYS, LIST_KEYS


def kept_properties(package) -> dict[str, object]:
    """The front matter the DOCX writer kept in a custom property
    (``writers.docx.package``): content, so checked key by key."""
    from lxml import etree
    for part in package.iter_parts():
        if str(part.partname) != "/docProps/custom.xml":
            continue
        try:
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False,
                                                               no_network=True))
        except etree.XMLSyntaxError:
            return {}
        for prop in root:
            if prop.get("name") == FRONT_MATTER_PROPERTY:
                try:
                    data = json.loads("".join(prop.itertext()))
                except ValueError:
                    return {}
                if not isinstance(data, dict):
                    return {}
                # lists where the front matter has lists, text elsewhere
                return {k: v for k, v in data.items() if k in KEPT_KEYS and (
                    isinstance(v, list) and all(isinstance(x, str) for x in v)
                    if k in LIST_KEYS else isinstance(v, str))}
    return {}


def on(props, tag: str) -> bool:
    if props is None:
        return False
    element = props.find(qn(tag))
    return element is not None and element.get(qn("w:val"), "true") not in ("0", "false", "off")


def join(pieces) -> str:
    """Runs → Markdown, one emphasis span for each stretch of equal formatting,
    the spaces at its edges outside the marks (``** x**`` is not emphasis)."""
    out: list[str] = []
    k = 0
    while k < len(pieces):
        text, form, link = pieces[k]
        j = k + 1
        while j < len(pieces) and pieces[j][1] == form and pieces[j][2] == link \
                and not pieces[j][0].startswith("\0") and not text.startswith("\0"):
            text += pieces[j][0]
            j += 1
        k = j
        if text.startswith("\0"):
            out.append(text[1:])
            continue
        if text == "\n":
            out.append("\\\n")
            continue
        core = text.strip()
        if not core:
            out.append(text)
            continue
        lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        marked = escape(core)
        bold, italic, strike = form
        if strike:
            marked = f"~~{marked}~~"
        if italic:
            marked = f"*{marked}*"
        if bold:
            marked = f"**{marked}**"
        if link:
            # a target with spaces or brackets in the angle-bracket form,
            # which Markdown reads whole (the reader then judges it)
            target = f"<{link.replace('<', '%3C').replace('>', '%3E')}>" \
                if re.search(r"[\s()<>]", link) else link
            marked = f"[{marked}]({target})"
        out.append(lead + marked + tail)
    return re.sub(r"[ \t]+", " ", "".join(out))


def escape(text: str) -> str:
    """Text that reads as itself in Markdown; an underscore inside a word
    (CODE_OF_CONDUCT) cannot open emphasis and stays as written."""
    text = re.sub(r"([\\`*\[\]<>~|]|&(?=#?\w+;))", r"\\\1", text)
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


def escape_start(text: str) -> str:
    """A paragraph that would read as other Markdown at its start, escaped."""
    if text == r"\* \* \*":
        return "* * *"  # the writer's scene break
    return re.sub(r"^(#|>|[-+]\s|\d+[.)]\s|:::)", r"\\\1", text)


def plain(text: str) -> str:
    """Inline Markdown back to its characters (a title, a caption)."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(\*\*|~~|(?<!\\)\*)", "", text)).strip()


def link_path(name: str) -> str:
    return name.replace(" ", "%20")


def clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def front_matter_text(values: dict) -> str:
    """The front matter block: every value a JSON string or list of them,
    which YAML reads as written (no ``no`` turned false, no ``1.10`` a number)."""
    lines = ["---"]
    for key, value in values.items():
        if value in ("", [], None):
            continue
        if isinstance(value, list):
            items = ", ".join(json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"{key}: [{items}]")
        else:
            lines.append(f"{key}: {json.dumps(str(value), ensure_ascii=False)}")
    return "\n".join(lines + ["---"]) + "\n"


def rtl(table) -> bool:
    return table.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None


def column_rule(paragraphs, rtl: bool) -> str:
    """A column's GFM rule from its cells' justification (a right-to-left
    paragraph's ``left`` is its start, the right side)."""
    jc = next((p.find(f"{qn('w:pPr')}/{qn('w:jc')}") for p in paragraphs
               if p.find(f"{qn('w:pPr')}/{qn('w:jc')}") is not None), None)
    value = jc.get(qn("w:val")) if jc is not None else ""
    if value == "center":
        return ":-:"
    if rtl:
        value = {"left": "right", "right": "left", "start": "right", "end": "left"}.get(value, "")
    return {"left": ":--", "right": "--:"}.get(value, "---")


def document_front_matter(document, read: dict[str, object]) -> str:
    """The front matter from the title block ``read`` in the body, the core
    properties and the custom property the writer left."""
    from ..errors import PipelineError
    props = document.core_properties
    kept = kept_properties(document.part.package)
    values: dict[str, object] = {
        "title": read.get("title") or props.title or "",
        "description": read.get("description") or "",
        "section": read.get("section") or "",
        "author": props.author or "",
    }
    if "keywords" not in kept and props.keywords:
        kept["keywords"] = [k.strip() for k in props.keywords.split(",") if k.strip()]
    if "lang" not in kept and props.language:
        kept["lang"] = props.language
    values.update(kept)
    if not values["title"]:
        raise PipelineError("the document has no title",
                            hint="give its first line the Title style")
    return front_matter_text(values)


def table_source(table, inlines, warn) -> str:
    """A table as a GFM table: each cell's paragraphs (a table inside a cell
    among them, with a warning) as one line of ``inlines``."""
    rows = []
    aligns: list[str] = []
    for n, tr in enumerate(table.findall(qn("w:tr"))):
        cells = []
        for tc in tr.findall(qn("w:tc")):
            if tc.find(f".//{qn('w:tbl')}") is not None:
                warn("a table inside a table cell is read as the cell's text",
                     "set the inner table beside the outer one")
            text = " ".join(inlines(p).strip() for p in tc.iter(qn("w:p")))
            cells.append(text.replace("|", "\\|").replace("\n", " "))
            if n == 1:
                aligns.append(column_rule(tc.findall(qn("w:p")), rtl(table)))
        rows.append("| " + " | ".join(cells) + " |")
    if not rows:
        return ""
    width = rows[0].count(" | ") + 1
    aligns = (aligns + ["---"] * width)[:width]
    return "\n".join([rows[0], "|" + "|".join(aligns) + "|", *rows[1:]])
