"""The ``pipeline`` console script: as little as possible before Ctrl-C is
answered with "interrupted" instead of a traceback (the command's own module
imports argparse and the settings tables first)."""

import os
import sys


def run() -> None:
    try:
        from .cli import run as command
    except KeyboardInterrupt:
        print("pipeline: interrupted", file=sys.stderr)
        sys.stderr.flush()
        os._exit(130)
    command()
