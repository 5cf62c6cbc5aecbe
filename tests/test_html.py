"""The shared HTML translator, against reviewed golden files.

Regenerate after reviewing a deliberate change with PIPELINE_REGEN_GOLDEN=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.building.builder import load_article
from pipeline.writers.html import body_html

CASES = Path(__file__).resolve().parent / "fixtures" / "html"


@pytest.mark.parametrize("source", sorted(CASES.glob("*.md")), ids=lambda p: p.stem)
def test_translator_matches_golden(source: Path):
    html = body_html(load_article(source))
    golden = source.with_suffix(".html")
    if os.environ.get("PIPELINE_REGEN_GOLDEN") == "1":
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_output_is_well_formed_xml():
    from lxml import etree
    for source in CASES.glob("*.md"):
        etree.fromstring(f"<div>{body_html(load_article(source))}</div>")
