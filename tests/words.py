"""Word sequences for the "every source word, in order" checks."""

from __future__ import annotations

import re
import unicodedata

def words(text: str) -> list[str]:
    """The words of ``text``, NFKC-normalised (presentation forms folded, as a
    PDF's ligature glyphs are), tatweel and zero-width joiners dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u0640\u200c-\u200f]", "", text)
    # Embedding controls wrap a run of the other direction: the run ends there
    # (pdftotext puts the space before "‪217‬ألف" on the wrong side of them).
    text = re.sub("[\u202a-\u202e]", " ", text)
    # Isolates (the DOCX wraps Latin runs in LRI … PDI) and the word joiner
    # before a Quranic pause mark are invisible: they join, not split.
    text = re.sub("[\u2066-\u2069]", "", text)
    # A combining mark cannot start a word: poppler places some positioned marks
    # (tanween over a final alef) after a gap, so glue them back to their base.
    text = re.sub(r"\s+(?=[\u064b-\u065f\u0670])", "", text)
    return [m.group().replace("_", "")
            for m in re.finditer(r"[\w\u064b-\u065f\u0670\u06d6-\u06ed]+", text)]


def seed_words(seed_text: str) -> list[str]:
    """The seed article's words, its ``Meta:`` line aside."""
    lines = [ln for ln in seed_text.splitlines() if not ln.startswith("Meta:")]
    return words("\n".join(lines))


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """Expected words not found in order in ``actual`` (empty when all are);
    ``actual`` may hold more words (headers, cover, bullets) between them."""
    missing, j = [], 0
    for w in expected:
        k = j
        while k < len(actual) and actual[k] != w:
            k += 1
        if k == len(actual):
            missing.append(w)
        else:
            j = k + 1
    return missing


def source_words(markdown: str) -> list[str]:
    """The words a reader sees in a Markdown source: the front matter's title and
    description, then the body without its markup (list numbers and bullets,
    heading marks, emphasis, container fences)."""
    front, _, body = markdown.partition("\n---\n")
    shown = [m.group(2) for m in re.finditer(r'^(title|description):\s*"?(.*?)"?\s*$', front, re.M)]
    body = re.sub(r"^:::.*$", "", body, flags=re.M)
    body = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", body, flags=re.M)
    body = re.sub(r"^#+\s*", "", body, flags=re.M)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    return words("\n".join(shown) + "\n" + body)
