"""What every writer would otherwise work out again from the article, made
once a build (``prepare``) and handed to each writer in its options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .model import Article, Table
from .regional import byline
from .transforms import article_text, fit_table, iter_nodes


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    text: str
    """Every character the article shows (front matter, text, alt text): what
    the fonts must cover and the subsets hold."""
    byline: str
    """The author and date line, in the run's digits ("" when there is neither)."""
    tables: Mapping[Table, tuple[str, float]] = field(default_factory=dict)
    """How the PDF sets each table and the width its words need (body ems),
    ``transforms.fit_table`` on the PDF's page: measured once, for the
    build's warning and the writer (empty when no PDF is made)."""


def article_facts(article: Article, digits: str,
                  page: tuple[float, float, object] | None = None) -> ArticleFacts:
    """The facts of ``article``; ``page`` — the PDF's column and text block
    (body ems) and how wide a word is set — measures its tables."""
    tables = {}
    if page is not None:
        column_em, block_em, width_em = page
        tables = {table: fit_table(table, column_em, block_em, width_em)
                  for table in iter_nodes(article) if isinstance(table, Table)}
    return ArticleFacts(text=article_text(article), byline=byline(article, digits),
                        tables=tables)


def facts_for(article: Article, options) -> ArticleFacts:
    """The facts a build made for ``article``, or made now for a writer called
    on its own (a test, a benchmark)."""
    return options.facts if options.facts is not None else article_facts(article,
                                                                          options.digits)
