"""What every writer would otherwise work out again from the article, made
once a build (``prepare``) and handed to each writer in its options."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Article
from .regional import byline
from .transforms import article_text


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    text: str
    """Every character the article shows (front matter, text, alt text): what
    the fonts must cover and the subsets hold."""
    byline: str
    """The author and date line, in the run's digits ("" when there is neither)."""


def article_facts(article: Article, digits: str) -> ArticleFacts:
    return ArticleFacts(text=article_text(article), byline=byline(article, digits))


def facts_for(article: Article, options) -> ArticleFacts:
    """The facts a build made for ``article``, or made now for a writer called
    on its own (a test, a benchmark)."""
    return options.facts if options.facts is not None else article_facts(article,
                                                                          options.digits)
