"""Every memo the process keeps, in one place: what was read from a font, a
template folder, a reference DOCX, worked out once and kept (``memo``).

They are keyed by what a build names — a font file's path, a folder — so a
file changed under the same name would be served from the memo. Their one
owner is ``clear_memos``: the build context calls it when fonts or templates
change under a running watch (``BuildContext.fresh_resources``), and the
tests when a session ends.
"""

from __future__ import annotations

import atexit
import functools
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

_MEMOS: list = []


def memo(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, known to ``clear_memos``."""
    def wrap(function: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _MEMOS.append(cached)
        return cached  # type: ignore[return-value]
    return wrap


def clear_memos() -> int:
    """Forget everything every memo holds; how many memos there are."""
    for cached in _MEMOS:
        cached.cache_clear()
    return len(_MEMOS)


def memos_held() -> int:
    """How many results the memos hold together (what ``clear_memos`` drops)."""
    return sum(cached.cache_info().currsize for cached in _MEMOS)


def _release_at_exit() -> None:
    # What the memos hold — WeasyPrint's font configuration and the
    # stylesheets parsed against it — is let go while the interpreter still
    # runs: left to the interpreter's teardown, Pango's objects were freed
    # after their library and the process ended in a segmentation fault
    # (exit 139) after a PDF was rendered in it (``render()`` in a CMS).
    import gc
    clear_memos()
    gc.collect()


atexit.register(_release_at_exit)
