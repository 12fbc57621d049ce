"""run_import: batches, the rejects report, the import's record, on both databases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select

from wenjin.catalog.errors import ImportFileUnreadable, PointCannotHoldItems
from wenjin.catalog.importing import ImportProgress, run_import
from wenjin.catalog.models import BibIsbn, BibRecord, CatalogImport, Item
from wenjin.db.uow import UnitOfWork
from wenjin.network.errors import PointNotFound

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copy(MARC_DATA / name, target)
    target.chmod(0o644)
    return target


def records(engine: Engine) -> int:
    with UnitOfWork(engine, readonly=True) as work:
        return work.session.scalar(select(func.count()).select_from(BibRecord)) or 0


def test_the_rejects_report_lists_rejected_recovered_and_item_problems(
    engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    path = copy("bad_records.mrc", tmp_path)
    summary = run_import(engine, path)
    assert (summary.records, summary.imported, summary.updated, summary.rejected) == (8, 1, 6, 1)
    assert summary.rejects_path == tmp_path / "bad_records.mrc.rejects.txt"
    lines = summary.rejects_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    rows = [line.split("\t") for line in lines[2:]]
    assert all(len(row) == 5 for row in rows)
    outcomes = {(row[0], row[3]) for row in rows}
    assert ("7", "拒收 rejected") in outcomes
    assert ("2", "已修复 recovered") in outcomes
    rejected = next(row for row in rows if row[0] == "7")
    assert rejected[1] == "764"
    # the rejected record itself, as it was, to fix and import again
    assert summary.rejects_marc_path == tmp_path / "bad_records.mrc.rejects.mrc"
    raw = summary.rejects_marc_path.read_bytes()
    assert raw == (MARC_DATA / "bad_records.mrc").read_bytes()[764 : 764 + 26]


def test_a_second_run_replaces_the_report_of_the_first(
    engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    path = copy("marc21_invalid_utf8.mrc", tmp_path)
    first = run_import(engine, path)
    assert first.rejects_path is not None
    (tmp_path / "marc21_invalid_utf8.mrc").write_bytes((MARC_DATA / "marc8.dat").read_bytes())
    second = run_import(engine, path)
    assert second.rejects_path is None
    assert not first.rejects_path.exists()


def test_an_encoding_given_for_the_file_reads_what_its_leader_gets_wrong(
    engine: Engine, tmp_path: Path
) -> None:
    path = copy("1251.dat", tmp_path)
    assert run_import(engine, path).rejected == 6
    summary = run_import(engine, path, encoding="cp1251")
    assert (summary.imported, summary.rejected) == (6, 0)
    with UnitOfWork(engine, readonly=True) as work:
        titles = list(work.session.scalars(select(BibRecord.title)))
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in title) for title in titles)


def test_each_run_is_recorded_with_its_counts(
    engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    path = copy("marc.dat", tmp_path)
    run_import(engine, path, items_at="CC", batch_size=7)
    run_import(engine, path, items_at="CC", batch_size=7)
    with UnitOfWork(engine, readonly=True) as work:
        runs = list(work.session.scalars(select(CatalogImport).order_by(CatalogImport.id)))
        assert [(r.imported, r.updated, r.items_created) for r in runs] == [(20, 0, 20), (0, 20, 0)]
        assert all(r.finished_at is not None for r in runs)
        assert work.session.scalar(select(func.count()).select_from(Item)) == 20


def test_progress_is_reported_in_bytes_of_the_file(engine: Engine, tmp_path: Path) -> None:
    path = copy("marc.dat", tmp_path)
    seen: list[ImportProgress] = []
    run_import(engine, path, batch_size=5, on_progress=seen.append)
    assert [p.records for p in seen] == [5, 10, 15, 20, 20]
    assert seen[-1].bytes_done == seen[-1].bytes_total == path.stat().st_size


def test_a_file_that_cannot_be_read_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    text = tmp_path / "catalogue.txt"
    text.write_text("这不是 MARC 文件\n", encoding="utf-8")
    with pytest.raises(ImportFileUnreadable) as raised:
        run_import(engine, text)
    assert "not a MARC file" in raised.value.message_en
    with UnitOfWork(engine, readonly=True) as work:
        assert work.session.scalar(select(func.count()).select_from(CatalogImport)) == 0


def test_items_at_must_be_a_point_that_can_hold_items(
    engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    path = copy("one.json", tmp_path)
    with pytest.raises(PointNotFound):
        run_import(engine, path, items_at="NOPE")
    with pytest.raises(PointCannotHoldItems):
        run_import(engine, path, items_at="ZC")
    assert records(engine) == 0


def test_reading_in_a_worker_process_saves_exactly_what_reading_here_saves(
    engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    path = copy("sample_cnmarcxml.xml", tmp_path)
    here = run_import(engine, path, items_at="BNU", batch_size=3, parallel=False)
    with UnitOfWork(engine, readonly=True) as work:
        before = sorted(work.session.scalars(select(BibRecord.marc)))
    with UnitOfWork(engine) as work:
        work.session.execute(delete(Item))
        work.session.execute(delete(BibIsbn))
        work.session.execute(delete(BibRecord))
        work.commit()
    worker = run_import(engine, path, items_at="BNU", batch_size=3, parallel=True)
    assert (worker.imported, worker.items_created, worker.rejected) == (
        here.imported,
        here.items_created,
        here.rejected,
    )
    with UnitOfWork(engine, readonly=True) as work:
        assert sorted(work.session.scalars(select(BibRecord.marc))) == before


def test_two_reading_processes_report_the_same_rejects_in_the_same_order(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wenjin.catalog.importing.MAX_READERS", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    path = copy("bad_records.mrc", tmp_path)
    here = run_import(engine, path, batch_size=1, parallel=False)
    report_here = (tmp_path / "bad_records.mrc.rejects.txt").read_text()
    with UnitOfWork(engine) as work:
        work.session.execute(delete(BibIsbn))
        work.session.execute(delete(BibRecord))
        work.commit()
    shared = run_import(engine, path, batch_size=1, parallel=True)
    assert (shared.imported, shared.rejected, shared.records) == (
        here.imported,
        here.rejected,
        here.records,
    )
    assert (tmp_path / "bad_records.mrc.rejects.txt").read_text() == report_here
