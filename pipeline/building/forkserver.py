"""Imported by the service's fork server only (``workers.service_pool``
names it in the preload list): WeasyPrint loaded once for every worker forked
from it, and the fork server ended with the service that started it.

Python's fork server outlives a service killed with SIGKILL (its workers keep
its end of the pipe open): this one watches the service's process id, given
in ``PIPELINE_SERVICE_PID``, and ends when it is gone; each worker forked
from it dies with it (``workers.warm_service_worker``)."""

from __future__ import annotations

import os

from ..compat import weasyprint_preload  # noqa: F401  (imported for WeasyPrint's load)
from .workers import watch_process

_service = os.environ.get("PIPELINE_SERVICE_PID", "")
if _service.isdigit() and int(_service) != os.getpid():
    watch_process(int(_service))
