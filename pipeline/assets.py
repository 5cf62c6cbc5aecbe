"""Where the shipped fonts and templates are: ``fonts/`` and ``templates/``
beside the package in a checkout (and an editable install), copied into
``pipeline/_data/`` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name  # missing: the errors that follow name this path


FONTS_DIR = _shipped("fonts")
TEMPLATES_DIR = _shipped("templates")
