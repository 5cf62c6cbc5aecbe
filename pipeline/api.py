"""``render()``: an article's source as text in, its files as bytes out.

For a CMS, a queue or a web service that holds the article in memory. The
source and its images stay in memory: they go through the same reader and
writers as the command's files (``prepare.ArticleSource``), so the bytes are
the command's for the same inputs and ``SOURCE_DATE_EPOCH``, and nothing is
written to a disk. Nothing but the shipped fonts and templates (and the
settings' own folders: a reference DOCX, template folders) is read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import threading
from collections.abc import Iterable, Mapping

from .errors import PipelineError

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "epub": "application/epub+zip",
    "html": "text/html; charset=utf-8",
}
_FILE_NAME = re.compile(r"(?![.\s-])[^/\\\x00-\x1f\x7f]{1,100}")
"""A plain file name, in any script (``صورة.png``, ``my photo.jpg``): no
folders, no hidden or option-like names, no control characters."""
_PDF_ENGINE = threading.Lock()
"""WeasyPrint and Pango are not made for two renders at once in one process
(GLib's lists were corrupted from threads): PDFs are rendered one at a time."""


def render(text: str, formats: Iterable[str] = ("pdf", "docx", "epub"),
           images: Mapping[str, bytes] | None = None, name: str = "article",
           warnings: list | None = None, **settings) -> dict[str, bytes]:
    """The article ``text`` (Markdown with front matter) in each of ``formats``.

    ``images`` maps the names the article uses (``![…](photo.jpg)``, plain file
    names) to their bytes. ``settings`` are ``BuildSettings`` fields (``paper``,
    ``justify``, ``digits``, ``columns``, ``pdf_variant``, ``bleed_mm``,
    ``marks`` …). A refusal raises ``PipelineError`` with the command's
    one-line diagnostic. An ``html`` page's fonts and images are left out: it
    is the page alone. ``warnings``: a list the build's warnings (the
    command's lines, ``errors.Diagnostic``) are appended to."""
    from .building.builder import BuildSettings, render as render_job
    from .building.context import BuildContext
    from .building.prepare import ArticleSource, prepare

    known = {f.name for f in dataclasses.fields(BuildSettings)} - {"formats", "debug", "force"}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise PipelineError(f"unknown setting {unknown[0]!r}",
                            hint="use one of " + ", ".join(sorted(known)))
    if not _FILE_NAME.fullmatch(name):
        raise PipelineError(f"not a file name: {name!r}",
                            hint="a plain name, without folders, not starting with a dot")
    if not isinstance(text, str):
        raise TypeError(f"the article's text must be str, not {type(text).__name__}")
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate, e.g. from surrogateescape
        raise PipelineError(f"the text holds U+{ord(text[exc.start]):04X} at character "
                            f"{exc.start}, which is not a character",
                            hint="decode the source as UTF-8 without surrogateescape") from None
    if images is not None and not isinstance(images, Mapping):
        raise TypeError(f"images must map the names the article uses to bytes, "
                        f"not a {type(images).__name__}")
    job_settings = BuildSettings(formats=formats, force=True, **settings)  # the schema checks
    formats = job_settings.formats
    source_name = f"{name}.md"
    for image_name, data in (images or {}).items():
        if not isinstance(image_name, str) or not _FILE_NAME.fullmatch(image_name) \
                or image_name == source_name:
            raise PipelineError(f"not an image file name: {image_name!r}",
                                hint="plain names such as photo.jpg, no folders")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"image {image_name!r} must be bytes, not {type(data).__name__}")
    source = ArticleSource.given(source_name, encoded, images or {})
    try:
        # a context of its own: this call's clock, the PDF rendered here
        job = prepare(source, job_settings, BuildContext(pdf=None).epoch)
        with _PDF_ENGINE if "pdf" in formats else contextlib.nullcontext():
            rendered = render_job(job)
    except PipelineError as exc:
        raise exc.located(source_name) from None
    if warnings is not None:
        warnings.extend(job.warnings)
    return {fmt: getattr(value, "main", value) for fmt, value in rendered.items()}
