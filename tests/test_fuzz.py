"""Random articles, their text drawn to include control characters and lone
surrogates: the pipeline gives valid outputs or its own one-line error, never
an uncaught library exception. A sample of the EPUBs goes to EPUBCheck."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.builder import BuildSettings, build_article

from test_epub import assert_clean, epubcheck

WORD_CHARS = st.characters(
    categories=["L", "M", "N", "P", "S", "Zs", "Cc", "Cf", "Co"],
    exclude_characters="\n\r")
SURROGATES = st.characters(categories=["Cs"])
ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)

text = st.text(st.one_of(ARABIC, ARABIC, ARABIC, WORD_CHARS, SURROGATES), min_size=1,
               max_size=40)
line = text.map(lambda t: t.replace("---", "—"))


@st.composite
def articles(draw) -> str:
    title = draw(line)
    parts = ["---", f"title: {json.dumps(title, ensure_ascii=draw(st.booleans()))}"]
    if draw(st.booleans()):
        parts.append(f"description: {json.dumps(draw(line))}")
    parts += ["---", ""]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["p", "h2", "h3", "ul", "ol", "lead", "quote", "faq"]))
        body = draw(line)
        parts.append({
            "p": body, "h2": f"## {body}", "h3": f"### {body}", "ul": f"- {body}\n  - {body}",
            "ol": f"1. {body}\n2. *{body}*", "lead": f"- **{body}**: {body}",
            "quote": f"> {body}", "faq": f"::: faq\n### {body}\n\n{body}\n:::",
        }[kind])
        parts.append("")
    return "\n".join(parts)


EPUBS: list[Path] = []


# FUZZ_EXAMPLES=500 explores further; CI runs a fixed sample (see conftest.py)
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(source=articles(), formats=st.sampled_from([("docx", "epub"), ("pdf",)]))
def test_random_articles_build_or_fail_cleanly(source, formats):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / "article.md"
    path.write_bytes(source.encode("utf-8", "surrogatepass"))
    result = build_article(path, folder / "out", BuildSettings(formats=formats))
    if result.ok:
        assert set(result.outputs) == set(formats)
        if "epub" in result.outputs and len(EPUBS) < 4:
            EPUBS.append(result.outputs["epub"])
    else:
        assert not result.error.message.startswith("internal failure"), str(result.error)
        assert "\n" not in str(result.error)


def test_a_sample_of_random_epubs_passes_epubcheck():
    if not EPUBS:  # run alone: make one
        test_random_articles_build_or_fail_cleanly()
    assert EPUBS
    for epub in EPUBS:
        assert_clean(epubcheck(epub))
