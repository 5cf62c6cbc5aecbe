"""The ``pipeline`` console script: as little as possible before Ctrl-C is
answered with "interrupted" instead of a traceback (the command's own module
imports argparse and the settings tables first, and the generated script runs
a regular expression between importing this module and calling ``run``)."""

import os
import signal
import sys


def _interrupted_early(signum, frame) -> None:
    """Ctrl-C before the command's own handling is in place: nothing has been
    written yet, so end at once."""
    print("pipeline: interrupted", file=sys.stderr)
    sys.stderr.flush()
    os._exit(130)


if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _interrupted_early)


def interrupt_again(unraisable) -> None:
    """Ctrl-C that lands in a finalizer or a weakref callback (an import's
    module lock has one) is printed and ignored by Python, and the command
    runs on: it is delivered again, to the command, once the callback is
    done."""
    if issubclass(unraisable.exc_type, KeyboardInterrupt):
        import _thread
        import threading
        import time
        # from another thread, a moment later: in this one it would land in
        # the hook itself, as ignored as the first
        threading.Thread(target=lambda: (time.sleep(0.01), _thread.interrupt_main()),
                         daemon=True).start()
    else:
        sys.__unraisablehook__(unraisable)


def run() -> None:
    try:
        from .cli import run as command
    except KeyboardInterrupt:
        _interrupted_early(signal.SIGINT, None)
    # from here Ctrl-C is a KeyboardInterrupt the command turns into "interrupted"
    sys.unraisablehook = interrupt_again
    signal.signal(signal.SIGINT, signal.default_int_handler)
    command()
