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


def test_a_pdfs_tables_are_measured_once_for_the_warning_and_the_writer(tmp_path, monkeypatch):
    """The build measures each table on the PDF's page once (the facts); the
    warning and the writer read it. A writer told another fit sets the
    table so — the proof that it reads the facts, not its own measure."""
    from pipeline import transforms
    wide = "| " + " | ".join(["عمود"] * 30) + " |\n" + "|---" * 30 + "|\n" + \
        "| " + " | ".join(["١٢٣٤"] * 30) + " |\n"
    src = write_source(tmp_path, wide)
    measured = []
    real = transforms.fit_table
    monkeypatch.setattr(transforms, "fit_table",
                        lambda *a, **k: measured.append(1) or real(*a, **k))
    import pipeline.facts
    monkeypatch.setattr(pipeline.facts, "fit_table", transforms.fit_table)
    job = prepare(src, BuildSettings(formats=("pdf",)))
    [(table, (setting, needed))] = job.options.facts.tables.items()
    assert measured == [1] and setting == "stacked" and needed > 0
    assert any("wider than the page even in smaller type" in w.message for w in job.warnings)
    from pipeline.writers.html import body_html
    from pipeline.pages import measure_em
    told = {table: ("column", needed)}
    html = body_html(job.article, measure_em=measure_em("a4", 1), table_fits=told)
    assert "<table" in html and 'class="stacked' not in html
    assert measured == [1]  # the writer measured nothing itself
    assert 'class="stacked' in body_html(job.article, measure_em=measure_em("a4", 1),
                                          table_fits=job.options.facts.tables)
