"""What a newsroom's reference DOCX may lend an output: its styles and its
page setup, nothing else."""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document

from ...errors import PipelineError
from ...ziplimits import open_package


def take_styles(document, reference: Path) -> None:
    """The reference DOCX's styles and page setup, and nothing else of it: its
    text, headers, macros (``vbaProject.bin``), attached template, custom XML
    and embedded fonts stay behind. The package is checked against the ZIP
    limits before python-docx inflates any of it."""
    open_package(reference, "reference DOCX").close()
    try:
        source = Document(str(reference))
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise PipelineError(f"cannot use the reference DOCX {reference}: {exc}",
                            hint="give a .docx saved by Word or LibreOffice") from None
    styles = document.styles.element
    for style in list(styles):
        styles.remove(style)
    for style in source.styles.element:
        styles.append(copy.deepcopy(style))
    if not len(source.sections):  # no page setup to lend: the article's stands
        return
    theirs, ours = source.sections[0], document.sections[0]
    for name in ("orientation", "page_width", "page_height", "left_margin", "right_margin",
                 "top_margin", "bottom_margin", "header_distance", "footer_distance",
                 "gutter"):
        if (value := getattr(theirs, name)) is not None:
            setattr(ours, name, value)
