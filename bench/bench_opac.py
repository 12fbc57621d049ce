"""OPAC results page served end to end over HTTP, with 20 readers searching at once.

The catalogue: the first N records of the demo catalogue in a SQLite file holding the
demo network, the same file ``bench_search.py`` builds and caches in ``bench/out/``
(``--records``, default 100,000). Its search index is rebuilt with ``wenjin search
reindex``, then ``wenjin serve`` runs in processes of its own (uvicorn; ``--workers``, default one per core,
as a deployment runs it: the workers share the database and the search index). ``--clients`` threads (20), each with its own HTTP connection, request
``/search?q=…`` pages for ``--seconds`` (10) per run, going round the 200 fixed queries
of ``bench_search.py`` (Chinese words and titles, traditional characters, pinyin,
initials, English, ISBN with and without hyphens, CLC; 40 with a facet or a scope as
URL parameters), each client starting at a different place in the list. Every answer
must be a 200 HTML page with the results summary. Latency is from sending the request
to the last byte of the page.

Target: p95 ≤ 100 ms (median of ``--runs`` runs, 3), with the requests/s printed.

    .venv/bin/python bench/bench_opac.py --records 20000 --seconds 5   # quick run
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import Query, catalogue_database, fixed_queries
from wenjin.db.engine import make_engine

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
TARGET_P95_MS = 100.0

console = Console()
err = Console(stderr=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _params(query: Query) -> dict[str, str]:
    params = {"q": query.text}
    for name, value in query.options:
        if name == "available":
            params["available"] = "available" if value else "unavailable"
        else:
            params[name] = str(value)
    return params


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def one_run(base_url: str, queries: list[Query], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = 0.0

    def client(number: int) -> None:
        mine: list[float] = []
        bad: list[str] = []
        with httpx.Client(base_url=base_url, timeout=30) as http:
            http.get("/search", params={"q": "图书"})  # connect before the clock starts
            start.wait()
            position = number * len(queries) // clients
            while time.perf_counter() < stop_at:
                query = queries[position % len(queries)]
                position += 1
                began = time.perf_counter()
                response = http.get("/search", params=_params(query))
                elapsed = time.perf_counter() - began
                if response.status_code != 200 or 'id="results-summary"' not in response.text:
                    bad.append(f"{response.status_code} {query.text!r}")
                mine.append(elapsed)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    stop_at = time.perf_counter() + 3600  # set properly once everyone is connected
    start.wait()
    began = time.perf_counter()
    stop_at = began + seconds
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "requests_per_second": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "failures": failures,
    }


def _wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"wenjin serve exited with {server.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("wenjin serve did not answer within a minute")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="catalogue size (100,000)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--clients", type=int, default=20, help="readers at once (20)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a run (10)")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians reported (3)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="wenjin serve --workers (one per core, as a deployment runs it)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    path, import_rate = catalogue_database(args.records, args.seed)
    if import_rate:
        err.print(f"  catalogue imported at {import_rate:,.0f} records/s")
    url = f"sqlite:///{path}"
    data_dir = path.parent / f"{path.stem}-opac-data"
    env = {**os.environ, "WENJIN_DATABASE_URL": url, "WENJIN_DATA_DIR": str(data_dir)}
    wenjin = str(REPO / ".venv" / "bin" / "wenjin")
    err.print("  rebuilding the search index (wenjin search reindex) …")
    subprocess.run([wenjin, "search", "reindex"], env=env, check=True, stdout=subprocess.DEVNULL)
    engine = make_engine(url)
    queries = fixed_queries(engine, args.seed)
    engine.dispose()

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            wenjin,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(base_url, server)
        for query in queries:  # warm-up: every query once
            httpx.get(base_url + "/search", params=_params(query), timeout=30)
        runs = []
        for number in range(1, args.runs + 1):
            result = one_run(base_url, queries, args.clients, args.seconds)
            runs.append(result)
            err.print(
                f"  run {number}: {result['requests']:,} pages, "
                f"{result['requests_per_second']:,.0f}/s, p50 {result['p50_ms']:.1f} ms, "
                f"p95 {result['p95_ms']:.1f} ms, failures {len(result['failures'])}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    p50 = statistics.median(r["p50_ms"] for r in runs)
    p95 = statistics.median(r["p95_ms"] for r in runs)
    rate = statistics.median(r["requests_per_second"] for r in runs)
    failures = sum(len(r["failures"]) for r in runs)
    passed = p95 <= TARGET_P95_MS and failures == 0
    summary = {
        "benchmark": "opac",
        "records": args.records,
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "runs": args.runs,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "requests_per_second": round(rate, 1),
        "failures": failures,
        "target_p95_ms": TARGET_P95_MS,
        "passed": passed,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0 if passed else 1
    verdict = "[bold green]PASS[/]" if passed else "[bold red]FAIL[/]"
    console.print(
        f"OPAC results page over HTTP ({args.records:,} records, {args.workers} server "
        f"process{'es' if args.workers > 1 else ''}, {args.clients} clients, "
        f"median of {args.runs} runs × {args.seconds:g} s): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(target ≤ {TARGET_P95_MS:g} ms), {rate:,.0f} pages/s, failures {failures}: {verdict}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
