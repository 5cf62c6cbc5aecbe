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

#### عنوان فرعي ثانٍ (Heading 3)

- **مصطلح بارز**: بند نقطي (List Bullet).

  فقرة تابعة لبند (List Continue).
  - بند متداخل (List Bullet 2).

    فقرة تابعة لبند متداخل (List Continue 2).
    - بند في المستوى الثالث (List Bullet 3).

      فقرة تابعة في المستوى الثالث (List Continue 3).

1. بند مرقّم (List Number).
   1. بند مرقّم متداخل (List Number 2).
      1. بند مرقّم في المستوى الثالث (List Number 3).

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


def import_edited(args) -> int:
    """``pipeline import EDITED.docx``: the Markdown and its pictures written,
    comments and warnings listed."""
    import sys
    from dataclasses import replace

    from ..building.jobs import write_all
    from .docx_import import import_docx

    target = args.output or Path("content") / f"{args.text.stem}.md"
    try:
        imported = import_docx(args.text, args.changes, args.keep_comments, target.stem)
    except PipelineError as exc:
        raise exc.located(str(args.text)) from None
    except OSError as exc:
        raise PipelineError(f"cannot read the DOCX: {exc.strerror}",
                            path=str(args.text)) from None
    if target.exists() and not args.force:
        raise PipelineError(f"{target} exists", hint="choose another -o, or add --force")
    folder = target.parent.resolve()
    pictures = {}
    for name, data in imported.images.items():
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):  # names are checked; this is the last guard
            raise PipelineError(f"picture name {name!r} leaves {folder}")
        if path.exists() and path.read_bytes() != data:
            # --force replaces this article's own pictures, never another's
            if users := _articles_using(folder, name, target):
                raise PipelineError(f"{path} differs from the document's picture and is "
                                    f"{users[0].name}'s", hint="rename the picture in the "
                                    "document (Alt Text → name), or choose another -o folder")
            if not args.force:
                raise PipelineError(f"{path} exists and differs from the document's picture",
                                    hint="choose another -o folder, or add --force")
        pictures[path] = data
    # the source and its pictures, all or none (each folder made as needed)
    write_all({**pictures, target: imported.source.encode("utf-8")})
    for warning in imported.warnings:
        print(replace(warning, path=str(args.text)), file=sys.stderr)
    for line in imported.comments:
        print(f"{args.text}: {line}", file=sys.stderr)
    changes = f"{imported.changes} tracked changes {args.changes}ed, " if imported.changes \
        else ""
    print(f"wrote {target} ({changes}{len(imported.comments)} comments, "
          f"{len(pictures)} pictures) — then: pipeline build {target}")
    return 0


def _articles_using(folder: Path, name: str, target: Path) -> list[Path]:
    """The other articles in ``folder`` whose source names the picture ``name``."""
    spellings = (name, name.replace(" ", "%20"))
    return [source for source in sorted(folder.glob("*.md"))
            if source.resolve() != target.resolve() and source.is_file()
            and any(s in source.read_text(encoding="utf-8", errors="replace")
                    for s in spellings)]
