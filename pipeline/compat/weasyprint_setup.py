"""How WeasyPrint is started: its C declarations parsed once per release, and
a font configuration that knows the shipped fonts alone.

**Fonts.** WeasyPrint's ``FontConfiguration`` loads the system's fontconfig
configuration, so a character no shipped font has (Georgian, Hebrew, Greek in
an Arabic article; SVG text without a font-family) was drawn in whatever the
machine has, DejaVu Sans here, and that font embedded in the PDF.
``shipped_font_configuration()`` makes WeasyPrint read a private configuration
instead: no font folder, no system file, only the faces the stylesheets add
with @font-face, and the generic families (sans-serif, serif, monospace)
mapped to the text family. Such a character is drawn as the text font's
missing-glyph box, which the reader's coverage warning names.

**Start.**

``weasyprint/text/ffi.py`` hands cffi 16 KB of C declarations (``ffi.cdef``)
when it is imported; parsing them with pycparser is 0.27 s of the 0.45 s that
``import weasyprint`` takes, in every process that renders a PDF. cffi can
write those declarations out once as an out-of-line ABI module
(``set_source(name, None)``: plain Python, no compiler), which loads in
milliseconds. ``load()`` writes that module into the user's cache, keyed by
the declarations' digest and WeasyPrint's and cffi's versions, and lets
WeasyPrint's own ``ffi.py`` run with it: its ``cffi.FFI()`` returns the
prebuilt object and its ``cdef`` checks that the declarations are the ones the
module was built from. Whenever anything differs (another WeasyPrint, a
declaration changed, no cache folder, a module that does not load), WeasyPrint
is imported as it comes, parsing its declarations itself.

The reaches: the file ``weasyprint/text/ffi.py`` holds exactly one
``ffi.cdef("…")`` with a constant string, and creates its FFI as
``cffi.FFI()``; ``FontConfiguration()`` reads its configuration with
``FcInitLoadConfigAndFonts``, which follows ``FONTCONFIG_FILE``.
tests/test_compat.py checks them.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import hashlib
import importlib.util
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

_MODULE = "_pipeline_weasyprint_ffi"
_STATE: dict[str, str] = {}
_MADE = "\nffi = _cffi_backend.FFI("
_MAKER = "\ndef make_ffi(cls):\n    return cls("


def pdf_variants() -> tuple[str, ...]:
    """The PDF variants the installed WeasyPrint makes (``weasyprint.pdf.VARIANTS``),
    its debug output aside."""
    load()
    from weasyprint.pdf import VARIANTS
    return tuple(v for v in VARIANTS if v != "debug")


def load() -> str:
    """Import WeasyPrint, through the prebuilt declarations where they fit.
    Returns how it was imported: ``prebuilt``, ``built`` (the module was
    written by this call), ``own`` (WeasyPrint's own parsing) or ``loaded``
    (WeasyPrint was already imported)."""
    if "weasyprint.text.ffi" in sys.modules:
        return _STATE.setdefault("how", "loaded")
    if os.environ.get("PIPELINE_WEASYPRINT_FFI") == "own":
        return _own()
    path = None
    try:
        source = _ffi_source()
        declarations = declarations_of(source)
        path = _cached_module(declarations)
        built = not _intact(path)
        if built:
            _write_module(declarations, path)
        prebuilt = _import_module(path)
        digest = _digest(declarations)
        imported = _import_with(prebuilt, digest)
    except (OSError, ValueError, ImportError, SyntaxError, AttributeError, TypeError):
        imported = False
    if not imported:
        if path is not None:  # rebuilt at the next start
            with contextlib.suppress(OSError):
                path.unlink()
        return _own()
    _STATE["how"] = "built" if built else "prebuilt"
    return _STATE["how"]


def _own() -> str:
    import weasyprint.text.ffi  # noqa: F401
    _STATE["how"] = "own"
    return "own"


def _package() -> Path:
    spec = importlib.util.find_spec("weasyprint")  # finds, without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("WeasyPrint is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _ffi_source() -> str:
    return (_package() / "text" / "ffi.py").read_text(encoding="utf-8")


def _weasyprint_version() -> str:
    """The release, read from the package without importing it (as
    importlib.metadata would, ten times slower)."""
    found = re.search(r"^VERSION = __version__ = ['\"]([^'\"]+)['\"]",
                      (_package() / "__init__.py").read_text(encoding="utf-8"), re.M)
    if not found:
        raise ValueError("WeasyPrint's version is not where it was")
    return found.group(1)


def declarations_of(source: str) -> str:
    """The one constant string ``ffi.py`` passes to ``ffi.cdef``."""
    calls = [node for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "cdef"]
    if len(calls) != 1 or len(calls[0].args) != 1 or calls[0].keywords \
            or not isinstance(calls[0].args[0], ast.Constant) \
            or not isinstance(calls[0].args[0].value, str):
        raise ValueError("weasyprint/text/ffi.py no longer has one constant cdef")
    return calls[0].args[0].value


def _digest(declarations: str) -> str:
    return hashlib.sha256(declarations.encode()).hexdigest()


def _cached_module(declarations: str) -> Path:
    import cffi
    from ..fonts import cache_dir
    key = hashlib.sha256("\0".join((
        _digest(declarations), _weasyprint_version(), cffi.__version__,
        sys.implementation.cache_tag or "")).encode()).hexdigest()[:24]
    return cache_dir() / "weasyprint-ffi" / key / f"{_MODULE}.py"


def _intact(path: Path) -> bool:
    """Whether the cached module is the one this process wrote: its bytes
    match the digest written beside it. A module cut short or changed (cffi
    reads its type table unchecked: a changed byte can crash the process) is
    written again."""
    try:
        kept = path.with_suffix(".sha256").read_text(encoding="ascii").strip()
        return hashlib.sha256(path.read_bytes()).hexdigest() == kept
    except OSError:
        return False


def _write_module(declarations: str, path: Path) -> None:
    """cffi's out-of-line ABI module for ``declarations``, written atomically."""
    import cffi
    builder = cffi.FFI()
    builder.set_source(_MODULE, None)
    builder.cdef(declarations)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
            builder.emit_python_code(temporary)
        code = Path(temporary).read_text(encoding="utf-8")
        # The module makes its FFI object at import; it is made instead by
        # make_ffi(cls), with the class that checks WeasyPrint's cdef.
        if code.count(_MADE) != 1:
            raise ValueError("cffi's generated module has another shape")
        code = code.replace(_MADE, _MAKER)
        Path(temporary).write_text(code, encoding="utf-8")
        digest = path.with_suffix(".sha256")
        digest.write_text(hashlib.sha256(code.encode()).hexdigest() + "\n", encoding="ascii")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _import_module(path: Path):
    spec = importlib.util.spec_from_file_location(_MODULE, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Mismatch(Exception):
    """WeasyPrint declared something other than what the module holds."""


def _import_with(prebuilt, digest: str) -> bool:
    """Import WeasyPrint with ``cffi.FFI()`` answering the prebuilt object;
    False (and nothing of WeasyPrint left imported) if its declarations differ."""
    import cffi

    import _cffi_backend

    class Prebuilt(_cffi_backend.FFI):
        def cdef(self, declarations, *args, **kwargs):
            if args or kwargs or _digest(declarations) != digest:
                raise _Mismatch()

    ffi = prebuilt.make_ffi(Prebuilt)
    original = cffi.FFI
    cffi.FFI = lambda *args, **kwargs: ffi
    try:
        import weasyprint  # noqa: F401
    except Exception as failure:  # nothing half-imported is left for the fallback
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
        if isinstance(failure, _Mismatch):
            return False
        raise
    finally:
        cffi.FFI = original
    return True


def shipped_font_configuration(text_family: str):
    """A WeasyPrint ``FontConfiguration`` that knows no system font: only the
    @font-face faces given to it, and ``text_family`` for the generic names."""
    load()
    from weasyprint.text.fonts import FontConfiguration
    folder = _fontconfig_folder()
    family = escape(text_family)
    aliases = "".join(
        f"<alias binding=\"same\"><family>{generic}</family><prefer><family>{family}</family>"
        f"</prefer></alias>" for generic in ("sans-serif", "serif", "monospace", "system-ui",
                                              "cursive", "fantasy"))
    configuration = folder / "shipped-only.conf"
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            f"<fontconfig><cachedir>{escape(str(folder))}</cachedir>{aliases}</fontconfig>\n")
    if not configuration.is_file() or configuration.read_text(encoding="utf-8") != text:
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, configuration)
    with _environment(FONTCONFIG_FILE=str(configuration)):
        return FontConfiguration()


def _fontconfig_folder() -> Path:
    """Where the private configuration is written: the user's cache, else
    (a read-only home, a cache path that is a file) a folder of this
    process's own in the system's temporary folder."""
    from ..fonts import cache_dir
    if "fontconfig" not in _STATE:
        folder = cache_dir() / "fontconfig"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tempfile.NamedTemporaryFile(dir=folder).close()  # writable?
        except OSError:
            folder = Path(tempfile.mkdtemp(prefix="pipeline-fontconfig-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _STATE["fontconfig"] = str(folder)
    return Path(_STATE["fontconfig"])


@contextlib.contextmanager
def _environment(**values: str):
    """``values`` in the process's environment while the block runs (fontconfig
    reads FONTCONFIG_FILE when a configuration is made, not at start)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
