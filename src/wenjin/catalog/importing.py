"""``wenjin catalog import``: the long job that loads a MARC file batch by batch.

Each batch of records is saved and committed in its own unit of work, together with
the running counts on the file's :class:`CatalogImport` row. Every write is an
upsert on a natural key (source + 001, ISBN and title, content fingerprint; item
barcode), so an import killed at any point (``kill -9``) can simply be run again: it
ends with nothing lost and nothing duplicated. The interrupted run stays visible as
a ``catalog_imports`` row without ``finished_at``.

Problems go to a rejects report beside the input (``<input>.rejects.txt``), one
tab-separated line each: position in the file (1-based), byte offset, 001, outcome
(rejected, recovered, item) and the reason in words. For ISO 2709 input the rejected
records themselves go to ``<input>.rejects.mrc``, as they were, for a cataloguer to
fix and import again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

from sqlalchemy import Engine, update

from wenjin.catalog.errors import ImportFileUnreadable, PointCannotHoldItems
from wenjin.catalog.marc.reading import (
    IncomingRecord,
    MarcFile,
    MarcFileUnreadable,
    UnreadableRecord,
)
from wenjin.catalog.models import CatalogImport
from wenjin.catalog.services import RecordProblem, SaveResult, save_records
from wenjin.catalog.states import MarcFlavour
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.network.states import PointKind

DEFAULT_BATCH_SIZE = 1000

_OUTCOME_LABELS = {
    "rejected": "拒收 rejected",
    "recovered": "已修复 recovered",
    "item": "册 item",
}


@dataclass(frozen=True)
class ImportProgress:
    """Where an import is: bytes of the file read, records read so far."""

    path: str
    bytes_done: int
    bytes_total: int
    records: int


@dataclass
class ImportSummary:
    """What one file's import did."""

    path: str
    format: str = ""
    records: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    items_created: int = 0
    items_updated: int = 0
    problems: int = 0
    rejects_path: Path | None = None
    rejects_marc_path: Path | None = None
    seconds: float = 0.0
    import_id: int | None = None

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0

    def add(self, result: SaveResult) -> None:
        self.imported += result.imported
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.rejected += result.rejected
        self.items_created += result.items_created
        self.items_updated += result.items_updated


def default_rejects_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.txt")


class RejectsReport:
    """The rejects report of one import, written as problems come (created on the first)."""

    def __init__(self, path: Path, marc_path: Path | None, source: Path) -> None:
        self.path = path
        self.marc_path = marc_path
        self.source = source
        self.lines = 0
        self.raw_records = 0
        self._text: IO[str] | None = None
        self._marc: IO[bytes] | None = None
        # A report from an earlier run of the same file would describe problems that
        # may be fixed by now.
        for stale in (path, marc_path):
            if stale is not None and stale.exists():
                stale.unlink()

    def write(self, problem: RecordProblem) -> None:
        if self._text is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._text = self.path.open("w", encoding="utf-8")
            self._text.write(
                f"# 文津 Wenjin 导入报告 import report: {self.source}\n"
                "# 位置 position\t字节 offset\t001\t结果 outcome\t原因 reason\n"
            )
        offset = "" if problem.offset is None else str(problem.offset)
        reason = str(problem.reason).replace("\t", " ").replace("\n", " ")
        self._text.write(
            f"{problem.position}\t{offset}\t{problem.control_number or ''}\t"
            f"{_OUTCOME_LABELS[problem.kind]}\t{reason}\n"
        )
        self.lines += 1
        if problem.rejected and problem.raw is not None and self.marc_path is not None:
            if self._marc is None:
                self._marc = self.marc_path.open("wb")
            self._marc.write(problem.raw)
            self.raw_records += 1

    def close(self) -> None:
        for handle in (self._text, self._marc):
            if handle is not None:
                handle.close()
        self._text = None
        self._marc = None

    def __enter__(self) -> RejectsReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _unreadable_problem(item: UnreadableRecord) -> RecordProblem:
    return RecordProblem(
        position=item.position,
        reason=item.reason,
        control_number=item.control_number,
        offset=item.offset,
        kind="rejected",
        raw=item.raw,
    )


def run_import(
    engine: Engine,
    path: Path | str,
    *,
    source: str | None = None,
    encoding: str | None = None,
    flavour: MarcFlavour | None = None,
    items_at: str | None = None,
    rejects_path: Path | str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportSummary:
    """Import one MARC file, committing every ``batch_size`` records.

    ``items_at`` is a service point code (see :func:`save_records`). Raises
    :class:`ImportFileUnreadable` when the file cannot be read at all, and
    ``PointNotFound`` for an unknown ``items_at``, before anything is written.
    """
    started = time.perf_counter()
    path = Path(path)
    items_at_id = _items_at_point_id(engine, items_at)
    try:
        marc_file = MarcFile(path, encoding=encoding, flavour=flavour)
    except MarcFileUnreadable as exc:
        raise ImportFileUnreadable(str(path), exc.reason.zh, exc.reason.en) from exc

    summary = ImportSummary(path=str(path), format=marc_file.format)
    report_path = Path(rejects_path) if rejects_path else default_rejects_path(path)
    marc_path = report_path.with_suffix(".mrc") if marc_file.format == "iso2709" else None
    import_id = _start_import_row(engine, path, source)
    summary.import_id = import_id

    def save(batch: Sequence[IncomingRecord]) -> None:
        with UnitOfWork(engine) as uow:
            point = uow.session.get(ServicePoint, items_at_id) if items_at_id else None
            result = save_records(uow.session, batch, source=source, items_at=point)
            uow.session.execute(
                update(CatalogImport)
                .where(CatalogImport.id == import_id)
                .values(
                    imported=CatalogImport.imported + result.imported,
                    updated=CatalogImport.updated + result.updated,
                    rejected=CatalogImport.rejected + result.rejected,
                    items_created=CatalogImport.items_created + result.items_created,
                )
            )
            uow.commit()
        summary.add(result)
        for problem in result.problems:
            report.write(problem)

    with marc_file, RejectsReport(report_path, marc_path, path) as report:
        batch: list[IncomingRecord] = []
        unreadable = 0
        for item in marc_file:
            summary.records += 1
            if isinstance(item, UnreadableRecord):
                report.write(_unreadable_problem(item))
                summary.rejected += 1
                unreadable += 1
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                save(batch)
                batch = []
                _progress(on_progress, path, marc_file, summary.records)
        if batch:
            save(batch)
        _progress(on_progress, path, marc_file, summary.records)
        summary.problems = report.lines
        if report.lines:
            summary.rejects_path = report_path
        if report.raw_records:
            summary.rejects_marc_path = marc_path

    summary.seconds = time.perf_counter() - started
    _finish_import_row(engine, import_id, unreadable, summary)
    return summary


def _progress(
    callback: Callable[[ImportProgress], None] | None,
    path: Path,
    marc_file: MarcFile,
    records: int,
) -> None:
    if callback is not None:
        callback(ImportProgress(str(path), marc_file.bytes_done, marc_file.size, records))


def _items_at_point_id(engine: Engine, code: str | None) -> int | None:
    if code is None:
        return None

    with UnitOfWork(engine, readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        if point.kind is PointKind.NETWORK:
            raise PointCannotHoldItems(point.code)
        return point.id


def _start_import_row(engine: Engine, path: Path, source: str | None) -> int:
    with UnitOfWork(engine) as uow:
        row = CatalogImport(
            filename=str(path)[-500:],
            source=source,
            started_at=utcnow(),
            imported=0,
            updated=0,
            rejected=0,
            items_created=0,
        )
        uow.session.add(row)
        uow.session.flush()
        import_id = row.id
        uow.commit()
    return import_id


def _finish_import_row(
    engine: Engine, import_id: int, unreadable: int, summary: ImportSummary
) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(CatalogImport)
            .where(CatalogImport.id == import_id)
            .values(
                finished_at=utcnow(),
                rejected=CatalogImport.rejected + unreadable,
                rejects_file=str(summary.rejects_path)[-500:] if summary.rejects_path else None,
            )
        )
        uow.commit()


@dataclass
class ImportTotals:
    """The sum of several files' imports (``wenjin catalog import A.mrc B.xml``)."""

    files: list[ImportSummary] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        return sum(int(getattr(summary, attribute)) for summary in self.files)

    @property
    def seconds(self) -> float:
        return sum(summary.seconds for summary in self.files)
