"""``pipeline serve``: the three files over HTTP, from warm workers.

A CMS or a publishing queue in any language posts an article's source and gets
its PDF, DOCX and EPUB back, without paying WeasyPrint's import on each call.
FastAPI on uvicorn: FastAPI gives the OpenAPI description (``/openapi.json``,
``/docs``) and request parsing for free, uvicorn is the ASGI server it is built
and tested with. The rendering runs in a pool of worker processes that import
WeasyPrint and set up the fonts once (``workers.warm_worker``), or on a Dask
cluster with ``--scheduler``.

Every request is rendered in memory (``api.render``): its source and images
are never written to a disk, and nothing of one request reaches another's
output. The service refuses with JSON
``{"error": "…"}``: 422 for a source the reader refuses, 413 past the size
limit, 503 (with ``Retry-After``) when the queue is full or a worker died,
504 past the time limit (the worker is then replaced).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import signal
import zipfile
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field


from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

from . import __version__
from .api import MEDIA_TYPES
from .apidocs import docs_page, settings_fields, settings_query
from .compat.futures import pool_processes
from .errors import PipelineError, did_you_mean
from .schema import OPTIONS, checked


@dataclass
class ServiceConfig:
    workers: int = 2
    """Worker processes (each renders one article at a time)."""
    queue: int = 8
    """Requests that may wait for a worker; more get 503."""
    max_bytes: int = 10 * 1024 * 1024
    """Largest request body (source and images), in bytes."""
    timeout: float = 60.0
    """Seconds a request may take before it gets 504."""
    max_requests: int = 100
    """Articles a worker renders before a fresh one replaces it (bounded memory)."""
    max_connections: int = 64
    """Open connections past this get 503 from the server before any is read."""
    scheduler: str | None = None
    """A Dask scheduler's address: render there instead of in local workers."""


@dataclass
class _State:
    config: ServiceConfig
    pools: list[Executor] = field(default_factory=list)
    """One single-process pool a worker, so that a stuck or dead worker is
    replaced alone, the others' renders going on (a Dask executor: one, shared)."""
    idle: asyncio.Queue | None = None
    """The pools free for a render: a render is timed from the moment it has one."""
    client: object = None
    ready: bool = False
    slots: asyncio.Semaphore | None = None
    served: int = 0
    pids: list[int] = field(default_factory=list)


def _render_job(text: str, formats: tuple[str, ...], images: dict[str, bytes],
                settings: dict, name: str = "article") -> tuple[dict[str, bytes], list[str]]:
    """What a worker runs: one article, in memory (imported there, not here);
    its files and its warnings."""
    from .api import render
    warnings: list = []
    files = render(text, formats, images, name=name, warnings=warnings, **settings)
    return files, [str(w) for w in warnings]


def _worker_pid() -> int:
    return os.getpid()


def create_app(config: ServiceConfig | None = None):
    """The ASGI application (FastAPI)."""
    state = _State(config or ServiceConfig())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        state.slots = asyncio.Semaphore(state.config.workers + state.config.queue)
        await asyncio.get_running_loop().run_in_executor(None, _start_workers, state)
        state.idle = asyncio.Queue()
        for pool in state.pools:
            state.idle.put_nowait(pool)
        try:
            yield
        finally:
            _stop_workers(state)

    # /docs and /redoc would load their scripts and fonts from a CDN (blank
    # offline, and unpinned code in the browser): a page of our own instead
    app = FastAPI(title="pipeline", summary="Arabic article sources to PDF, DOCX and EPUB",
                  version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.pipeline = state

    known_parameters = {"format", "name", *settings_fields()}

    def error(status: int, message: str, **headers) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_query(request: Request, exc: RequestValidationError):
        # FastAPI's own checks (a number or flag that does not parse) answer
        # in the service's one shape, not FastAPI's {"detail": [...]}
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "query")
        said = first.get("msg", "is not valid").removeprefix("Input ")  # "Input should be…"
        return error(422, f"pipeline: error: setting '{where}' {said}, "
                          f"not {first.get('input')!r}")

    @app.exception_handler(HTTPException)
    async def refused(request: Request, exc: HTTPException):
        # the framework's own refusals (no such path, a method not allowed) in our shape
        return error(exc.status_code, str(exc.detail), **(exc.headers or {}))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        # the documented shape for what nothing else caught, with no server path in it
        return error(500, f"internal failure: {type(exc).__name__}")

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return HTMLResponse(docs_page(app.openapi()))

    @app.get("/health", summary="200 when the workers are ready")
    async def health():
        if not state.ready:
            return error(503, "workers are starting", **{"Retry-After": "1"})
        return {"status": "ready", "workers": state.config.workers, "served": state.served}

    @app.post("/build", summary="Render one article", openapi_extra={"requestBody": {
        "required": True, "content": {
            "text/markdown": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {
                "type": "object", "required": ["source"],
                "properties": {"source": {"type": "string", "format": "binary"}},
                "additionalProperties": {"type": "string", "format": "binary",
                                         "description": "an image, named as the article "
                                                        "names it"}}}}}},
              responses={200: {"content": {t: {} for t in (*MEDIA_TYPES.values(),
                                                           "application/zip")}},
                         413: {}, 422: {}, 503: {}, 504: {}})
    async def build(request: Request,
                    format: list[str] = Query(default=["pdf", "docx", "epub"],
                                              description="pdf, docx, epub or html; repeat"),
                    name: str = Query(default="article",
                                      description="the article's file name, without .md"),
                    settings: dict = Depends(settings_query())):
        """The Markdown source as the body (``text/markdown``), or
        ``multipart/form-data`` with the source in ``source`` and its images as
        further files named as the article names them. One format answers with
        that file; several with a ZIP of them."""
        unknown = sorted(set(request.query_params) - known_parameters)
        if unknown:
            near = did_you_mean(unknown[0], sorted(known_parameters), "parameters")
            return error(422, f"unknown query parameter {unknown[0]!r}" + (f" — {near}" if near
                                                                           else ""))
        try:  # the schema's words, as for every setting (DOCX is docx)
            formats = checked(OPTIONS["formats"], list(format) or None, name="format")
        except PipelineError as exc:
            return error(422, str(exc))
        too_large = f"the request is larger than {state.config.max_bytes} bytes"
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > state.config.max_bytes:
            return error(413, too_large, Connection="close")
        if state.slots.locked():
            return error(503, "the queue is full", **{"Retry-After": "2"})
        try:  # the body must arrive within the time limit too, however slowly it is sent
            text, images = await asyncio.wait_for(_read_body(request, state.config.max_bytes),
                                                  state.config.timeout)
        except _TooLarge:
            return error(413, too_large, Connection="close")
        except asyncio.TimeoutError:
            return error(408, f"the request's body took longer than {state.config.timeout:g} s "
                              "to arrive", Connection="close")
        except (ValueError, MultiPartException) as exc:
            return error(400 if isinstance(exc, MultiPartException) else 422,
                         str(PipelineError(str(exc))))
        async with state.slots:
            loop = asyncio.get_running_loop()
            warnings: list[str] = []
            pool = await state.idle.get()  # waiting for a worker is not the render's time
            try:
                future = loop.run_in_executor(pool, _render_job, text, formats, images,
                                              settings, name)
                files, warnings = await asyncio.wait_for(future, state.config.timeout)
            except asyncio.TimeoutError:  # this worker alone is replaced
                pool = await loop.run_in_executor(None, _replace_pool, state, pool)
                return error(504, f"rendering took longer than {state.config.timeout:g} s")
            except PipelineError as exc:
                return error(422, str(exc))
            except BrokenProcessPool:  # this worker died, now or while idle
                pool = await loop.run_in_executor(None, _replace_pool, state, pool)
                return error(503, "a worker died; it has been replaced, try again",
                             **{"Retry-After": "1"})
            finally:
                state.idle.put_nowait(pool)
        state.served += 1
        # what the command would print: a header (ASCII JSON) and, in a ZIP, warnings.txt
        said = {"X-Pipeline-Warnings": _header(warnings)} if warnings else {}
        if len(files) == 1:
            [(fmt, data)] = files.items()
            return Response(data, media_type=MEDIA_TYPES[fmt], headers={
                "Content-Disposition": f'attachment; filename="{name}.{fmt}"', **said})
        if warnings:
            files = {**files, "warnings.txt": ("\n".join(warnings) + "\n").encode()}
        return Response(_zip(files, name), media_type="application/zip", headers={
            "Content-Disposition": f'attachment; filename="{name}.zip"', **said})

    return app


class _TooLarge(Exception):
    pass


async def _read_body(request, limit: int) -> tuple[str, dict[str, bytes]]:
    """The source and its images, refusing past ``limit`` bytes as they
    arrive: a form is parsed from a stream that stops there, so a chunked
    upload (no Content-Length) or many large fields never go past it."""
    async def stream():
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _TooLarge
            yield chunk

    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        parser = MultiPartParser(request.headers, stream(), max_files=200, max_fields=50,
                                 max_part_size=limit)
        parser.spool_max_size = limit  # the uploads stay in memory: never past the limit
        form = await parser.parse()
        text, images = None, {}
        try:
            for key, value in form.multi_items():
                data = (await value.read()) if hasattr(value, "read") else value.encode()
                if key == "source":
                    if text is not None:
                        raise ValueError("the form has two 'source' parts")
                    text = _source_text(data)
                    continue
                if not hasattr(value, "read"):  # a text field's bytes are not the picture's
                    raise ValueError(f"the form part {key!r} is not a file: send each "
                                     f"image as a file")
                image_name = value.filename or key
                if image_name in images:
                    raise ValueError(f"the form has two images named {image_name!r}")
                images[image_name] = data
        finally:
            await form.close()
        if text is None:
            raise ValueError("the form has no 'source' part")
        return text, images
    body = bytearray()
    async for chunk in stream():
        body += chunk
    return _source_text(body), {}


def _header(warnings: list[str], limit: int = 8192) -> str:
    """The warnings as a header's ASCII JSON list, cut to ``limit`` bytes (a
    proxy refuses longer headers): the last entry then counts what is left out."""
    whole = json.dumps(warnings)
    if len(whole) <= limit:
        return whole
    # the longest run from the first whose list, with the count after it, fits
    size, kept = 2, 0  # "[" and "]"
    for entry in warnings:
        tail = json.dumps(f"… and {len(warnings) - kept - 1} more")
        if size + len(json.dumps(entry)) + 2 + len(tail) > limit:
            break
        size += len(json.dumps(entry)) + 2  # the entry and its ", "
        kept += 1
    return json.dumps([*warnings[:kept], f"… and {len(warnings) - kept} more"])


def _source_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the source is not UTF-8 (byte {exc.start})") from None


def _zip(files: dict[str, bytes], name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for fmt, data in files.items():
            file_name = fmt if "." in fmt else f"{name}.{fmt}"  # warnings.txt as it is
            info = zipfile.ZipInfo(file_name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    return out.getvalue()


def _start_workers(state: _State) -> None:
    config = state.config
    if config.scheduler:
        from dask.distributed import Client
        state.client = Client(config.scheduler, timeout=10)
        state.pools = [state.client.get_executor()] * config.workers
    else:
        state.pools = [_warm_pool(state) for _ in range(config.workers)]
        state.pids = [pid for pool in state.pools for pid in _pids(pool)]
    state.ready = True


def _warm_pool(state: _State) -> Executor:
    """A pool of one worker, warmed (WeasyPrint imported, fonts set up) before
    its first request."""
    from .building.workers import service_pool
    pool = service_pool(1, state.config.max_requests)
    pool.submit(_worker_pid).result()
    return pool


def _pids(pool: Executor) -> set[int]:
    return {p.pid for p in pool_processes(pool)}


def _kill(pool: Executor) -> None:
    for pid in _pids(pool):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pool.shutdown(wait=False, cancel_futures=True)


def _stop_workers(state: _State) -> None:
    state.ready = False
    if state.client is not None:
        state.client.close()
        return
    for pool in state.pools:
        _kill(pool)


def _replace_pool(state: _State, pool: Executor) -> Executor:
    """A fresh worker for one stuck past the time limit or dead; the others
    go on rendering. Only the request that held it replaces it, so
    replacements never race."""
    if state.client is not None:
        return pool
    gone = _pids(pool)
    _kill(pool)
    fresh = _warm_pool(state)
    state.pools = [fresh if p is pool else p for p in state.pools]
    state.pids = [pid for pid in state.pids if pid not in gone] + sorted(_pids(fresh))
    return fresh


def serve(host: str, port: int, config: ServiceConfig) -> None:
    import uvicorn
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning",
                limit_concurrency=config.max_connections)
