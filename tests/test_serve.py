"""``pipeline serve`` and ``render()``: the service on loopback (an ephemeral
port), bounded in requests and time."""

from __future__ import annotations

import contextlib
import json
import io
import os
import signal
import socket
import threading
import time
import zipfile

import pytest

from pipeline import PipelineError, render
from pipeline.building.builder import BuildSettings, build

from conftest import BUNDLED
from serving import wait_until_ready

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from pipeline.service import ServiceConfig, create_app  # noqa: E402

SOURCE = BUNDLED.read_text(encoding="utf-8")
EPOCH = "1700000000"


def _slow_source(times: int = 25) -> str:
    front, body = SOURCE.split("\n---\n", 1)
    return front + "\n---\n" + "\n".join([body] * times)


@contextlib.contextmanager
def service(**config):
    """A running service and its application, stopped on exit."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # the workers inherit it
    app = create_app(ServiceConfig(**{"workers": 1, "queue": 2, **config}))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_until_ready(url, 90)
    try:
        yield url, app
    finally:
        server.should_exit = True
        thread.join(30)
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _post(url, text=SOURCE, timeout=120, **params):
    return httpx.post(url + "/build", params=params, content=text.encode(),
                      headers={"Content-Type": "text/markdown"}, timeout=timeout)


def _slow_in_background(url: str) -> tuple[threading.Thread, dict]:
    """A long PDF render posted from a thread; its answer lands in the dict's "r"."""
    answer: dict = {}
    thread = threading.Thread(target=lambda: answer.update(r=_post(url, _slow_source(),
                                                                    format="pdf")))
    thread.start()
    return thread, answer


def test_render_gives_the_commands_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    files = render(SOURCE, name=BUNDLED.stem)
    [r] = build([BUNDLED], tmp_path, BuildSettings(force=True))
    for fmt in ("pdf", "docx", "epub"):
        assert files[fmt] == r.outputs[fmt].read_bytes(), fmt
    with pytest.raises(PipelineError, match=r"article\.md:2:\d+: error: front matter"):
        render("---\ntitle: [\n---\n", formats=("pdf",))
    with pytest.raises(PipelineError, match="unknown setting 'papr'"):
        render(SOURCE, papr="a5")


def test_one_process_renders_each_article_with_its_own_page_settings():
    # A warm worker keeps the parsed page stylesheet: a setting of one call
    # must not reach the next.
    import pypdf
    widths = []
    for paper in ("a5", "a4", "a5"):
        pdf = pypdf.PdfReader(io.BytesIO(render(SOURCE, formats=("pdf",), paper=paper)["pdf"]))
        widths.append(round(float(pdf.pages[0].mediabox.width)))
    assert widths == [420, 595, 420]
    arabic_indic = set("٠١٢٣٤٥٦٧٨٩")
    for digits, expected in (("arabic-indic", True), ("western", False), ("arabic-indic", True)):
        pdf = pypdf.PdfReader(io.BytesIO(render(SOURCE, formats=("pdf",), digits=digits)["pdf"]))
        text = "".join(page.extract_text() for page in pdf.pages)
        assert bool(arabic_indic & set(text)) is expected, digits


@pytest.mark.parametrize(("setting", "value"), [
    ("paper", "b5"), ("digits", "latin"), ("justify", "stretch"), ("columns", 3),
    ("columns", "two"), ("formats", ("pdf", "odt")), ("bleed_mm", "3 furlongs"), ("marks", "yes"),
    ("fonts_dir", 7), ("template_dirs", [None])])
def test_a_wrong_setting_is_refused_by_name(setting, value):
    # Each of these used to end in a KeyError or TypeError inside a writer.
    with pytest.raises(PipelineError, match=f"setting '{setting}' must be"):
        render(SOURCE, **{"formats": ("docx",), setting: value})
    with pytest.raises(PipelineError, match=f"setting '{setting}' must be"):
        BuildSettings(**{setting: value})


def test_render_refuses_text_that_is_not_text():
    with pytest.raises(PipelineError, match=r"U\+D800 at character"):
        render(SOURCE + "\ud800", formats=("docx",))
    with pytest.raises(PipelineError, match="setting 'metadata' must be"):
        render(SOURCE, formats=("docx",), metadata="title=x")
    with pytest.raises(TypeError, match="must be bytes"):
        render(SOURCE, formats=("docx",), images={"photo.png": "not bytes"})
    with pytest.raises(TypeError, match="must be str"):
        render(SOURCE.encode(), formats=("docx",))
    assert render(SOURCE, formats="docx", metadata={"title": "عنوان آخر"})["docx"][:2] == b"PK"


def test_success_errors_and_limits():
    with service(max_bytes=200_000) as (url, app):
        assert httpx.get(url + "/health").json()["status"] == "ready"
        pdf = _post(url, format="pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content == render(SOURCE, formats=("pdf",))["pdf"]  # same bytes as render()
        several = _post(url, format=["pdf", "epub"], paper="a5")
        assert several.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(several.content)) as z:
            assert sorted(z.namelist()) == ["article.epub", "article.pdf"]
        bad = _post(url, "---\ntitle: [\n---\n", format="pdf")
        assert bad.status_code == 422 and re.match(r"article\.md:2:\d+: error:",
                                                   bad.json()["error"])
        assert _post(url, "x" * 300_000, format="pdf").status_code == 413
        assert _post(url, format="odt").status_code == 422
        wrong = _post(url, format="pdf", digits="latin")  # was a KeyError in a worker: 500
        assert wrong.status_code == 422 and "setting 'digits' must be" in wrong.json()["error"]
        unparsed = _post(url, format="pdf", columns="two")  # the schema's words, as anywhere
        assert unparsed.status_code == 422 and list(unparsed.json()) == ["error"]
        assert unparsed.json()["error"].startswith(
            "pipeline: error: setting 'columns' must be 1 or 2, not 'two'")
        assert _post(url, format="docx", marks="yes").status_code == 422
        assert _post(url, format="docx", bleed_mm="3mm", columns="2", marks="true",
                     paper="A5").status_code == 200
        form = httpx.post(url + "/build", params={"format": "docx"},
                          files={"source": ("a.md", SOURCE.encode(), "text/markdown")})
        assert form.status_code == 200 and form.content[:2] == b"PK"
        assert httpx.get(url + "/openapi.json").json()["paths"]["/build"]["post"]


def test_a_full_queue_gets_503_and_a_slow_request_504():
    with service(workers=1, queue=0, timeout=3.0) as (url, app):
        thread, slow = _slow_in_background(url)
        time.sleep(0.5)
        busy = _post(url, format="pdf")
        assert busy.status_code == 503 and busy.headers["retry-after"]
        thread.join(120)
        assert slow["r"].status_code == 504
        assert _post(url, format="docx").status_code == 200  # a fresh worker serves on


def test_a_killed_worker_fails_its_request_only():
    with service(workers=1, timeout=60) as (url, app):
        thread, result = _slow_in_background(url)
        time.sleep(1.0)
        for pid in app.state.pipeline.pids:
            os.kill(pid, signal.SIGKILL)
        thread.join(120)
        assert result["r"].status_code in (500, 503)
        assert _post(url, format="pdf").status_code == 200


def test_a_client_that_disconnects_mid_upload():
    with service() as (url, app):
        host, port = url.rsplit("/", 1)[-1].split(":")
        with socket.create_connection((host, int(port))) as raw:
            raw.sendall(b"POST /build?format=pdf HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Type: text/markdown\r\nContent-Length: 100000\r\n\r\n---\n")
        time.sleep(0.5)
        assert httpx.get(url + "/health").status_code == 200
        assert _post(url, format="pdf").status_code == 200


import re  # noqa: E402  (used above, after the helpers)


def test_the_service_renders_on_a_dask_cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster:
        with service(scheduler=cluster.scheduler_address) as (url, app):
            answer = _post(url, format="epub")
            assert answer.status_code == 200 and answer.content[:2] == b"PK"


def test_the_query_takes_every_build_setting_of_the_schema():
    """A setting added to the schema is a query parameter, typed and described,
    without touching the service."""
    from pipeline.schema import SCHEMA
    from pipeline.apidocs import QUERY_KINDS
    parameters = {p["name"]: p for p in
                  create_app(ServiceConfig()).openapi()["paths"]["/build"]["post"]["parameters"]}
    expected = {o.field for o in SCHEMA if o.field and o.kind in QUERY_KINDS} - {"reference_page"}
    assert expected <= set(parameters) and {"paper", "bleed_mm", "columns"} <= expected
    assert set(parameters) - expected == {"format", "name"}
    assert "a4, a5, letter" in parameters["paper"]["description"]
    assert "one of 1, 2" in parameters["columns"]["description"]
    assert {"type": "string"} in parameters["columns"]["schema"]["anyOf"]


def _raw(url: str, head: bytes, pieces, pause: float = 0.0) -> tuple[int, int]:
    """Send ``head`` then ``pieces`` on a raw connection until the server
    answers or closes it; (bytes of the pieces sent, the status, 0 if none)."""
    host, port = url.rsplit("/", 1)[-1].split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(head)
        try:
            for piece in pieces:
                conn.sendall(piece)
                sent += len(piece)
                if pause:
                    time.sleep(pause)
        except OSError:
            pass  # the server answered and closed: the rest is not read
        try:
            answer = conn.recv(200)
        except OSError:
            answer = b""
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return sent, status


def test_a_chunked_upload_stops_at_the_limit():
    """No Content-Length: the body was read whole (2,000 MB spooled) before
    the 413. It is now refused as the limit passes, for a form of many
    fields as for a plain body."""
    limit = 1024 * 1024
    chunk = b"x" * (256 * 1024)
    with service(max_bytes=limit) as (url, app):
        for content_type in (b"text/markdown", b"multipart/form-data; boundary=B"):
            head = (b"POST /build?format=docx HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                    content_type + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
            prefix = b"--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" \
                if content_type != b"text/markdown" else b""
            pieces = [b"%x\r\n%s\r\n" % (len(prefix + chunk), prefix + chunk)] + \
                [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 800  # 200 MB offered
            sent, status = _raw(url, head, pieces)
            assert status == 413 and sent < 40 * limit, (content_type, sent, status)


def test_a_body_that_trickles_in_gets_408_within_the_time_limit():
    with service(timeout=2.0) as (url, app):
        head = (b"POST /build?format=docx HTTP/1.1\r\nHost: x\r\nContent-Type: text/markdown"
                b"\r\nContent-Length: 1000\r\n\r\n")
        started = time.monotonic()
        _, status = _raw(url, head, [b"-"] * 40, pause=0.25)
        assert status == 408 and time.monotonic() - started < 8


def test_a_worker_killed_while_idle_costs_one_503_and_a_fresh_pool():
    with service(workers=1) as (url, app):
        for pid in app.state.pipeline.pids:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        first = _post(url, format="docx")
        assert first.status_code == 503 and first.json()["error"].startswith("a worker died")
        assert _post(url, format="docx").status_code == 200
        assert httpx.get(url + "/health").status_code == 200


def test_waiting_for_a_worker_is_not_counted_against_the_time_limit():
    """Four renders of about a second on one worker with a four-second limit:
    the last waited three seconds in the queue and got 504."""
    with service(workers=1, queue=5, timeout=4.0) as (url, app):
        results = []
        threads = [threading.Thread(target=lambda: results.append(_post(url, format="pdf")))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert sorted(r.status_code for r in results) == [200] * 4


def test_every_refusal_is_json_and_says_no_server_path(monkeypatch):
    import pipeline.service as service_module
    with service() as (url, app):
        misspelt = _post(url, format="docx", papr="a5")
        assert misspelt.status_code == 422 and "unknown query parameter 'papr'" in \
            misspelt.json()["error"] and "paper" in misspelt.json()["error"]
        form = httpx.post(url + "/build", content=b"--B\r\nbroken",
                          headers={"Content-Type": "multipart/form-data; boundary=B"})
        assert form.status_code in (400, 422) and "error" in form.json()
        image = httpx.post(url + "/build", params={"format": "docx"},
                           files={"source": ("a.md", "---\ntitle: t\n---\n\n![صورة](p.png)\n"),
                                  "p.png": ("p.png", b"not a picture")})
        said = image.json()["error"]
        assert image.status_code == 422 and "BytesIO" not in said and "/tmp" not in said, said
        large = _post(url, text="---\ntitle: t\n---\n\n" + "نص " * 1_100_000, format="docx")
        assert large.status_code in (413, 422) and "/tmp" not in large.json()["error"]
        nowhere = httpx.get(url + "/nowhere")
        assert nowhere.status_code == 404 and nowhere.json() == {"error": "Not Found"}
        monkeypatch.setattr(service_module, "_source_text", lambda data: 1 / 0)
        failed = _post(url, format="docx")
        assert failed.status_code == 500 and failed.json() == {
            "error": "internal failure: ZeroDivisionError"}


def test_the_builds_warnings_come_back_with_its_files():
    with service() as (url, app):
        one = _post(url, text="---\ntitle: t\n---\n\nنص[^x].\n", format="docx")
        assert one.status_code == 200
        assert json.loads(one.headers["x-pipeline-warnings"]) == [
            "article.md:5: warning: footnote [^x] has no note: printed as written — write its "
            "text on a line of its own: [^x]: …"]
        both = _post(url, text="---\ntitle: t\n---\n\nنص[^x].\n", format=["docx", "html"])
        with zipfile.ZipFile(io.BytesIO(both.content)) as z:
            assert "footnote [^x] has no note" in z.read("warnings.txt").decode()


def _descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                found += [int(entry), *_descendants(int(entry))]
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc")
def test_nothing_outlives_a_service_killed_with_sigkill():
    """The fork server, its workers and the resource tracker lived on for
    good after the service was killed; they now end within seconds."""
    import subprocess
    import sys
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--port", str(port),
                               "-j", "2"], stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(url, 90)
        assert _post(url, format="docx").status_code == 200
        left = _descendants(server.pid)
        assert len(left) >= 3  # the fork server, its workers, the resource tracker
    finally:
        server.kill()
        server.wait(30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in left):
        time.sleep(0.25)
    alive = [p for p in left if os.path.exists(f"/proc/{p}")]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


def test_the_api_page_loads_nothing_from_the_network_and_the_body_is_described():
    with service() as (url, app):
        page = httpx.get(url + "/docs")
        assert page.status_code == 200 and "POST /build" in page.text
        assert "http" not in page.text.replace(url, "")  # no script, style or font from elsewhere
        assert httpx.get(url + "/redoc").status_code == 404
        body = httpx.get(url + "/openapi.json").json()["paths"]["/build"]["post"]["requestBody"]
        assert set(body["content"]) == {"text/markdown", "multipart/form-data"}


def test_a_render_past_the_time_limit_replaces_its_worker_alone():
    """One request past --timeout killed the whole pool: the other clients'
    renders failed with 503 and 500. Only its worker is replaced now."""
    with service(workers=2, queue=4, timeout=3.0) as (url, app):
        thread, slow = _slow_in_background(url)
        time.sleep(0.3)
        quick = []
        while thread.is_alive() and len(quick) < 30:
            quick.append(_post(url, format="docx").status_code)
        thread.join(120)
        quick += [_post(url, format="docx").status_code for _ in range(3)]
        assert slow["r"].status_code == 504
        assert set(quick) == {200}, quick


def test_render_from_threads_sets_one_pdf_at_a_time():
    """Pango and GLib are not made for two PDFs at once in one process
    ("Pango-CRITICAL", "corrupted double-linked list" from threads):
    render() sets PDFs one at a time, and every one comes out whole."""
    import subprocess
    import sys
    script = (
        "import threading, pipeline.api as api\n"
        f"src = open({str(BUNDLED)!r}, encoding='utf-8').read()\n"
        "sizes = []\n"
        "def work():\n"
        "    for _ in range(4):\n"
        "        sizes.append(len(api.render(src, 'pdf')['pdf']))\n"
        "threads = [threading.Thread(target=work) for _ in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(len(sizes), len(set(sizes)))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["16", "1"]  # sixteen PDFs, all the same bytes
    assert not any(word in run.stderr for word in ("CRITICAL", "corrupted", "GLib")), \
        run.stderr[-2000:]


def test_the_warnings_header_stays_under_eight_kilobytes():
    from pipeline.service import _header
    many = [f"article.md:{n}: warning: " + "نص " * 40 for n in range(300)]
    header = _header(many)
    assert len(header) <= 8192 and header.isascii()
    kept = json.loads(header)
    assert kept[-1] == f"… and {300 - len(kept) + 1} more" and kept[:-1] == many[:len(kept) - 1]
    # dropping one makes the rest fit, but not with the count: one more goes, the count stays
    assert json.loads(_header(["a" * 400, "b" * 480, "c" * 300], limit=900)) == [
        "a" * 400, "… and 2 more"]


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the server's memory from /proc")
def test_four_uploads_of_many_large_fields_stay_in_a_gigabyte_of_address_space():
    """49 fields of 9.9 MB took 530 MB in the server for one request and
    2.18 GB for four. Under a 1 GB address-space cap (ulimit -v), four such
    uploads at once each get 413 and the server lives, its peak under 150 MB."""
    import resource
    import subprocess
    import sys
    cap = 1024 * 1024 * 1024
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", str(port), "-j", "1",
         "--max-bytes", "10000000"], stderr=subprocess.DEVNULL,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))
    url = f"http://127.0.0.1:{port}"

    def fields():
        yield b'--B\r\nContent-Disposition: form-data; name="source"\r\n\r\n---\ntitle: t\n---\n\r\n'
        for k in range(49):
            yield b'--B\r\nContent-Disposition: form-data; name="f%d"; filename="f%d.png"' \
                  b'\r\n\r\n' % (k, k)
            for _ in range(10):
                yield b"x" * 990_000
            yield b"\r\n"
        yield b"--B--\r\n"

    answers = []

    def upload():
        try:
            answers.append(httpx.post(url + "/build?format=docx", content=fields(), timeout=120,
                                      headers={"Content-Type": "multipart/form-data; boundary=B"}
                                      ).status_code)
        except httpx.HTTPError as exc:
            answers.append(type(exc).__name__)

    try:
        wait_until_ready(url, 90)
        threads = [threading.Thread(target=upload) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        with open(f"/proc/{server.pid}/status") as status:
            peak_kb = int(next(line for line in status if line.startswith("VmHWM")).split()[1])
        assert server.poll() is None and answers == [413] * 4, answers
        assert peak_kb < 150 * 1024, peak_kb
    finally:
        server.kill()
        server.wait(30)
