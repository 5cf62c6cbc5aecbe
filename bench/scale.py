#!/usr/bin/env python3
"""Time per paragraph as an article grows from 1,000 to 64,000 paragraphs:
flat means no writer has a step that grows with the square of its length.

    python bench/scale.py          # reader, DOCX, EPUB, web page; a few minutes

Each format is rendered in this process (warm: the imports are paid before
the first measurement), from a generated article of short Arabic paragraphs
with a section heading every fifty. The PDF is left out: WeasyPrint's tagging
of a 2,000-page document is quadratic in pages (see the README's Known limits).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.api import render  # noqa: E402
from pipeline.reader import read_article  # noqa: E402

SIZES = (1_000, 8_000, 64_000)


def article(paragraphs: int) -> str:
    # short paragraphs: 64,000 of them stay under the 2 MB source limit
    body = "".join((f"## قسم {n // 50}\n\n" if n % 50 == 0 else "")
                   + f"فقرة {n} **كلمة**.\n\n" for n in range(paragraphs))
    return "---\ntitle: مقال طويل جدا\n---\n\n" + body


def per_paragraph(step, text: str, paragraphs: int) -> float:
    started = time.perf_counter()
    step(text)
    return (time.perf_counter() - started) / paragraphs * 1e3


def main() -> None:
    steps = {"reader": lambda t: read_article(t),
             "DOCX": lambda t: render(t, formats=("docx",)),
             "EPUB": lambda t: render(t, formats=("epub",)),
             "web page": lambda t: render(t, formats=("html",))}
    render(article(100), formats=("docx", "epub", "html"))  # imports and caches first
    texts = {n: article(n) for n in SIZES}
    print("| step | " + " | ".join(f"{n:,} ¶ (ms/¶)" for n in SIZES) + " | largest ÷ smallest |")
    print("|---|" + "---:|" * (len(SIZES) + 1))
    for name, step in steps.items():
        times = [per_paragraph(step, texts[n], n) for n in SIZES]
        print(f"| {name} | " + " | ".join(f"{t:.3f}" for t in times)
              + f" | {times[-1] / times[0]:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
