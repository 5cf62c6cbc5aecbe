"""An edited DOCX's tracked changes, accepted or rejected as Word does, and
its comments, with the text each one is anchored to.

Word and LibreOffice write the same markup: inserted runs in ``w:ins``,
deleted ones in ``w:del`` (their text in ``w:delText``), moves in
``w:moveFrom``/``w:moveTo``, a paragraph mark inserted or deleted in the
paragraph's ``w:pPr/w:rPr``, a table row in ``w:trPr``, and formatting changes
as ``w:rPrChange``/``w:pPrChange`` holding the old properties.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

_CONTAINERS_KEPT_ON_ACCEPT = ("w:ins", "w:moveTo")
_CONTAINERS_KEPT_ON_REJECT = ("w:del", "w:moveFrom")
_PROPERTY_CHANGES = ("w:rPrChange", "w:pPrChange", "w:sectPrChange", "w:tblPrChange",
                     "w:trPrChange", "w:tcPrChange", "w:tblGridChange", "w:numberingChange")
_MARKS = ("w:ins", "w:del", "w:moveFrom", "w:moveTo", *_PROPERTY_CHANGES)


def count_changes(root) -> int:
    """How many tracked changes ``root`` holds."""
    return sum(1 for _ in root.iter(*map(qn, _MARKS)))


def resolve_changes(root, accept: bool) -> None:
    """Every tracked change in ``root`` accepted (the edited text) or rejected
    (the text before the edits), in place."""
    keep, drop = ((_CONTAINERS_KEPT_ON_ACCEPT, _CONTAINERS_KEPT_ON_REJECT) if accept
                  else (_CONTAINERS_KEPT_ON_REJECT, _CONTAINERS_KEPT_ON_ACCEPT))
    # paragraph marks and table rows first: they say which paragraphs join
    # and which rows go, and are found by the marks inside their properties
    for mark in list(root.iter(qn("w:ins"), qn("w:del"))):
        holder = mark.getparent()
        if holder is None or holder.tag not in (qn("w:rPr"), qn("w:trPr")):
            continue
        removed = (mark.tag == qn("w:del")) == accept
        if holder.tag == qn("w:trPr"):
            if removed:
                row = holder.getparent()
                row.getparent().remove(row)
            else:
                holder.remove(mark)
            continue
        holder.remove(mark)
        paragraph = holder.getparent().getparent() if holder.getparent().tag == qn("w:pPr") \
            else None
        if removed and paragraph is not None and paragraph.tag == qn("w:p"):
            _join_next(paragraph)
    for tag in drop:
        for element in list(root.iter(qn(tag))):
            if element.getparent() is not None:
                element.getparent().remove(element)
    for tag in keep:
        for element in list(root.iter(qn(tag))):
            _unwrap(element)
    if not accept:
        for text in root.iter(qn("w:delText")):
            text.tag = qn("w:t")
        for text in root.iter(qn("w:delInstrText")):
            text.tag = qn("w:instrText")
    for tag in _PROPERTY_CHANGES:
        for change in list(root.iter(qn(tag))):
            holder = change.getparent()
            if not accept and tag in ("w:rPrChange", "w:pPrChange"):
                old = change.find(qn(tag.replace("Change", "")))
                for child in list(holder):
                    if child is not change and child.tag != qn("w:rPr") \
                            and child.tag != qn("w:sectPr"):
                        holder.remove(child)
                for child in list(old if old is not None else ()):
                    holder.append(child)
            holder.remove(change)


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    """What the comment says."""
    anchor: str
    """The document text it is attached to."""
    ident: str


ANCHOR_CHARS = 200
"""A comment's anchor is quoted by its first words: text past this many
characters is not gathered."""


def comments(comments_root, body) -> list[Comment]:
    """The comments of a document, in the order of their anchors."""
    if comments_root is None:
        return []
    # the w:t texts, not itertext(): python-docx's element classes give some
    # text twice through it
    said = {c.get(qn("w:id")): (c.get(qn("w:author")) or "?",
                                " ".join("".join(t.text or "" for t in c.iter(qn("w:t"))).split()))
            for c in comments_root.iter(qn("w:comment"))}
    anchors: dict[str, list[str]] = {}
    order: list[str] = []
    open_: set[str] = set()
    gathered: dict[str, int] = {}
    for element in body.iter():
        if element.tag == qn("w:commentRangeStart"):
            ident = element.get(qn("w:id"))
            open_.add(ident)
            anchors.setdefault(ident, [])
            order.append(ident)
        elif element.tag == qn("w:commentRangeEnd"):
            open_.discard(element.get(qn("w:id")))
        elif element.tag == qn("w:commentReference") and \
                element.get(qn("w:id")) not in anchors:
            order.append(element.get(qn("w:id")))
            anchors[element.get(qn("w:id"))] = []
        elif element.tag == qn("w:t") and open_ and (text := element.text):
            text = text[:ANCHOR_CHARS]
            for ident in list(open_):
                anchors[ident].append(text)
                gathered[ident] = gathered.get(ident, 0) + len(text)
                if gathered[ident] >= ANCHOR_CHARS:
                    open_.discard(ident)  # enough to quote: a range never closed costs no more
    return [Comment(*said[i], anchor=" ".join("".join(anchors.get(i, [])).split()), ident=i)
            for i in dict.fromkeys(order) if i in said]


def comment_lines(paragraph, pending: dict[str, Comment]) -> list[str]:
    """The comments whose range ends in ``paragraph``, taken from ``pending``,
    as Markdown comments (``<!-- comment by AUTHOR on "…": TEXT -->``) that
    builds ignore."""
    from .docx_text import clip
    out = []
    for end in paragraph.iter(qn("w:commentRangeEnd"), qn("w:commentReference")):
        comment = pending.pop(end.get(qn("w:id")), None)
        if comment is not None:
            text = f'comment by {comment.author} on "{clip(comment.anchor)}": ' \
                   f'{comment.text}'.replace("--", "—")
            out.append(f"<!-- {text} -->")
    return out


def _unwrap(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


def _join_next(paragraph) -> None:
    """The paragraph after ``paragraph`` joined to it (its mark was deleted)."""
    following = paragraph.getnext()
    if following is None or following.tag != qn("w:p"):
        return
    for child in list(following):
        if child.tag != qn("w:pPr"):
            paragraph.append(child)
    following.getparent().remove(following)
