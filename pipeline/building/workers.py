"""The processes that render: a long-lived PDF worker beside this process, and
pools for batches. Only the standard library is imported here, so that the
command can start the PDF worker before it imports anything heavy."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor

from ..compat.futures import pool_processes

MAX_RENDER_SECONDS = 300
"""One format of one article may render this long; past it, the article fails
with a line saying so (a worker stuck in a pathological layout is freed)."""


class RenderTimeout(BaseException):
    """Raised into a render that ran past its time (a BaseException, so that no
    library's ``except Exception`` swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise ``RenderTimeout`` into the code inside after ``seconds`` (on the
    main thread of a process with interval timers; elsewhere nothing is timed,
    and the service's own time limit applies)."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class PdfWorker:
    """A long-lived process that renders one run's PDFs. It imports WeasyPrint
    and sets up the fonts once, while the run reads the article and writes the
    DOCX and EPUB: a cold build does not wait for the import, and a rebuild
    (``--watch``, an API caller keeping its context) finds it warm. The PDF is
    the slowest format; this is how a build uses both cores. Held by a
    ``BuildContext``, never by a module."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        """The worker, started now if it is not running (its imports then
        overlap the caller's own work)."""
        if self._executor is None:
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=_context(),
                                                 initializer=warm_pdf_worker,
                                                 initargs=_parent())
            self._executor.submit(int)
        return self._executor

    start = executor

    @property
    def running(self) -> bool:
        return self._executor is not None

    def stop(self, kill: bool = False) -> None:
        """Let the worker go. ``kill`` ends it at once, even in the middle of
        its imports: a command that had nothing to render (everything up to
        date) must not wait half a second for a worker it never used."""
        if self._executor is not None:
            if kill:
                for process in pool_processes(self._executor):
                    process.terminate()
            self._executor.shutdown(wait=kill, cancel_futures=True)
            self._executor = None


def worker_pool(workers: int) -> Executor:
    """A process pool whose workers import WeasyPrint and build their font
    configuration once, before the first article."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                               initializer=warm_worker, initargs=_parent())


def dask_executor(address: str):
    """The executor of the Dask cluster at ``address`` and its client (close
    it when done)."""
    from ..errors import PipelineError
    try:
        from dask.distributed import Client
    except ImportError:
        raise PipelineError("--scheduler needs Dask distributed",
                            hint="pip install '.[cluster]'") from None
    try:
        client = Client(address, timeout=10)
    except (OSError, TimeoutError) as exc:
        raise PipelineError(f"cannot reach the Dask scheduler at {address}: {exc}",
                            hint="start one with: dask scheduler") from None
    return client.get_executor(), client


def service_pool(workers: int, max_tasks: int) -> Executor:
    """Workers for ``pipeline serve``: warm like a batch's, and each replaced
    after ``max_tasks`` articles. WeasyPrint keeps a little native memory for
    every PDF set in web fonts (a quarter of a megabyte here, never given back);
    a long-lived worker would grow for ever. New workers fork from a server
    process that has already imported the pipeline and WeasyPrint."""
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    if context.get_start_method() == "forkserver":
        # the fork server and its workers end with this process, even killed
        os.environ["PIPELINE_SERVICE_PID"] = str(os.getpid())
        context.set_forkserver_preload(["pipeline.api", "pipeline.building.builder",
                                        "pipeline.writers.pdf", "pipeline.building.forkserver"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=warm_service_worker, initargs=(os.getpid(),),
                               max_tasks_per_child=max_tasks)


def warm_service_worker(service: int) -> None:
    """A service worker: warm, and ended with its fork server (its parent,
    PR_SET_PDEATHSIG) or with the service (its grandparent, watched)."""
    die_with(os.getppid(), main_thread=True)
    if service != os.getppid():
        watch_process(service)
    warm_worker()


def watch_process(pid: int) -> None:
    """End this process when process ``pid`` (not its parent) is gone."""
    def watch() -> None:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass  # there, and someone else's
            time.sleep(0.5)
    threading.Thread(target=watch, daemon=True, name="service-watch").start()


def warm_worker(parent: int | None = None, main_thread: bool = False) -> None:
    """Pay the imports and the font set-up once per worker process."""
    if parent is not None:
        die_with(parent, main_thread)
    from ..writers import docx, epub  # noqa: F401  (imported for their side cost)
    warm_pdf_worker()


def warm_pdf_worker(parent: int | None = None, main_thread: bool = False) -> None:
    if parent is not None:
        die_with(parent, main_thread)
    _quiet_signals()
    from .. import fonts
    from ..writers import pdf
    pdf.font_config()
    for face in fonts.shipped_faces():
        fonts.glyph_texts(face.path)


def _parent() -> tuple[int, bool]:
    """What a new worker needs to end with this process: its pid, and whether
    the pool is made on the main thread (Linux ties a child's death signal to
    the thread that forked it, which may end long before the process)."""
    return os.getpid(), threading.current_thread() is threading.main_thread()


def die_with(parent: int, main_thread: bool = False) -> None:
    """End this worker when the process that started it ends, however it ends
    (a clean error, a signal, SIGKILL): a worker left behind would hold the
    command's stdout and stderr, and ``cmd | tail`` or a CI step would wait
    for ever. Linux kills it with its parent (PR_SET_PDEATHSIG); elsewhere, and
    should the parent be gone already, a thread watches the parent's pid."""
    if main_thread and sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _quiet_signals() -> None:
    """A worker ends when its parent says so: Ctrl-C is the parent's to handle
    (it reaches the whole process group), and SIGTERM simply ends the worker
    instead of running the handler a forked worker inherits from the command."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _context():
    """Fork while this process has not loaded WeasyPrint (cheap, and nothing of
    Pango's is copied); spawn otherwise."""
    fork = "fork" in multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(
        "fork" if fork and "weasyprint" not in sys.modules else "spawn")
