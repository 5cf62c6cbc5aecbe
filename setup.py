"""Finds the packages for setuptools: every package under ``pipeline/``, and
the shipped fonts and templates, which pyproject.toml maps into
``pipeline/_data/`` (they stay at the top of a checkout, where they are edited)."""

from setuptools import find_packages, setup

DATA = ["pipeline._data.fonts", "pipeline._data.templates", "pipeline._data.templates.epub"]

setup(packages=[*find_packages(include=["pipeline", "pipeline.*"]), *DATA])
