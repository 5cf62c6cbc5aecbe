"""The names a DOCX of this tool's carries, in one place for the writer that
gives them and the import that reads them back (``commands/docx_import.py``):
the paragraph styles by what a paragraph is, and the custom property that
keeps the front matter Word has no place for."""

from __future__ import annotations

KICKER, TITLE, SUBTITLE, BYLINE = "Kicker", "Title", "Subtitle", "Byline"
"""The title block: the section over the headline, the headline, the deck, the byline."""
NORMAL, QUOTE, SOURCE_CODE = "Normal", "Quote", "Source Code"
CAPTION, CREDIT = "Caption", "Credit"
"""A figure's lines under its picture."""
TABLE_TEXT, FOOTNOTE_TEXT = "Table Text", "Footnote Text"
FAQ_QUESTION, FAQ_ANSWER = "FAQ Question", "FAQ Answer"
LIST_BULLET, LIST_NUMBER, LIST_CONTINUE = "List Bullet", "List Number", "List Continue"
"""A list's items and the paragraphs that continue one; " 2" and " 3" name
the deeper levels."""
HEADING = "Heading"
"""Heading 1 is a section (``##``), Heading 2 a subsection (``###``)…"""
WORD_LIST_PARAGRAPH = "List Paragraph"
"""Word's one style for its own lists, whose numbering says bullet or number."""

STRUCTURAL = frozenset(name.lower() for name in (
    KICKER, TITLE, SUBTITLE, BYLINE, QUOTE, SOURCE_CODE, CAPTION, CREDIT, FAQ_QUESTION,
    FAQ_ANSWER, WORD_LIST_PARAGRAPH))
"""Styles (besides headings and lists) that say what a paragraph is, not only
how it looks, as the import compares them (lower case)."""

FRONT_MATTER_PROPERTY = "pipeline.front-matter"
"""The custom document property holding what the front matter says that a
Word document has no place for (digits, paper, tags, cover…), as JSON, so that
``pipeline import`` gives the edited document back its front matter. Word
and LibreOffice keep custom properties when they save."""
KEPT_KEYS = ("lang", "dir", "paper", "justify", "digits", "short_title", "columns", "id",
             "date", "keywords", "tags", "cover", "credit")
"""The front-matter keys kept in the custom property; the lists among them
are ``LIST_KEYS``."""
LIST_KEYS = ("keywords", "tags")
SOURCE_PROPERTY = "pipeline.source"
"""The custom property holding how the source wrote what the document shows
in its own way — its front matter as typed (key order, quotes, comments) and
its notes' labels — as JSON, so that an unedited import gives the source
back as written."""
