"""Search latency and index build rate over generated Chinese + English records.

The records: the first N records of the demo catalogue (the file
``bench_marc_import.py`` generates and caches in ``bench/out/``), imported with
``run_import`` into a SQLite file that holds the demo network, so every record has
its copies at the network's points. The import writes each record's search document
in its own transaction (timed: records/s with the analysis). Then:

1. index build: the tantivy index rebuilt from ``search_documents`` (records/s);
2. 200 fixed queries, chosen from the catalogue with a fixed seed: Chinese words,
   whole Chinese titles, the same in traditional characters, full pinyin, pinyin
   initials, English words and titles, ISBNs with and without hyphens, CLC classes,
   and 40 of them with a facet or a scope (an available copy at a town branch, a
   point and its children, a language, a CLC main class). Each is run through
   :func:`wenjin.search.queries.search` (parse, rank, facets, the page of hits read
   from the database), as the OPAC calls it, after one warm-up pass.

Target: p95 ≤ 30 ms on SQLite. The database and the index are kept in
``bench/out/`` (delete them to rebuild).

    .venv/bin/python bench/bench_search.py --records 100000      # quick run
    .venv/bin/python bench/bench_search.py                        # 1,000,000 records
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opencc
from pypinyin import Style, lazy_pinyin
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_marc_import import fresh_database, generator_fingerprint, sample_file
from wenjin.catalog.importing import run_import
from wenjin.db.engine import make_engine
from wenjin.db.uow import UnitOfWork
from wenjin.search import analysis
from wenjin.search.engine import SearchIndex
from wenjin.search.queries import search

BENCH_DIR = Path(__file__).resolve().parent
TARGET_P95_MS = 30.0
QUERIES = 200

console = Console()
err = Console(stderr=True)


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    options: tuple[tuple[str, Any], ...] = ()


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


def catalogue_database(records: int, seed: int) -> tuple[Path, float | None]:
    """The SQLite file with ``records`` imported; the import rate when it was made now."""
    out = BENCH_DIR / "out"
    path = out / f"search-{records}-seed{seed}-{generator_fingerprint()}.sqlite3"
    if path.exists():
        return path, None
    sample = sample_file(out, records, seed)
    building = out / "search-building"
    building.mkdir(parents=True, exist_ok=True)
    for stale in building.glob("bench.sqlite3*"):
        stale.unlink()
    url = fresh_database(building, seed)
    engine = make_engine(url)
    with _bar() as bar:
        task = bar.add_task("导入 importing (with search documents)", total=sample.records)
        started = time.perf_counter()
        summary = run_import(
            engine,
            sample.path,
            on_progress=lambda p: bar.update(task, completed=p.records),
        )
        elapsed = time.perf_counter() - started
    engine.dispose()
    if summary.imported != records:
        raise SystemExit(f"imported {summary.imported} of {records} records: {summary}")
    (building / "bench.sqlite3").replace(path)
    return path, records / elapsed


def build_index(engine: Engine, path: Path) -> tuple[SearchIndex, float, int]:
    index = SearchIndex(path)
    with UnitOfWork(engine, readonly=True) as uow:
        total = int(uow.session.execute(text("SELECT count(*) FROM search_documents")).scalar_one())
    with _bar() as bar, UnitOfWork(engine, readonly=True) as uow:
        task = bar.add_task("建立索引 indexing", total=total)
        started = time.perf_counter()
        done = index.rebuild(uow.session, progress=lambda n: bar.update(task, advance=n))
        elapsed = time.perf_counter() - started
    return index, done / elapsed, done


def fixed_queries(engine: Engine, seed: int) -> list[Query]:
    """200 queries drawn from the catalogue with a fixed seed."""
    rng = random.Random(seed)
    with UnitOfWork(engine, readonly=True) as uow:
        session = uow.session
        rows = session.execute(
            text("SELECT title, language, clc FROM bib_records ORDER BY id LIMIT 20000")
        ).all()
        isbns = [
            r[0]
            for r in session.execute(
                text("SELECT isbn FROM bib_isbns WHERE valid = 1 ORDER BY id LIMIT 5000")
            )
        ]
        branches = [
            r[0]
            for r in session.execute(
                text("SELECT code FROM service_points WHERE kind = 'branch' ORDER BY code")
            )
        ]
    chinese = [r[0] for r in rows if analysis.has_cjk(r[0])]
    english = [r[0] for r in rows if r[1] == "eng" and not analysis.has_cjk(r[0])]
    classes = sorted({analysis.clc_normal(r[2])[:4] for r in rows if r[2]})
    to_traditional = opencc.OpenCC("s2t")

    def chinese_word() -> str:
        words = [w for w in analysis.words(rng.choice(chinese)) if 2 <= len(w) <= 4]
        return rng.choice(words) if words else rng.choice(chinese)[:2]

    def english_word() -> str:
        words = [w for w in analysis.tokens(rng.choice(english)) if len(w) > 3]
        return rng.choice(words) if words else "history"

    short = [t for t in chinese if len(t) <= 12] or chinese
    pure = [t for t in short if all(analysis.is_cjk(c) for c in t)] or short

    def short_title() -> str:
        return rng.choice(short)

    def hyphenated(isbn: str) -> str:
        return f"{isbn[:3]}-{isbn[3]}-{isbn[4:8]}-{isbn[8:12]}-{isbn[12:]}"

    makers: list[tuple[str, int, Callable[[], str]]] = [
        ("chinese word", 40, chinese_word),
        ("chinese title", 20, short_title),
        ("traditional title", 10, lambda: to_traditional.convert(short_title())),
        ("pinyin", 20, lambda: "".join(lazy_pinyin(chinese_word()))),
        ("initials", 15, lambda: "".join(lazy_pinyin(rng.choice(pure), style=Style.FIRST_LETTER))),
        ("english word", 25, english_word),
        ("english title", 10, lambda: rng.choice(english)),
        ("isbn", 10, lambda: rng.choice(isbns)),
        ("isbn hyphenated", 5, lambda: hyphenated(rng.choice(isbns))),
        ("clc", 5, lambda: f"clc:{rng.choice(classes)}"),
    ]
    queries = [Query(kind, make()) for kind, count, make in makers for _ in range(count)]
    facets: list[tuple[tuple[str, Any], ...]] = [
        (("available", True),),
        (("at", rng.choice(branches)),),
        (("available_at", rng.choice(branches)),),
        (("language", "eng"),),
        (("clc", "I"),),
    ]
    plain = list(queries)
    for number in range(QUERIES - len(queries)):
        base = rng.choice(plain)
        queries.append(Query(f"{base.kind} + facet", base.text, facets[number % len(facets)]))
    return queries


def run_queries(engine: Engine, index: SearchIndex, queries: list[Query]) -> dict[str, Any]:
    def once(query: Query) -> tuple[float, int]:
        with UnitOfWork(engine, readonly=True) as uow:
            started = time.perf_counter()
            results = search(uow.session, index=index, query=query.text, **dict(query.options))
            return (time.perf_counter() - started) * 1000, results.total

    for query in queries:  # warm-up: caches, jieba, the searcher
        once(query)
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    empty: list[str] = []
    for query in queries:
        elapsed, total = once(query)
        timings.append(elapsed)
        by_kind.setdefault(query.kind, []).append(elapsed)
        if total == 0 and "facet" not in query.kind:
            empty.append(query.text)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(statistics.quantiles(timings, n=20)[18], 2),
        "max_ms": round(max(timings), 2),
        "by_kind_p95_ms": {
            kind: round(
                max(values) if len(values) < 20 else statistics.quantiles(values, n=20)[18], 2
            )
            for kind, values in by_kind.items()
        },
        "queries": len(queries),
        "no_hits": empty,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    database, import_rate = catalogue_database(args.records, args.seed)
    engine = make_engine(f"sqlite:///{database}")
    index, build_rate, indexed = build_index(engine, database.with_suffix(".index"))
    queries = fixed_queries(engine, args.seed)
    latency = run_queries(engine, index, queries)
    engine.dispose()
    report = {
        "records": args.records,
        "indexed": indexed,
        "import_records_per_s": round(import_rate, 1) if import_rate else None,
        "index_build_records_per_s": round(build_rate, 1),
        **latency,
        "target_p95_ms": TARGET_P95_MS,
        "pass": latency["p95_ms"] <= TARGET_P95_MS,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        console.print(f"search over {args.records:,} records")
        if import_rate:
            console.print(f"  import with search documents: {import_rate:,.0f} records/s")
        console.print(f"  index build: {build_rate:,.0f} records/s ({indexed:,} documents)")
        console.print(
            f"  {latency['queries']} queries: p50 {latency['p50_ms']} ms, "
            f"p95 {latency['p95_ms']} ms (target ≤ {TARGET_P95_MS} ms), max {latency['max_ms']} ms"
        )
        for kind, p95 in latency["by_kind_p95_ms"].items():
            console.print(f"    {kind:<28} p95 {p95} ms")
        if latency["no_hits"]:
            console.print(f"  queries with no hits: {latency['no_hits']}")
        console.print("[bold green]PASS[/]" if report["pass"] else "[bold red]FAIL[/]")
    return 0 if report["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
