"""Facts worked out once a build (pipeline/facts.py): the article's shown text
and its byline reach every writer through the options, not worked out again."""

from __future__ import annotations

import dataclasses

from pipeline.building.builder import BuildSettings
from pipeline.facts import ArticleFacts, article_facts, facts_for
from pipeline.building.prepare import prepare
from pipeline.writers import writer_for

from conftest import write_source
from judges import docx_text, epub_text


def test_prepare_works_the_facts_out_once(tmp_path):
    src = write_source(tmp_path, "نص **المقال**.\n",
                       front="title: عنوان\nauthor: كاتب\ndate: 2024-06-11\nlang: ar-EG")
    job = prepare(src, BuildSettings(formats=("epub",)))
    facts = job.options.facts
    assert facts == article_facts(job.article, job.options.digits)
    assert "المقال" in facts.text and "كاتب" in facts.byline and "٢٠٢٤" in facts.byline
    assert facts_for(job.article, job.options) is facts


def test_writers_show_the_byline_they_are_given(tmp_path):
    src = write_source(tmp_path, "نص.\n", front="title: عنوان\nauthor: كاتب")
    job = prepare(src, BuildSettings(formats=("docx", "epub")))
    marked = dataclasses.replace(job.options, facts=ArticleFacts(
        text=job.options.facts.text, byline="سطر التوقيع المعطى"))
    for fmt, read in (("docx", docx_text), ("epub", epub_text)):
        path = tmp_path / f"out.{fmt}"
        path.write_bytes(writer_for(fmt)(job.article, marked))
        assert "سطر التوقيع المعطى" in read(path), fmt
