"""SIP2: eight self-check machines at once doing checkout + checkin cycles over loopback.

A fresh SQLite file in ``bench/out/`` holds the central library of
``bench_circulation.py`` (institutional readers, one per kiosk, and their copies) and
a kiosk account. The real server (``wenjin sip2 serve``, its own process) listens on
a free loopback port; ``--kiosks`` threads each log in and then, for ``--seconds``,
check one of their copies out (11) and back in (09), each a SIP2 transaction with
the reader's PIN checked once per session, and time every answer.

Targets: ≥ 300 transactions/s and p95 ≤ 15 ms. Medians over ``--runs``.

    .venv/bin/python bench/bench_sip2.py [--kiosks 8] [--seconds 5] [--runs 3] [--json]

Exit status 0 when both targets are met, 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console

from bench_circulation import POINT, _fresh_sqlite, build_library, percentile
from wenjin.db.engine import make_engine
from wenjin.db.migrate import upgrade
from wenjin.db.uow import UnitOfWork
from wenjin.protocols.sip2.kiosks import add_kiosk_account

BENCH_DIR = Path(__file__).resolve().parent
WENJIN = Path(sys.executable).parent / "wenjin"
TARGET_TPS = 300.0
TARGET_P95_MS = 15.0
COPIES_PER_KIOSK = 4
LOGIN, PASSWORD = "bench-kiosk", "bench-kiosk-pw"
DATE = "20260303    100000"

console = Console(soft_wrap=True)


@dataclass
class RunResult:
    transactions: int
    seconds: float
    tps: float
    median_ms: float
    p95_ms: float
    refused: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(path: Path, kiosks: int) -> tuple[str, list[str], list[list[str]]]:
    url = _fresh_sqlite(path)
    engine = make_engine(url)
    upgrade(engine)
    cards = [f"ZC0009{n:04d}" for n in range(1, kiosks + 1)]
    with UnitOfWork(engine) as uow:
        barcodes = build_library(uow.session, copies=kiosks * COPIES_PER_KIOSK, cards=cards)
        add_kiosk_account(uow.session, login=LOGIN, password=PASSWORD, point_code=POINT)
        uow.commit()
    engine.dispose()
    pools = [barcodes[n::kiosks] for n in range(kiosks)]
    return url, cards, pools


class _Kiosk:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def ask(self, text: str) -> str:
        self.sock.sendall(text.encode() + b"\r")
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server hung up")
            self.buffer += chunk
        frame, _, self.buffer = self.buffer.partition(b"\r")
        return frame.decode()


def _kiosk_loop(
    port: int,
    card: str,
    pool: list[str],
    clock: dict[str, float],
    start: threading.Barrier,
    latencies: list[float],
    refusals: list[int],
) -> None:
    """Log in, wait for the others, then cycle until ``clock["until"]``."""
    kiosk = _Kiosk(port)
    if kiosk.ask(f"9300CN{LOGIN}|CO{PASSWORD}|") != "941":
        raise RuntimeError("the bench kiosk could not log in")
    start.wait()  # every kiosk has logged in
    start.wait()  # the clock is set: go
    until = clock["until"]
    refused = 0
    n = 0
    while time.perf_counter() < until:
        barcode = pool[n % len(pool)]
        n += 1
        for request in (
            f"11NN{DATE}{' ' * 18}AOZC|AA{card}|AB{barcode}|AC|",
            f"09N{DATE}{DATE}APZC|AOZC|AB{barcode}|AC|",
        ):
            started = time.perf_counter()
            answer = kiosk.ask(request)
            latencies.append(time.perf_counter() - started)
            if answer[2] != "1":
                refused += 1
    kiosk.sock.close()
    refusals.append(refused)


def one_run(path: Path, kiosks: int, seconds: float) -> RunResult:
    url, cards, pools = _prepare(path, kiosks)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WENJIN_")}
    env["WENJIN_DATABASE_URL"] = url
    env["WENJIN_DATA_DIR"] = str(path.parent)
    server = subprocess.Popen(
        [str(WENJIN), "sip2", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("wenjin sip2 serve did not start") from None
                time.sleep(0.2)
        refusals: list[int] = []
        per_kiosk: list[list[float]] = [[] for _ in range(kiosks)]
        start = threading.Barrier(kiosks + 1)
        clock = {"until": 0.0}
        threads = [
            threading.Thread(
                target=_kiosk_loop,
                args=(port, cards[n], pools[n], clock, start, per_kiosk[n], refusals),
            )
            for n in range(kiosks)
        ]
        for thread in threads:
            thread.start()
        start.wait()  # every kiosk has logged in
        clock["until"] = time.perf_counter() + seconds
        began = time.perf_counter()
        start.wait()  # go
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        latencies = [value for values in per_kiosk for value in values]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    return RunResult(
        transactions=len(latencies),
        seconds=elapsed,
        tps=len(latencies) / elapsed,
        median_ms=statistics.median(latencies) * 1000,
        p95_ms=percentile(latencies, 0.95) * 1000,
        refused=sum(refusals),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    path = BENCH_DIR / "out" / f"sip2-{os.getpid()}.sqlite3"
    runs = []
    try:
        for number in range(1, args.runs + 1):
            result = one_run(path, args.kiosks, args.seconds)
            runs.append(result)
            if not args.json:
                console.print(
                    f"run {number}: {result.transactions} transactions in {result.seconds:.1f} s "
                    f"= {result.tps:.0f}/s, median {result.median_ms:.2f} ms, "
                    f"p95 {result.p95_ms:.2f} ms, refused {result.refused}"
                )
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    tps = statistics.median(r.tps for r in runs)
    p95 = statistics.median(r.p95_ms for r in runs)
    refused = sum(r.refused for r in runs)
    passed = tps >= TARGET_TPS and p95 <= TARGET_P95_MS and refused == 0
    if args.json:
        print(
            json.dumps(
                {
                    "kiosks": args.kiosks,
                    "tps": tps,
                    "p95_ms": p95,
                    "refused": refused,
                    "runs": [asdict(r) for r in runs],
                    "passed": passed,
                }
            )
        )
    else:
        console.print(
            f"SIP2, {args.kiosks} kiosks over loopback, SQLite: {tps:.0f} transactions/s "
            f"(target ≥ {TARGET_TPS:.0f}), p95 {p95:.2f} ms (target ≤ {TARGET_P95_MS:.0f} ms), "
            f"refused {refused}: {'PASS' if passed else 'FAIL'}"
        )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
