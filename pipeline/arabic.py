"""Numbers and dates written the way an Arabic reader expects them."""

from __future__ import annotations

import datetime as dt

_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
          "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")


def indic_digits(value: int | str) -> str:
    """``2024`` → ``٢٠٢٤``."""
    return str(value).translate(_INDIC)


def format_date(date: dt.date, lang: str = "ar") -> str:
    """``2024-06-11`` → ``١١ يونيو ٢٠٢٤`` for Arabic, ISO 8601 otherwise."""
    if lang.split("-")[0].lower() != "ar":
        return date.isoformat()
    return f"{indic_digits(date.day)} {MONTHS[date.month - 1]} {indic_digits(date.year)}"
