"""Plain-text article (as newsrooms send them) → the Markdown source format.

The shape it reads: the first line is the title; a ``Meta:`` line is the
description; short lines without closing punctuation are headings; ``- term:
text`` lines are list items with a lead term; a closing questions section
(``أسئلة متكررة``, ``الأسئلة الشائعة``, ``FAQ``…) holds question lines (ending
in ؟ or ?) each followed by its answer. Every word is kept, in order: the
result is checked against the input before it is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import PipelineError
from ..model import (
    Article, Block, BulletList, Faq, FaqEntry, Heading, ListItem, Meta, Paragraph, Text,
)
from ..writers.markdown import write

MAX_HEADING_WORDS = 12
FAQ_TITLES = re.compile(r"^(أسئلة متكررة|الأسئلة المتكررة|أسئلة شائعة|الأسئلة الشائعة|"
                        r"FAQ|Frequently asked questions)\s*[:：]?$", re.I)
_CLOSING = tuple(".،,:;؛!?؟…»\")")
_LEAD = re.compile(r"^[-•*]\s+([^:：]{1,80}?)\s*[:：]\s+(.+)$")
_BULLET = re.compile(r"^[-•*]\s+(.+)$")


@dataclass
class ImportReport:
    """What the importer guessed, for a person to review."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    lead_items: int = 0
    plain_items: int = 0
    faq_entries: int = 0
    paragraphs: int = 0

    def summary(self) -> str:
        sections = sum(1 for level, _ in self.headings if level == 2)
        subsections = len(self.headings) - sections
        return (f"{len(self.headings)} headings ({sections} sections, {subsections} "
                f"subsections), {self.lead_items + self.plain_items} list items "
                f"({self.lead_items} with a lead term), {self.faq_entries} FAQ entries, "
                f"{self.paragraphs} paragraphs")


def import_text(text: str) -> tuple[str, ImportReport]:
    """The article's plain text → (Markdown source, what was guessed)."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise PipelineError("the text is empty", hint="give the article's text, title first")
    title, rest = lines[0], lines[1:]
    description = ""
    if rest and rest[0].lower().startswith("meta:"):
        description, rest = rest[0][5:].strip(), rest[1:]
    report = ImportReport()
    kinds = [_kind(ln) for ln in rest]
    body: list[Block] = []
    items: list[ListItem] = []
    i = 0
    while i < len(rest):
        line, kind = rest[i], kinds[i]
        if kind == "heading" and FAQ_TITLES.match(line):
            body.append(Heading(2, (Text(line),)))
            report.headings.append((2, line))
            i = _faq(rest, i + 1, body, report)
            continue
        if kind == "heading":
            # a heading that introduces a list is a subsection; others are sections
            level = 3 if i + 1 < len(kinds) and kinds[i + 1] in ("lead", "item") else 2
            body.append(Heading(level, (Text(line),)))
            report.headings.append((level, line))
        elif kind in ("lead", "item"):
            if m := _LEAD.match(line):
                items.append(ListItem((Paragraph((Text(f": {m.group(2)}"),)),),
                                      lead=(Text(m.group(1)),)))
                report.lead_items += 1
            else:
                items.append(ListItem((Paragraph((Text(_BULLET.match(line).group(1)),)),)))
                report.plain_items += 1
            if i + 1 >= len(kinds) or kinds[i + 1] not in ("lead", "item"):
                body.append(BulletList(tuple(items)))
                items = []
        else:
            body.append(Paragraph((Text(line),)))
            report.paragraphs += 1
        i += 1
    source = write(Article(Meta(title=title, description=description), tuple(body)))
    _check_every_word_kept([title, description, *rest], source)
    return source, report


def _check_every_word_kept(lines: list[str], source: str) -> None:
    """The imported article, read back, holds the input's words in order."""
    from ..reader import parse_article
    from ..transforms import article_text

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text)

    article = parse_article(source)
    kept = words(article_text(article))
    wanted = words("\n".join(lines))
    if kept != wanted:
        at = next((i for i, (a, b) in enumerate(zip(kept, wanted, strict=False)) if a != b),
                  min(len(kept), len(wanted)))
        raise PipelineError(f"the import would change the text near word {at + 1} "
                            f"({' '.join(wanted[max(0, at - 2):at + 3])!r})",
                            hint="report this text; the importer must keep every word")


def _faq(lines: list[str], i: int, body: list[Block], report: ImportReport) -> int:
    """Question lines (ending in ؟ or ?) each followed by their answer lines."""
    entries: list[tuple[str, list[str]]] = []
    while i < len(lines):
        line = lines[i]
        if line.endswith(("؟", "?")) and len(line.split()) <= 30:
            entries.append((line, []))
        elif entries:
            entries[-1][1].append(line)
        else:
            break  # text before any question: not a FAQ after all
        i += 1
    if not entries:
        return i
    body.append(Faq(tuple(FaqEntry((Text(question),),
                                   tuple(Paragraph((Text(p),)) for p in answer or ["—"]))
                          for question, answer in entries)))
    report.faq_entries += len(entries)
    return i


def _kind(line: str) -> str:
    if _LEAD.match(line):
        return "lead"
    if _BULLET.match(line):
        return "item"
    if len(line.split()) <= MAX_HEADING_WORDS and not line.endswith(_CLOSING):
        return "heading"
    return "paragraph"
