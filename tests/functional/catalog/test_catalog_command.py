"""``wenjin catalog import`` and ``export`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pymarc
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner, Result

from wenjin.catalog.importing import PARALLEL_MIN_BYTES
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.marc.writing import iso2709_bytes
from wenjin.catalog.models import BibRecord, CatalogImport, Item
from wenjin.catalog.states import MarcFlavour
from wenjin.cli.main import app
from wenjin.db.uow import UnitOfWork

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"
WENJIN = Path(sys.executable).with_name("wenjin")


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def copy(name: str, directory: Path) -> Path:
    target = directory / name
    shutil.copy(MARC_DATA / name, target)
    target.chmod(0o644)
    return target


def count(engine: Engine, model: type) -> int:
    with UnitOfWork(engine, readonly=True) as work:
        return work.session.scalar(select(func.count()).select_from(model)) or 0


def test_import_reports_its_counts_as_json_and_exits_0_with_rejects(
    network: dict[str, str], tmp_path: Path
) -> None:
    path = copy("marc21_invalid_utf8.mrc", tmp_path)
    result = wenjin("catalog", "import", str(path), "--items-at", "ZX", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # records 1 and 3 are the same record (001 and 003 alike) in UTF-8 and in MARC-8
    assert (summary["imported"], summary["updated"], summary["rejected"]) == (1, 1, 1)
    assert summary["items_created"] == 1
    assert summary["rejects_file"] == str(tmp_path / "marc21_invalid_utf8.mrc.rejects.txt")
    assert summary["records_per_second"] > 0
    assert set(summary) >= {
        "imported",
        "updated",
        "rejected",
        "items_created",
        "rejects_file",
        "seconds",
        "records_per_second",
        "files",
    }
    (file_summary,) = summary["files"]
    assert file_summary["rejects_marc_file"] == str(
        tmp_path / "marc21_invalid_utf8.mrc.rejects.mrc"
    )


def test_importing_the_same_file_again_updates_and_adds_nothing(
    network: dict[str, str], tmp_path: Path, engine: Engine
) -> None:
    path = copy("sample_cnmarcxml.xml", tmp_path)
    first = json.loads(wenjin("catalog", "import", str(path), "--items-at", "BNU", "--json").stdout)
    second = json.loads(
        wenjin("catalog", "import", str(path), "--items-at", "BNU", "--json").stdout
    )
    assert (first["imported"], first["items_created"]) == (10, 10)
    assert (second["imported"], second["updated"], second["items_created"]) == (0, 10, 0)
    assert count(engine, BibRecord) == 10
    assert count(engine, Item) == 10


def test_several_files_are_summed_and_an_unreadable_one_fails_the_command(
    network: dict[str, str], tmp_path: Path
) -> None:
    good = copy("batch.json", tmp_path)
    bad = tmp_path / "readme.txt"
    bad.write_text("not marc", encoding="utf-8")
    result = wenjin(
        "catalog", "import", str(good), str(bad), str(copy("one.json", tmp_path)), "--json"
    )
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["imported"] == 3
    assert len(summary["files"]) == 2
    assert summary["unreadable"][0]["file"] == str(bad)
    assert "not a MARC file" in summary["unreadable"][0]["message_en"]


def test_the_text_summary_names_the_report(network: dict[str, str], tmp_path: Path) -> None:
    path = copy("bad_records.mrc", tmp_path)
    result = wenjin("catalog", "import", str(path), "--rejects", str(tmp_path / "report.txt"))
    assert result.exit_code == 0, result.output
    assert "1 条新增，6 条更新，1 条拒收" in result.stdout
    assert (tmp_path / "report.txt").exists()
    assert (tmp_path / "report.mrc").exists()


def test_an_unknown_items_at_point_is_an_error_before_anything_is_imported(
    network: dict[str, str], tmp_path: Path, engine: Engine
) -> None:
    result = wenjin("catalog", "import", str(copy("one.json", tmp_path)), "--items-at", "NOPE")
    assert result.exit_code == 1
    assert "NOPE" in result.stderr
    assert count(engine, BibRecord) == 0


def test_an_unknown_encoding_or_flavour_is_a_usage_error(
    network: dict[str, str], tmp_path: Path
) -> None:
    path = str(copy("one.json", tmp_path))
    assert wenjin("catalog", "import", path, "--encoding", "klingon").exit_code == 2
    assert wenjin("catalog", "import", path, "--flavour", "ukmarc").exit_code == 2


def test_export_writes_a_file_that_imports_again(
    network: dict[str, str], tmp_path: Path, engine: Engine
) -> None:
    wenjin(
        "catalog",
        "import",
        str(copy("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso", tmp_path)),
        "--items-at",
        "BNU",
    )
    out = tmp_path / "export.mrc"
    result = wenjin("catalog", "export", "--output", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == 10
    records = list(pymarc.MARCReader(out.read_bytes(), to_unicode=True, force_utf8=True))
    assert records[0]["200"]["a"] == "'94中国发展报告"
    assert records[0]["905"]["a"] == "BNU"
    assert records[0]["100"]["a"][26:28] == "50"


def test_export_to_standard_output_in_marc21_marcxml(
    network: dict[str, str], tmp_path: Path
) -> None:
    wenjin("catalog", "import", str(copy("sample_cnmarcxml.xml", tmp_path)))
    result = wenjin("catalog", "export", "--format", "marcxml", "--flavour", "marc21")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert '<collection xmlns="http://www.loc.gov/MARC21/slim">' in result.stdout
    assert result.stdout.count("<record>") == 10
    assert "导出 10 条记录" in result.stderr


SUMMARY = "本书介绍粮食作物、蔬菜和果树的栽培技术，病虫害的综合防治，农机的使用与维护。" * 8


def generated_file(path: Path, records: int) -> None:
    """``records`` CNMARC records with two copies each, as a Chinese system exports them."""
    with path.open("wb") as out:
        for n in range(1, records + 1):
            record = MarcRecord(
                "00000nam0 2200000   450 ",
                [
                    Field("001", data=f"ZC{n:08d}"),
                    Field("100", " ", " ", [("a", "20200101d2020    em y0chiy50      ea")]),
                    Field(
                        "200",
                        "1",
                        " ",
                        [("a", f"乡村振兴实用技术丛书第{n}辑"), ("f", "农业出版社编")],
                    ),
                    Field("330", " ", " ", [("a", SUMMARY)]),
                    Field("690", " ", " ", [("a", "S3"), ("v", "5")]),
                    *[
                        Field(
                            "905",
                            " ",
                            " ",
                            [("a", point), ("b", f"{point}{n:07d}"), ("d", "S3"), ("e", str(n))],
                        )
                        for point in ("ZX", "CC")
                    ],
                ],
            )
            out.write(iso2709_bytes(record, MarcFlavour.CNMARC))


def running_commands() -> list[str]:
    commands = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                commands.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return commands


def test_an_import_killed_mid_way_finishes_on_the_next_run_with_nothing_lost_or_doubled(
    network: dict[str, str], tmp_path: Path, engine: Engine
) -> None:
    total = 4500
    path = tmp_path / "catalogue.mrc"
    generated_file(path, total)
    assert path.stat().st_size > PARALLEL_MIN_BYTES  # read by a worker process, too
    env = {**os.environ, **network}
    process = subprocess.Popen(
        [str(WENJIN), "catalog", "import", str(path), "--batch-size", "100", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while count(engine, BibRecord) < 100:  # the first batch is committed
            assert process.poll() is None, "the import ended before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.kill()  # SIGKILL: no clean-up of any kind
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    interrupted = count(engine, BibRecord)
    assert 100 <= interrupted < total
    # the worker process that was reading the file notices and goes too
    deadline = time.monotonic() + 10
    while any(str(path) in command for command in running_commands()):
        assert time.monotonic() < deadline, "a process of the killed import is still running"
        time.sleep(0.1)
    with UnitOfWork(engine, readonly=True) as work:
        (run,) = work.session.scalars(select(CatalogImport))
        assert run.finished_at is None

    result = wenjin("catalog", "import", str(path), "--batch-size", "1000", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["imported"] + summary["updated"] == total
    assert summary["updated"] == interrupted
    assert count(engine, BibRecord) == total
    assert count(engine, Item) == 2 * total
    with UnitOfWork(engine, readonly=True) as work:
        distinct = work.session.scalar(select(func.count(func.distinct(BibRecord.control_number))))
        assert distinct == total
