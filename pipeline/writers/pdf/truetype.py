"""Append composite glyphs to a TrueType font program, in place of a full rewrite.

The PDF writer adds a few hundred glyphs (a letter moved, kerned or elongated)
to each embedded subset. Loading and saving the font with fontTools costs
about 70 ms a font, most of it recompiling glyphs that do not change; this
module appends the new glyph records and rewrites only the small tables that
count glyphs (``loca``, ``hmtx``, ``maxp``, ``hhea``, ``head``), a few
milliseconds. fontTools reads the result in the tests (tests/test_truetype.py).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# Composite glyph flags (OpenType 'glyf' table).
_ARG_1_AND_2_ARE_WORDS = 0x0001
_ARGS_ARE_XY_VALUES = 0x0002
_MORE_COMPONENTS = 0x0020
_WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
# Tables holding one record a glyph that the subset may carry; they are
# optional, so they are dropped rather than extended.
_PER_GLYPH_OPTIONAL = {b"hdmx", b"LTSH", b"VDMX", b"vmtx", b"vhea", b"VORG"}


@dataclass(frozen=True, slots=True)
class Component:
    glyph: int
    dx: int
    dy: int
    x_scale: float = 1.0


@dataclass(frozen=True, slots=True)
class NewGlyph:
    """A composite glyph to append: its components and its advance (font units)."""

    components: tuple[Component, ...]
    advance: int


class FontError(ValueError):
    """The program is not a TrueType font this module can extend."""


def append_composites(program: bytes, glyphs: list[NewGlyph], first_id: int) -> bytes:
    """``program`` with ``glyphs`` at ids ``first_id``, ``first_id + 1`` …
    (empty glyphs fill any ids between the font's last glyph and ``first_id``)."""
    tables = _tables(program)
    for tag in (b"head", b"maxp", b"hhea", b"hmtx", b"loca", b"glyf"):
        if tag not in tables:
            raise FontError(f"no {tag.decode()} table")
    head, maxp, hhea = bytearray(tables[b"head"]), bytearray(tables[b"maxp"]), \
        bytearray(tables[b"hhea"])
    count = struct.unpack_from(">H", maxp, 4)[0]
    if first_id < count:
        raise FontError(f"glyph id {first_id} is taken")
    long_loca = struct.unpack_from(">h", head, 50)[0] == 1
    offsets = _loca(tables[b"loca"], count, long_loca)
    advances, bearings = _hmtx(tables[b"hmtx"], struct.unpack_from(">H", hhea, 34)[0], count)

    records = _Records(tables[b"glyf"], offsets, count)
    records.added += [b""] * (first_id - count)
    advances += [0] * (first_id - count)
    bearings += [0] * (first_id - count)
    font_maxima = _composite_maxima(maxp)
    most_points, most_contours, most_elements, depth = font_maxima
    for glyph in glyphs:
        record, bounds = _composite(glyph, records)
        records.added.append(record)
        advances.append(glyph.advance & 0xFFFF)
        bearings.append(bounds[0])
        points, contours, nested = _composite_size(glyph, records, font_maxima[:2])
        most_points, most_contours = max(most_points, points), max(most_contours, contours)
        most_elements = max(most_elements, len(glyph.components))
        depth = max(depth, 2 if nested else 1)

    total = len(advances)
    glyf_out, loca = records.joined()
    interleaved: list[int] = [0] * (2 * total)
    interleaved[0::2], interleaved[1::2] = advances, bearings
    hmtx_out = struct.pack(">" + "Hh" * total, *interleaved)

    struct.pack_into(">h", head, 50, 1)  # long loca offsets
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    struct.pack_into(">H", maxp, 4, total)
    if len(maxp) >= 32:  # version 1.0
        struct.pack_into(">H", maxp, 10, most_points)
        struct.pack_into(">H", maxp, 12, most_contours)
        struct.pack_into(">H", maxp, 28, most_elements)
        struct.pack_into(">H", maxp, 30, depth)
    struct.pack_into(">H", hhea, 34, total)
    struct.pack_into(">H", hhea, 10, max(struct.unpack_from(">H", hhea, 10)[0], *advances))
    tables.update({b"head": bytes(head), b"maxp": bytes(maxp), b"hhea": bytes(hhea),
                   b"hmtx": hmtx_out, b"loca": struct.pack(f">{len(loca)}I", *loca),
                   b"glyf": glyf_out})
    if b"post" in tables and struct.unpack_from(">I", tables[b"post"], 0)[0] != 0x00030000:
        # Glyph names (post format 2) would have to name every new glyph.
        tables[b"post"] = struct.pack(">I", 0x00030000) + tables[b"post"][4:32]
    for tag in _PER_GLYPH_OPTIONAL & tables.keys():
        del tables[tag]
    return _font(tables, program[:4])


def metrics(program: bytes) -> tuple[int, list[int]]:
    """The font's units per em and each glyph's advance."""
    tables = _tables(program)
    count = struct.unpack_from(">H", tables[b"maxp"], 4)[0]
    long_metrics = struct.unpack_from(">H", tables[b"hhea"], 34)[0]
    upem = struct.unpack_from(">H", tables[b"head"], 18)[0]
    return upem, _hmtx(tables[b"hmtx"], long_metrics, count)[0]


def _tables(program: bytes) -> dict[bytes, bytes]:
    if len(program) < 12 or program[:4] not in (b"\0\1\0\0", b"true"):
        raise FontError("not a TrueType font")
    count = struct.unpack_from(">H", program, 4)[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", program, 12 + 16 * i)
        if offset + length > len(program):
            raise FontError(f"table {tag!r} runs past the end")
        tables[tag] = program[offset:offset + length]
    return tables


def _loca(data: bytes, count: int, long: bool) -> list[int]:
    if long:
        return list(struct.unpack_from(f">{count + 1}I", data))
    return [2 * v for v in struct.unpack_from(f">{count + 1}H", data)]


def _hmtx(data: bytes, long_metrics: int, count: int) -> tuple[list[int], list[int]]:
    """Each glyph's advance and left side bearing (unpacked at once: a font
    has thousands)."""
    pairs = struct.unpack_from(">" + "Hh" * long_metrics, data)
    advances, bearings = list(pairs[0::2]), list(pairs[1::2])
    rest = count - long_metrics
    if rest > 0:
        advances += [advances[-1] if advances else 0] * rest
        bearings += struct.unpack_from(f">{rest}h", data, 4 * long_metrics)
    return advances, bearings


class _Records:
    """The glyph records: the font's own, read from its glyf table where
    asked for (a component's bounds), then the ``added`` ones."""

    def __init__(self, glyf: bytes, offsets: list[int], count: int) -> None:
        self.glyf, self.offsets, self.count = glyf, offsets, count
        self.added: list[bytes] = []

    def __getitem__(self, glyph: int) -> bytes:
        if glyph < self.count:
            return self.glyf[self.offsets[glyph]:self.offsets[glyph + 1]]
        return self.added[glyph - self.count]

    def joined(self) -> tuple[bytes, list[int]]:
        """The new glyf table and its (long) loca offsets. The font's own
        records stay one block where its loca runs in order from 0, as it
        should; otherwise each is copied."""
        offsets = self.offsets
        if offsets[0] == 0 and all(a <= b for a, b in zip(offsets, offsets[1:])):
            glyf, loca = bytearray(self.glyf[:offsets[self.count]]), offsets[:self.count]
            records = self.added
        else:
            glyf, loca, records = bytearray(), [], [self[i] for i in range(self.count)]
            records += self.added
        for record in records:
            glyf += b"\0" * (-len(glyf) % 4)
            loca.append(len(glyf))
            glyf += record
        glyf += b"\0" * (-len(glyf) % 4)
        loca.append(len(glyf))
        return bytes(glyf), loca


def _bounds(record: bytes) -> tuple[int, int, int, int] | None:
    if len(record) < 10:
        return None
    return struct.unpack_from(">hhhh", record, 2)


def _composite(glyph: NewGlyph, records: _Records) -> tuple[bytes, tuple[int, int, int, int]]:
    body = bytearray()
    box: list[float] | None = None
    for k, c in enumerate(glyph.components):
        flags = _ARGS_ARE_XY_VALUES | _ARG_1_AND_2_ARE_WORDS
        if k + 1 < len(glyph.components):
            flags |= _MORE_COMPONENTS
        scaled = abs(c.x_scale - 1.0) > 1e-6
        if scaled:
            flags |= _WE_HAVE_AN_X_AND_Y_SCALE
        body += struct.pack(">HHhh", flags, c.glyph, c.dx, c.dy)
        if scaled:
            body += struct.pack(">hh", round(c.x_scale * 16384), 16384)
        inner = _bounds(records[c.glyph])
        if inner is not None:
            x0, y0, x1, y1 = inner
            part = [x0 * c.x_scale + c.dx, y0 + c.dy, x1 * c.x_scale + c.dx, y1 + c.dy]
            box = part if box is None else [min(box[0], part[0]), min(box[1], part[1]),
                                            max(box[2], part[2]), max(box[3], part[3])]
    bounds = tuple(round(v) for v in (box or [0, 0, 0, 0]))
    return struct.pack(">hhhhh", -1, *bounds) + bytes(body), bounds


def _composite_maxima(maxp: bytes) -> tuple[int, int, int, int]:
    if len(maxp) < 32:
        return 0, 0, 0, 0
    points, contours = struct.unpack_from(">HH", maxp, 10)
    elements, depth = struct.unpack_from(">HH", maxp, 28)
    return points, contours, elements, depth


def _composite_size(glyph: NewGlyph, records: _Records,
                    composite_most: tuple[int, int]) -> tuple[int, int, bool]:
    """Points and contours of the glyph once its components are expanded (a
    composite component counted at the font's composite maxima,
    ``composite_most``), and whether a component is itself composite."""
    points = contours = 0
    nested = False
    for c in glyph.components:
        record = records[c.glyph]
        if len(record) < 10:
            continue
        n = struct.unpack_from(">h", record, 0)[0]
        if n >= 0:
            contours += n
            if n:
                points += struct.unpack_from(">H", record, 10 + 2 * (n - 1))[0] + 1
        else:
            nested = True
            points, contours = points + composite_most[0], contours + composite_most[1]
    return points, contours, nested


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _font(tables: dict[bytes, bytes], version: bytes) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    power = 1
    while power * 2 <= count:
        power *= 2
    header = version + struct.pack(">HHHH", count, power * 16, power.bit_length() - 1,
                                   count * 16 - power * 16)
    directory = bytearray()
    body = bytearray()
    offset = 12 + 16 * count
    head_at = None
    for tag in tags:
        data = tables[tag]
        if tag == b"head":
            head_at = offset + len(body)
        directory += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    if head_at is not None:
        struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
