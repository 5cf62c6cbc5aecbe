"""Every memo the process keeps, in one place: what was read from a font, a
template folder, a reference DOCX, worked out once and kept (``memo``).

They are keyed by what a build names — a font file's path, a folder — so a
file changed under the same name would be served from the memo. Their one
owner is ``clear_memos``: the build context calls it when fonts or templates
change under a running watch (``BuildContext.fresh_resources``), and the
tests when a session ends.
"""

from __future__ import annotations

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
