"""Dates, digits and list numbers as the article's region writes them, from CLDR.

The article's ``lang`` tag (``ar``, ``ar-EG``, ``ar-SY``, ``ar-MA`` …) decides,
through Babel's copy of the Unicode CLDR, the month names, the long date
pattern and the digits of what the pipeline itself writes: page numbers, list
numbers and the byline's date. ``digits`` (front matter, settings, command
line) overrides the digits; where nothing sets them, the digits the article's
own numbers are written in win over the language's (``written_digits``), so
that a page never mixes the body's ٥٨ with folios and notes in 1 2 3. The
body's own digits are never rewritten.

Format-neutral: every writer takes its byline and its numbering from here.
"""

from __future__ import annotations

import datetime as dt

from .caches import memo
from .model import Article, Text
from .transforms import iter_nodes

DIGIT_STYLES = ("arabic-indic", "western")
"""What ``digits:`` accepts."""

# CLDR numbering systems → their digits (numberingSystems.xml).
_SYSTEM_DIGITS = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
}
_STYLE_SYSTEM = {"western": "latn", "arabic-indic": "arab"}
LIST_SUFFIX = "-"
"""After a list number: "١-", never "١." which reads as "٠١" or a decimal point."""


@memo(64)
def _locale(lang: str):
    import babel
    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        try:
            return babel.Locale.parse(lang.split("-")[0])
        except (ValueError, babel.UnknownLocaleError):
            return babel.Locale.parse("en")


def numbering_system(lang: str, digits: str = "") -> str:
    """The CLDR numbering system in force: ``digits`` if given (``western`` or
    ``arabic-indic``), else the locale's default (``ar`` latn, ``ar-EG`` arab,
    ``ar-MA`` latn, ``fa`` arabext, …)."""
    if digits:
        return _STYLE_SYSTEM[digits]
    system = _locale(lang).default_numbering_system
    return system if system in _SYSTEM_DIGITS else "latn"


def written_digits(article: Article) -> str:
    """The digits the article's own numbers are written in (headline, deck
    and text, code aside), as a ``digits:`` value: the system most of its
    numbers use; "" when it writes none, or as many of each. A token with
    Latin letters in it ("96/9/EC", "Wi-Fi 7" counts its 7) is Latin text,
    not a number of the article's."""
    meta = article.meta
    texts = [meta.title, meta.description,
             *(n.text for n in iter_nodes(article) if isinstance(n, Text))]
    counts = {"western": 0, "arabic-indic": 0}
    for token in " ".join(texts).split():
        if any("a" <= ch.lower() <= "z" for ch in token):
            continue
        if any(ch in _SYSTEM_DIGITS["latn"] for ch in token):
            counts["western"] += 1
        elif any(ch in _SYSTEM_DIGITS["arab"] or ch in _SYSTEM_DIGITS["arabext"]
                 for ch in token):
            counts["arabic-indic"] += 1
    if counts["western"] == counts["arabic-indic"]:
        return ""
    return max(counts, key=counts.get)


def digit_style(lang: str, digits: str = "") -> str:
    """``digits`` or the locale's default, as a ``digits:`` value; a locale
    whose digits are neither (Persian) reads as the nearer, ``arabic-indic``."""
    return "western" if numbering_system(lang, digits) == "latn" else "arabic-indic"


def number(value: int | str, lang: str, digits: str = "") -> str:
    """``value``'s Western digits in the article's digits."""
    table = _SYSTEM_DIGITS[numbering_system(lang, digits)]
    return str(value).translate(str.maketrans("0123456789", table))


def format_date(date: dt.date, lang: str, digits: str = "") -> str:
    """The date as the region writes it (CLDR's long pattern and month names):
    ``ar-SY`` "١٥ كانون الثاني ٢٠٢٤", ``ar-DZ`` "15 جانفي 2024"."""
    from babel.dates import format_date as cldr_date
    return number(cldr_date(date, "long", locale=_locale(lang)), lang, digits)


def list_marker(n: int, lang: str, digits: str = "") -> str:
    """A numbered list's marker text, the same in every format: "١-" or "1-"."""
    return number(n, lang, digits) + LIST_SUFFIX


BYLINE_SEPARATOR = " — "
"""Between the author and the date: an em dash, which no reader can take for
a digit (a middle dot beside Arabic-Indic digits reads as a zero, "٠", and a
bar as a one, "١")."""


def byline(article: Article, digits: str = "") -> str:
    """The author and the date, as every output shows them under the deck;
    ``digits`` as the build resolved it (else the front matter's, else CLDR's)."""
    meta = article.meta
    parts = [meta.author] if meta.author else []
    if meta.date:
        parts.append(format_date(meta.date, meta.lang, digits or meta.digits))
    return BYLINE_SEPARATOR.join(parts)
