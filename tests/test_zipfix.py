"""Reproducible ZIP containers (pipeline/zipfix.py) and ZIP reading within
limits (pipeline/ziplimits.py)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from pipeline.errors import PipelineError
from pipeline.zipfix import deflated, normalize_zip, write_zip
from pipeline.ziplimits import open_package

WHEN = dt.datetime(2024, 6, 11, 9, 30, tzinfo=dt.timezone.utc)


def test_entries_keep_their_order_date_and_storage():
    data = write_zip([("mimetype", b"application/epub+zip"), ("a.xml", b"<a/>" * 100),
                      ("font.odttf", deflated(b"\0font" * 1000))], WHEN, stored=("mimetype",))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == ["mimetype", "a.xml", "font.odttf"]
        assert {i.date_time for i in infos} == {(2024, 6, 11, 9, 30, 0)}
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert z.read("font.odttf") == b"\0font" * 1000 and z.testzip() is None


def test_the_same_entries_give_the_same_bytes_and_old_dates_are_clamped():
    entries = [("b", b"2"), ("a", b"1")]
    assert write_zip(entries, WHEN) == write_zip(entries, WHEN)
    old = write_zip(entries, dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    with zipfile.ZipFile(io.BytesIO(old)) as z:
        assert z.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_normalize_puts_the_named_entries_first():
    data = write_zip([("z", b"1"), ("[Content_Types].xml", b"2"), ("a", b"3")], WHEN)
    again = normalize_zip(data, WHEN, first=("[Content_Types].xml",))
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert z.namelist() == ["[Content_Types].xml", "z", "a"]


def test_a_package_past_the_limits_is_refused_before_inflating(tmp_path):
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as z:
        for n in range(10_001):
            z.writestr(f"f{n}", b"")
    with pytest.raises(PipelineError, match="10,001 files"):
        open_package(many, "DOCX")
    ratio = tmp_path / "ratio.docx"
    with zipfile.ZipFile(ratio, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(PipelineError, match="inflates 8,388,608 bytes from"):
        open_package(ratio, "DOCX")
    with pytest.raises(PipelineError, match="not a readable ZIP"):
        (tmp_path / "junk.docx").write_bytes(b"PK junk")
        open_package(tmp_path / "junk.docx", "DOCX")
