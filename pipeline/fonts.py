"""The fonts shipped in ``fonts/``: which files, which faces, what they cover.

Outputs use these files only, never fonts installed on the machine.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .caches import memo
from .assets import FONTS_DIR
from .errors import PipelineError


@dataclass(frozen=True, slots=True)
class FontFace:
    family: str
    """The CSS / Word family name."""
    path: Path
    """The font file."""
    bold: bool = False
    """Whether this is the bold face."""
    italic: bool = False
    """Whether this is the italic (slanted) face."""

TEXT_FAMILY = "Amiri"
"""The family the text is set in."""
FALLBACK_FAMILIES = ("Noto Emoji",)
"""Families for characters the text family lacks, tried in order."""

TEMPLATE_CHARACTERS = "0123456789٠١٢٣٤٥٦٧٨٩ ·•–"
"""What the templates draw besides the article's text (numbers, the byline's
dot, bullets): a font subset to an article must keep them too."""

_FACES = (
    ("Amiri", "Amiri-Regular.ttf", False, False),
    ("Amiri", "Amiri-Bold.ttf", True, False),
    ("Amiri", "Amiri-Italic.ttf", False, True),
    ("Amiri", "Amiri-BoldItalic.ttf", True, True),
    ("Noto Emoji", "NotoEmoji-Regular.ttf", False, False),
)


@memo(8)
def shipped_faces(fonts_dir: Path = FONTS_DIR) -> tuple[FontFace, ...]:
    """Every shipped face; a missing file is an error that says which."""
    faces = []
    for family, name, bold, italic in _FACES:
        path = fonts_dir / name
        if not path.is_file():
            raise PipelineError(f"font file missing: {path}",
                                hint="restore fonts/ from the repository")
        if fonts_dir != FONTS_DIR:  # another folder's files are checked before use
            _check_font(path)
        faces.append(FontFace(family, path, bold, italic))
    return tuple(faces)


MAX_FONT_BYTES = 50 * 1024 * 1024
"""A font file larger than this is refused (Amiri's faces are under 1 MB)."""


def _check_font(path: Path) -> None:
    """Refuse a font file that is too large or that fontTools cannot read: an
    empty or damaged face would otherwise fail deep inside subsetting."""
    from fontTools.ttLib import TTFont
    if path.stat().st_size > MAX_FONT_BYTES:
        raise PipelineError(f"font file {path} is over {MAX_FONT_BYTES:,} bytes")
    import io
    try:
        with TTFont(io.BytesIO(path.read_bytes()), lazy=True) as font:
            for tag in ("head", "hhea", "maxp", "hmtx"):
                font[tag]  # noqa: B018  (parses the table)
            if not font.getBestCmap() or not ("glyf" in font or "CFF " in font):
                raise ValueError("no character map or no outlines")
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        raise PipelineError(f"font file {path} cannot be read: {exc or type(exc).__name__}",
                            hint="use the TrueType files from fonts/, or fonts of the "
                                 "same names") from None


def text_faces(fonts_dir: Path = FONTS_DIR) -> tuple[FontFace, ...]:
    """The faces of the text family (regular, bold, italic, bold italic)."""
    return tuple(f for f in shipped_faces(fonts_dir) if f.family == TEXT_FAMILY)


def regular_face(fonts_dir: Path = FONTS_DIR) -> Path:
    """The text family's regular face (what a running title is measured in)."""
    return next(f.path for f in text_faces(fonts_dir) if not f.bold and not f.italic)


def face_path(fonts_dir: Path = FONTS_DIR, bold: bool = False, italic: bool = False) -> Path:
    """The text family's face of that weight and slant (else the nearest)."""
    faces = {(f.bold, f.italic): f.path for f in text_faces(fonts_dir)}
    return faces.get((bold, italic)) or faces.get((bold, False)) or regular_face(fonts_dir)


def word_width_em(word: str, fonts_dir: Path = FONTS_DIR, bold: bool = False,
                  italic: bool = False) -> float:
    """How wide ``word`` is set in the text face, in ems, as HarfBuzz shapes it."""
    return shaped_width_em(word, face_path(fonts_dir, bold, italic))


@memo(4096)
def shaped_width_em(word: str, path: Path) -> float:
    """How wide ``word`` is set in the font at ``path``, in ems (HarfBuzz, kerned)."""
    if not word:
        return 0.0  # HarfBuzz gives an empty buffer no positions at all (an empty cell)
    import uharfbuzz as hb
    face = _hb_face(path)
    buffer = hb.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(face), buffer, {"kern": True})
    return sum(p.x_advance for p in buffer.glyph_positions) / face.upem


PAUSE_MARKS = frozenset(chr(c) for c in range(0x06D6, 0x06DD))
"""Quranic pause marks (small high ligatures and letters)."""
PAUSE_MARK_AIR_EM = 0.2
"""White kept above a pause mark (the leading of vowelled text counts it), so
that it reads as its own line's mark."""
PAUSE_MARK_GAP_EM = 0.08
"""How far above the rest of its word's ink a pause mark is set: Amiri draws
them at one height for every word, a line's height above a short one."""


@memo(8192)
def ink_extent_em(word: str, path: Path) -> tuple[float, float]:
    """How far the ink of ``word`` reaches above and below the baseline, in
    ems (top, bottom; bottom negative below it), with a Quranic pause mark
    where the PDF sets it: ``PAUSE_MARK_GAP_EM`` above the rest of the word."""
    import uharfbuzz as hb
    face = _hb_face(path)
    font = hb.Font(face)
    buffer = hb.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {"kern": True})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = sorted({i.cluster for i in infos})
    top, bottom, pause_heights = 0.0, 0.0, []
    for info, position in zip(infos, positions):
        extents = font.get_glyph_extents(info.codepoint)
        if extents is None or not extents.height:
            continue
        at = starts.index(info.cluster)
        cluster = word[info.cluster:starts[at + 1] if at + 1 < len(starts) else len(word)]
        high = position.y_offset + extents.y_bearing
        low = high + extents.height
        if PAUSE_MARKS & set(cluster) and not any(
                ch.isalpha() and ch not in PAUSE_MARKS for ch in cluster):
            pause_heights.append(high - low)
            continue
        top, bottom = max(top, high), min(bottom, low)
    for height in pause_heights:
        # with PAUSE_MARK_AIR_EM of white above it: it must read as its
        # line's mark, not the line above's
        top = max(top, top + PAUSE_MARK_GAP_EM * face.upem + height
                  + PAUSE_MARK_AIR_EM * face.upem)
    return top / face.upem, bottom / face.upem


@memo(8)
def _hb_face(path: Path):
    import uharfbuzz as hb
    return hb.Face(hb.Blob.from_file_path(str(path)))


@memo(8)
def _cmap(path: Path) -> frozenset[int]:
    try:  # HarfBuzz reads the cmap without naming every glyph: 1 ms, not 15
        import uharfbuzz as hb
        return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)
    except ImportError:
        from fontTools.ttLib import TTFont
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap())


def coverage(fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Code points some shipped face can draw."""
    return frozenset().union(*(_cmap(f.path) for f in shipped_faces(fonts_dir)))


def text_width_em(text: str, fonts_dir: Path = FONTS_DIR, bold: bool = False,
                  italic: bool = False) -> float:
    """How wide ``text`` is set, in ems: each run of characters in the face
    that draws it (the text family, else the first shipped family that has
    them, as the PDF's font fallback chooses), shaped by HarfBuzz."""
    width = 0.0
    for family, run in itertools.groupby(
            text, key=lambda ch: family_for(ch, fonts_dir) or TEXT_FAMILY):
        run = "".join(run)
        if family == TEXT_FAMILY:
            width += word_width_em(run, fonts_dir, bold, italic)
        else:
            width += shaped_width_em(run, next(
                f.path for f in shipped_faces(fonts_dir) if f.family == family))
    return width


def family_for(ch: str, fonts_dir: Path = FONTS_DIR) -> str | None:
    """The first shipped family that has ``ch``, text family first."""
    code = ord(ch)
    for family, cmap in _family_cmaps(fonts_dir):
        if code in cmap:
            return family
    return None


def faces_used(article, text: str, fonts_dir: Path = FONTS_DIR) -> tuple[FontFace, ...]:
    """The faces an article needs: the text family's regular and bold always
    (text, headings), its italics only when the article has emphasis, another
    family only when one of ``text``'s characters needs it. Declaring fewer
    faces saves the PDF engine loading fonts it would not use."""
    from .model import Emphasis
    from .transforms import iter_nodes
    families = {family_for(ch, fonts_dir) for ch in set(text)}
    italic = any(isinstance(n, Emphasis) for n in iter_nodes(article))
    return tuple(face for face in shipped_faces(fonts_dir)
                 if (face.family == TEXT_FAMILY and (italic or not face.italic))
                 or (face.family != TEXT_FAMILY and face.family in families))


@memo(8)
def _family_cmaps(fonts_dir: Path) -> tuple[tuple[str, frozenset[int]], ...]:
    faces = shipped_faces(fonts_dir)
    return tuple((family, frozenset().union(*(_cmap(f.path) for f in faces
                                               if f.family == family)))
                 for family in (TEXT_FAMILY, *FALLBACK_FAMILIES))


def subset_font(face: FontFace, text: str) -> bytes:
    """The face cut down to what ``text`` needs, keeping every OpenType layout
    feature's closure so that joining forms, ligatures and marks still shape.

    HarfBuzz's subsetter (uharfbuzz) when it is installed, as WeasyPrint uses it
    for the PDF: a hundred times faster than fontTools' on Amiri's large GSUB,
    which stays the fallback."""
    try:
        import uharfbuzz as hb
    except ImportError:
        return _subset_with_fonttools(face, text)
    subset_input = hb.SubsetInput()
    for ch in set(text):
        subset_input.unicode_set.add(ord(ch))
    for kind in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID,
                 hb.SubsetInputSets.NAME_LANG_ID, hb.SubsetInputSets.LAYOUT_SCRIPT_TAG):
        keep_all = subset_input.sets(kind)
        keep_all.clear()
        keep_all.invert()
    subset_input.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    font = hb.subset(hb.Face(hb.Blob(face.path.read_bytes())), subset_input)
    if font is None:
        raise PipelineError(f"cannot subset the font {face.path.name}")
    return font.blob.data


def _subset_with_fonttools(face: FontFace, text: str) -> bytes:
    from fontTools import subset

    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = False
    with subset.load_font(str(face.path), opts) as font:
        subsetter = subset.Subsetter(opts)
        subsetter.populate(text=text)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def woff2(font: bytes) -> bytes:
    """A TrueType font compressed as WOFF2 for the web (fontTools and Brotli)."""
    from fontTools.ttLib import TTFont
    with TTFont(io.BytesIO(font)) as parsed:
        parsed.flavor = "woff2"
        out = io.BytesIO()
        parsed.save(out)
    return out.getvalue()


def cache_dir() -> Path:
    """Where derived font data is kept between runs (safe to delete): read when
    used, so that a caller who sets XDG_CACHE_HOME after import is heard."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pipeline"


@memo(8)
def glyph_texts(path: Path) -> dict[int, str]:
    """Glyph id → the text that glyph stands for (see ``_glyph_texts``), kept on
    disk by the font's digest: reading a large GSUB costs a cold PDF build
    a quarter of a second."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
    folder = cache_dir()
    cached = folder / f"glyph-texts-1-{digest}.json"
    try:
        return {int(k): v for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        pass
    texts = _glyph_texts(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:  # a read-only home: compute each time
        pass
    return texts


def _glyph_texts(path: Path) -> dict[int, str]:
    """Glyph id → the text that glyph stands for, read from the font itself.

    Follows the cmap through every GSUB substitution: a contextual form carries
    its letter, a ligature the letters it joins, and a glyph a lookup only
    inserts (Amiri's kashida after a lam before a kaf) carries nothing (``""``).
    Glyphs reached from two different texts are left out: the font cannot say.
    """
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        texts: dict[str, set[str]] = {}
        for cp, name in font.getBestCmap().items():
            text = chr(cp)
            if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
                # Arabic presentation forms share glyphs with their letters
                text = unicodedata.normalize("NFKC", text)
            texts.setdefault(name, set()).add(text)
        inserted: set[str] = set()
        subtables = []
        if "GSUB" in font:
            for lookup in font["GSUB"].table.LookupList.Lookup:
                for st in lookup.SubTable:
                    subtables.append(st.ExtSubTable if lookup.LookupType == 7 else st)
        for _ in range(8):  # substitutions chain; a few passes reach the fixpoint
            before = sum(map(len, texts.values()))
            for st in subtables:
                _follow(st, texts, inserted)
            if sum(map(len, texts.values())) == before:
                break
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    result = {order[name]: "" for name in inserted}
    for name, options in texts.items():
        if name not in inserted and len(options) == 1:
            result[order[name]] = next(iter(options))
    return result


def _follow(st, texts: dict[str, set[str]], inserted: set[str]) -> None:
    kind = type(st).__name__
    if kind in ("SingleSubst",):
        for a, b in st.mapping.items():
            texts.setdefault(b, set()).update(texts.get(a, ()))
    elif kind == "MultipleSubst":
        for a, seq in st.mapping.items():
            if not seq:
                continue
            texts.setdefault(seq[0], set()).update(texts.get(a, ()))
            if seq[0] == a:  # a → a + extra: the extras are drawn, not written
                inserted.update(g for g in seq[1:] if g != a)
    elif kind == "AlternateSubst":
        for a, alternates in st.alternates.items():
            for b in alternates:
                texts.setdefault(b, set()).update(texts.get(a, ()))
    elif kind == "LigatureSubst":
        for first, ligatures in st.ligatures.items():
            for lig in ligatures:
                parts = [texts.get(g, set()) for g in (first, *lig.Component)]
                if all(len(p) == 1 for p in parts):
                    texts.setdefault(lig.LigGlyph, set()).add(
                        "".join(next(iter(p)) for p in parts))
