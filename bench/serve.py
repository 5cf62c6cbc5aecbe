#!/usr/bin/env python3
"""The service's latency, throughput and memory, against the cold command and
pandoc + WeasyPrint's PDF, in one run.

    python bench/serve.py            # 40 requests from 4 clients, then 200 for memory

Starts ``pipeline serve -j <cores>`` on a free loopback port, sends the bundled
article for all three formats (a ZIP back) from 4 concurrent clients, checks
that every answer holds the command's bytes, and prints the Markdown table the
README shows.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
from run import ARTICLE, PIPELINE, pandoc_pdf_seconds, timed  # noqa: E402
from serving import wait_until_ready  # noqa: E402

EPOCH = "1700000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--memory-requests", type=int, default=200)
    args = parser.parse_args()
    import httpx

    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    cores = os.cpu_count() or 1
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*PIPELINE, "serve", "--port", str(port), "-j", str(cores),
                               "--queue", "64"], cwd=ROOT, env=env,
                              stderr=subprocess.DEVNULL)
    rows = []
    try:
        wait_until_ready(url, 120)
        source = ARTICLE.read_bytes()
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([*PIPELINE, "build", str(ARTICLE), "-o", tmp, "-q", "--force"],
                           cwd=ROOT, env=env, check=True)
            expected = {f: (Path(tmp) / f"{ARTICLE.stem}.{f}").read_bytes()
                        for f in ("pdf", "docx", "epub")}
            work = Path(tmp)
            reference = pandoc_pdf_seconds(work, 3)
            cold = timed([*PIPELINE, "build", str(ARTICLE), "-o", str(work / "cold"), "--force",
                          "-q"], 3, env=env)

        def one(_):
            start = time.perf_counter()
            answer = httpx.post(url + "/build", params={"name": ARTICLE.stem}, content=source,
                                headers={"Content-Type": "text/markdown"}, timeout=300)
            seconds = time.perf_counter() - start
            with zipfile.ZipFile(io.BytesIO(answer.content)) as z:
                same = all(z.read(f"{ARTICLE.stem}.{f}") == expected[f] for f in expected)
            return answer.status_code, seconds, same

        one(0)  # every worker warm, caches filled
        alone = sorted(one(n)[1] for n in range(10))  # one client: the service's own latency
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as clients:
            results = list(clients.map(one, range(args.requests)))
        wall = time.perf_counter() - started
        ok = [r for r in results if r[0] == 200]
        latencies = sorted(r[1] for r in ok)
        p50 = statistics.median(latencies)
        p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
        memory = []
        for n in range(1, args.memory_requests + 1):
            one(n)
            if n in (20, args.memory_requests):
                # the workers: children of the fork server (replaced as they retire)
                workers = [c for p in children(server.pid) for c in children(p)]
                memory.append(statistics.mean(rss_kb(pid) for pid in workers) / 1024)
    finally:
        server.terminate()
        server.wait(30)

    def ratio(seconds: float, to: float | None) -> str:
        return f"{seconds / to:.2f}×" if to else "–"

    rows.append(("answered (200)", f"{len(ok)} of {args.requests}", "", ""))
    rows.append(("outputs byte-identical to the command's", f"{sum(r[2] for r in ok)} of "
                 f"{len(ok)}", "", ""))
    rows.append(("pandoc + WeasyPrint, PDF alone (cold)", f"{reference:.3f} s" if reference
                 else "–", "", ""))
    rows.append(("cold command, all three formats", f"{cold:.3f} s", "1.00×", ""))
    single = statistics.median(alone)
    rows.append(("service p50, all three (one client)", f"{single:.3f} s", ratio(single, cold),
                 "met" if single <= 0.5 * cold else "MISSED (≤ 0.5×)"))
    # Little's law: with every client always waiting on an answer, a request
    # waits for clients ÷ workers renders in all; no queue beats it.
    floor = single * args.clients / cores
    rows.append((f"service p50, all three ({args.clients} clients on {cores} workers)",
                 f"{p50:.3f} s", ratio(p50, cold),
                 "met" if p50 <= 0.5 * cold else "MISSED (≤ 0.5×)"))
    rows.append((f"  its floor: one client's time × {args.clients} clients ÷ {cores} workers",
                 f"{floor:.3f} s", ratio(floor, cold), ""))
    rows.append((f"service p95, all three ({args.clients} clients on {cores} workers)", f"{p95:.3f} s",
                 ratio(p95, cold), ""))
    rows.append(("throughput", f"{len(ok) / wall:.2f} articles/s "
                 f"({len(ok) / wall / cores:.2f} per core)", "", ""))
    growth = (memory[1] - memory[0]) / memory[0] if memory and memory[0] else 0
    rows.append((f"memory of a worker, request 20 → {args.memory_requests}",
                 f"{memory[0]:.0f} → {memory[1]:.0f} MB ({growth:+.1%})", "",
                 "met" if growth < 0.10 else "MISSED (< 10%)"))
    print(f"Machine: {os.uname().machine}, {cores} cores, {cores} workers; "
          f"{args.requests} requests from {args.clients} clients.")
    print()
    print("| measurement | value | vs cold command | target |")
    print("|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0 if all("MISSED" not in r[3] for r in rows) and len(ok) == args.requests else 1


if __name__ == "__main__":
    raise SystemExit(main())
