"""MARC import throughput: Wenjin's import against pymarc alone, on the same file, in the same run.

The file: 100,000 records of the demo catalogue (CNMARC and MARC21, holdings in
905/952, about 4.3 copies per record), ISO 2709, UTF-8, generated once and kept in
``bench/out/``.

(a) pymarc alone: ``MARCReader(to_unicode=True, force_utf8=True)`` over every record
    (``force_utf8`` because CNMARC leaves leader/9 blank and declares UTF-8 in 100$a;
    without it pymarc would decode the Chinese as MARC-8).
(b) ``wenjin.catalog.importing.run_import`` into a fresh SQLite file that holds the
    demo network (so that the holdings become items): reading, decoding, extraction,
    matching, records and items written, everything an import does before the records
    can be searched. Setting up the database is not timed.

Each is run ``--runs`` times, alternately, and the medians compared: the machine is
shared and noisy, so only the ratio (b)/(a) is a target. Target: ratio ≥ 0.5.

    .venv/bin/python bench/bench_marc_import.py [--records N] [--runs N] [--profile]

Exit status 0 when the target is met, 1 when it is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from pymarc import MARCReader
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import wenjin.demo
from wenjin.catalog.importing import run_import
from wenjin.db.engine import make_engine
from wenjin.db.migrate import upgrade
from wenjin.db.uow import UnitOfWork
from wenjin.demo.catalog import DEMO_SOURCE, generate_catalogue
from wenjin.demo.network import demo_network
from wenjin.demo.scales import SCALES
from wenjin.network.services import import_network

BENCH_DIR = Path(__file__).resolve().parent
TARGET_RATIO = 0.5

console = Console()
err = Console(stderr=True)


@dataclass
class SampleFile:
    path: Path
    records: int
    items: int
    bytes: int


def generator_fingerprint() -> str:
    """A hash of the demo generator's code: a cached file from another version is not reused."""
    digest = hashlib.sha1()
    for source in sorted(Path(wenjin.demo.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:8]


def sample_file(out_dir: Path, records: int, seed: int) -> SampleFile:
    """The benchmark's ISO 2709 file, generated on first use (report-scale holdings)."""
    path = out_dir / f"demo-{records}-seed{seed}-{generator_fingerprint()}.mrc"
    facts = path.with_suffix(".json")
    if path.exists() and facts.exists():
        known = json.loads(facts.read_text())
        return SampleFile(path, known["records"], known["items"], path.stat().st_size)
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".mrc.partial")
    items = 0
    written = 0
    network = demo_network(seed)
    # Past the report's 700,000 titles the same title stream goes on (the search benchmark
    # asks for a million), and the report's holdings (its 3 million copies) are planned
    # over them all.
    report = SCALES["report"]
    scale = replace(report, titles=max(records, report.titles))
    with (
        partial.open("wb") as handle,
        Progress(
            TextColumn("生成 generating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as bar,
    ):
        task = bar.add_task("records", total=records)
        for number, generated in enumerate(
            generate_catalogue(network, scale=scale, seed=seed, count=records), start=1
        ):
            handle.write(generated.record.as_marc())
            items += len(generated.holdings)
            written = number
            if number % 1000 == 0 or number == records:
                bar.update(task, completed=number)
    if written != records:
        raise RuntimeError(f"the demo generator made {written} records, not {records}")
    partial.replace(path)
    facts.write_text(json.dumps({"records": records, "items": items, "seed": seed}))
    return SampleFile(path, records, items, path.stat().st_size)


def pymarc_parse(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    count = 0
    with path.open("rb") as handle:
        for record in MARCReader(handle, to_unicode=True, force_utf8=True):
            if record is None:
                raise RuntimeError(f"pymarc could not read record {count + 1} of {path}")
            count += 1
    return time.perf_counter() - started, count


def fresh_database(directory: Path, seed: int) -> str:
    """A migrated SQLite file holding the demo network (not timed)."""
    url = f"sqlite:///{directory / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with UnitOfWork(engine) as uow:
        import_network(uow.session, demo_network(seed).data)
        uow.commit()
    engine.dispose()
    return url


def wenjin_import(sample: SampleFile, seed: int, batch_size: int, profile: Path | None) -> float:
    with tempfile.TemporaryDirectory(prefix="wenjin-bench-") as tmp:
        directory = Path(tmp)
        engine = make_engine(fresh_database(directory, seed))
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        summary = run_import(
            engine,
            sample.path,
            source=DEMO_SOURCE,
            rejects_path=directory / "rejects.txt",
            batch_size=batch_size,
        )
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        engine.dispose()
        if profiler and profile:
            profiler.dump_stats(profile)
        if (summary.imported, summary.rejected, summary.items_created) != (
            sample.records,
            0,
            sample.items,
        ):
            problems = (directory / "rejects.txt").read_text()[:2000] if summary.problems else ""
            raise RuntimeError(
                f"the import did not load the file whole: imported {summary.imported} of "
                f"{sample.records}, rejected {summary.rejected}, items {summary.items_created} "
                f"of {sample.items}\n{problems}"
            )
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, default=100_000, help="records in the file (100,000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each side; medians compared (3)"
    )
    parser.add_argument("--seed", type=int, default=2020, help="demo generator seed (2020)")
    parser.add_argument(
        "--batch-size", type=int, default=1000, help="records per import transaction"
    )
    parser.add_argument(
        "--out", type=Path, default=BENCH_DIR / "out", help="where the file is kept"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one extra import run (cProfile) and print where the time goes",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    sample = sample_file(args.out, args.records, args.seed)
    err.print(
        f"文件 file: {sample.path} ({sample.records:,} records, {sample.items:,} copies, "
        f"{sample.bytes / 1e6:.1f} MB)"
    )
    parse_times: list[float] = []
    import_times: list[float] = []
    for run in range(1, args.runs + 1):
        seconds, count = pymarc_parse(sample.path)
        if count != sample.records:
            raise RuntimeError(f"pymarc read {count} records, expected {sample.records}")
        parse_times.append(seconds)
        err.print(f"  run {run}: pymarc {sample.records / seconds:,.0f} records/s", end="")
        seconds = wenjin_import(sample, args.seed, args.batch_size, None)
        import_times.append(seconds)
        err.print(f", wenjin import {sample.records / seconds:,.0f} records/s")

    parse_rate = sample.records / statistics.median(parse_times)
    import_rate = sample.records / statistics.median(import_times)
    ratio = import_rate / parse_rate
    passed = ratio >= TARGET_RATIO
    result = {
        "benchmark": "marc_import",
        "records": sample.records,
        "items": sample.items,
        "runs": args.runs,
        "pymarc_records_per_second": round(parse_rate),
        "import_records_per_second": round(import_rate),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "passed": passed,
        "parse_seconds": [round(t, 2) for t in parse_times],
        "import_seconds": [round(t, 2) for t in import_times],
        "file": asdict(sample) | {"path": str(sample.path)},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        verdict = "[bold green]PASS[/]" if passed else "[bold red]FAIL[/]"
        console.print(
            f"marc_import: pymarc parse {parse_rate:,.0f} records/s · wenjin import "
            f"{import_rate:,.0f} records/s ({sample.items / statistics.median(import_times):,.0f} items/s) · "
            f"ratio {ratio:.2f} (target ≥ {TARGET_RATIO}) {verdict}  "
            f"[dim]medians of {args.runs}, {sample.records:,} records[/]"
        )

    if args.profile:
        profile_path = args.out / "marc_import.prof"
        wenjin_import(sample, args.seed, args.batch_size, profile_path)
        stats = pstats.Stats(str(profile_path), stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        err.print(f"profile: {profile_path} (e.g. python -m pstats {profile_path})")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
