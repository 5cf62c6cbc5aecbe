"""Waiting for a running ``pipeline serve``: the tests and bench/serve.py."""

from __future__ import annotations

import time


def wait_until_ready(url: str, seconds: float) -> None:
    """Poll ``url``'s /health until it answers 200; AssertionError after ``seconds``."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the service at {url} did not become ready in {seconds:g} s")
