"""The editors' loop: the reference DOCX to start a house style from, and an
edited DOCX brought back as the article's source."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import PipelineError

# Every style the DOCX writer sets text in, each named in its own sample (as
# Word's style gallery shows it), so that an editor sees what to restyle.
REFERENCE_SAMPLE = """---
title: العنوان الرئيسي (Title)
description: العنوان الفرعي والملخص (Subtitle)
author: اسم الكاتب (Byline)
date: 2026-01-01
section: القسم (Kicker)
---

نص المتن (Normal): فقرة عادية يُضبط بها خط المقال وحجمه وتباعد أسطره، فيها **غامق**
و*مائل* و~~مشطوب~~ و[رابط (Hyperlink)](https://example.org) وإحالة إلى حاشية[^1].

## عنوان قسم (Heading 1)

### عنوان فرعي (Heading 2)

- **مصطلح بارز**: بند نقطي (List Bullet).
  - بند متداخل (List Bullet 2).

    فقرة تابعة لبند (List Continue 2).
1. بند مرقّم (List Number).

> اقتباس (Quote).

```
code (Source Code)
```

| الجدول (News Table) | رقم |
|---|---:|
| خلية (Table Text) | 12 |

![صورة توضيحية](sample.png "تعليق الصورة (Caption)"){credit="مصدر الصورة (Credit)"}

::: faq
### سؤال القارئ (FAQ Question)؟

جواب السؤال (FAQ Answer).
:::

[^1]: نص الحاشية (Footnote Text).
"""


def reference_docx() -> bytes:
    """The default reference DOCX: every style the writer uses, right to left,
    with a sample of each."""
    from PIL import Image

    from ..api import render

    picture = io.BytesIO()
    Image.new("RGB", (480, 270), (200, 210, 222)).save(picture, "PNG")
    return render(REFERENCE_SAMPLE, formats=("docx",), name="reference",
                  images={"sample.png": picture.getvalue()})["docx"]


def write_reference(target: Path, force: bool = False) -> None:
    if target.suffix.lower() != ".docx":
        raise PipelineError(f"{target} is not a .docx name",
                            hint="name the file, e.g. house-style.docx")
    if target.exists() and not force:
        raise PipelineError(f"{target} exists", hint="choose another name, or add --force")
    from ..building.builder import write_atomically
    write_atomically(target, reference_docx())
