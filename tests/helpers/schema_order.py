"""Word's gate for a DOCX's XML: every element's children in the order
ECMA-376 fixes (the writer's table, pipeline/writers/docx/schema.py), in
every XML part of the package."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from pipeline.writers.docx.schema import out_of_order


def schema_order_faults(docx: Path | bytes) -> list[str]:
    """Each element out of schema order, as "part: parent: child after child"."""
    import io
    source = io.BytesIO(docx) if isinstance(docx, bytes) else docx
    faults = []
    with zipfile.ZipFile(source) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                faults += [f"{name}: {f}" for f in out_of_order(etree.fromstring(z.read(name)))]
    return faults


def assert_schema_order(docx: Path | bytes) -> None:
    faults = schema_order_faults(docx)
    assert not faults, f"{len(faults)} elements out of schema order, e.g. {faults[:5]}"
