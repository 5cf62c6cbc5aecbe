"""Importing this module imports WeasyPrint through ``weasyprint_setup.load``:
for a fork server's preload list, which takes module names only."""

from .weasyprint_setup import load

load()
