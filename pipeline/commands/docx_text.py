"""What an edited DOCX still says besides its runs: the front matter it holds,
its run properties, a table column's alignment."""

from __future__ import annotations

import json
import re

from docx.oxml.ns import qn

from ..writers.docx.names import FRONT_MATTER_PROPERTY, KEPT_KEYS, LIST_KEYS, SOURCE_PROPERTY

_LABEL = re.compile(r"[^\]\s\^]{1,100}")


def _custom_property(package, name: str):
    """The JSON value of the custom property ``name`` the DOCX writer left
    (``writers.docx.package``), or None: content, so its caller checks it."""
    from lxml import etree
    for part in package.iter_parts():
        if str(part.partname) != "/docProps/custom.xml":
            continue
        try:
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False,
                                                               no_network=True))
        except etree.XMLSyntaxError:
            return None
        for prop in root:
            if prop.get("name") == name:
                try:
                    return json.loads("".join(prop.itertext()))
                except ValueError:
                    return None
    return None


def kept_properties(package) -> dict[str, object]:
    """The front matter the DOCX writer kept in a custom property, key by key."""
    data = _custom_property(package, FRONT_MATTER_PROPERTY)
    if not isinstance(data, dict):
        return {}
    # lists where the front matter has lists, text elsewhere
    return {k: v for k, v in data.items() if k in KEPT_KEYS and (
        isinstance(v, list) and all(isinstance(x, str) for x in v)
        if k in LIST_KEYS else isinstance(v, str))}


def as_typed(package) -> tuple[str, list[str]]:
    """How the source wrote its front matter and its notes' labels
    (``SOURCE_PROPERTY``): ("", []) where the document holds neither."""
    data = _custom_property(package, SOURCE_PROPERTY)
    if not isinstance(data, dict):
        return "", []
    front = data.get("front_matter")
    labels = data.get("note_labels")
    labels = labels if isinstance(labels, list) and all(
        isinstance(x, str) and _LABEL.fullmatch(x) for x in labels) else []
    return (front if isinstance(front, str) else ""), labels


def on(props, tag: str) -> bool:
    if props is None:
        return False
    element = props.find(qn(tag))
    return element is not None and element.get(qn("w:val"), "true") not in ("0", "false", "off")







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

