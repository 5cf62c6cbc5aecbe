"""``concurrent.futures``' private names, in one place.

``ProcessPoolExecutor`` does not say which processes it runs. The service kills
its workers outright when one is stuck past the time limit (a worker in the
middle of a long render never reads a shutdown request), and the command ends
its PDF worker at once when it had nothing to render; both need the pids. The
reach: ``ProcessPoolExecutor._processes`` (pid → ``multiprocessing.Process``),
checked by tests/test_compat.py against the running Python.
"""

from __future__ import annotations

from concurrent.futures import Executor


def pool_processes(executor: Executor) -> list:
    """The ``multiprocessing.Process`` objects of a process pool now (empty for
    any other executor)."""
    return list((getattr(executor, "_processes", None) or {}).values())
