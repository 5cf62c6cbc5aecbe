"""Every reach into a library's private names lives here, one module a library.

Each reach has a test (tests/test_compat.py) that fails loudly when the library
changes under it, and pyproject bounds the versions these were written for.
"""
