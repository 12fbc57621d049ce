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

Reading and preparing records (decoding, extracting the fields, encoding the JSON)
is pure work on the file; for a large file on a machine with a second CPU it runs in
a worker process (forked, so no ``if __name__ == "__main__"`` is asked of callers)
while this process matches and writes the batches before. The worker only reads the
file, never the database, and leaves within a batch's time if the import is killed.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Full
from types import TracebackType
from typing import IO, Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from wenjin.catalog.errors import ImportFileUnreadable, PointCannotHoldItems
from wenjin.catalog.marc.reading import MarcFile, MarcFileUnreadable, UnreadableRecord
from wenjin.catalog.models import CatalogImport
from wenjin.catalog.preparing import PreparedRecord, RecordProblem, prepare_record
from wenjin.catalog.services import SaveResult, save_prepared
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


@dataclass(frozen=True)
class RejectRow:
    """One line of a rejects report, as the staff page and the API show it."""

    position: str
    offset: str
    control_number: str
    outcome: str
    reason: str


def read_rejects_report(path: Path | None, limit: int) -> tuple[list[RejectRow], int]:
    """The first ``limit`` lines of a rejects report, and how many more there are."""
    if path is None or not path.exists():
        return [], 0
    rows: list[RejectRow] = []
    more = 0
    with path.open(encoding="utf-8") as report:
        for line in report:
            if line.startswith("#") or not line.strip():
                continue
            if len(rows) >= limit:
                more += 1
                continue
            parts = (line.rstrip("\n").split("\t", 4) + [""] * 5)[:5]
            rows.append(RejectRow(*parts))
    return rows, more


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


@dataclass
class _Batch:
    """Records read and prepared, ready for one transaction."""

    outcomes: list[PreparedRecord | RecordProblem]
    bytes_done: int
    bytes_total: int
    records: int  # read so far in the file, this batch included


def prepared_batches(
    path: Path,
    *,
    source: str | None,
    encoding: str | None,
    flavour: MarcFlavour | None,
    batch_size: int,
    share: tuple[int, int] = (0, 1),
) -> Iterator[_Batch]:
    """Read ``path`` and prepare its records, ``batch_size`` at a time (pure: no database).

    ``share=(k, n)``: prepare only every n-th batch, starting with batch k (counting from
    0); the other records are read (cheap) but not prepared (dear). n processes, one
    share each, together yield every batch once, cut at the same places.
    """
    mine, every = share
    outcomes: list[PreparedRecord | RecordProblem] = []
    batch_number = 0

    def hand_over() -> list[PreparedRecord | RecordProblem]:
        # Keep no reference to a batch while it is being saved: the garbage collector
        # runs between batches and would walk it all (see _fewer_collections).
        nonlocal outcomes
        batch, outcomes = outcomes, []
        return batch

    with MarcFile(path, encoding=encoding, flavour=flavour) as marc_file:
        records = 0
        in_batch = 0
        for item in marc_file:
            records += 1
            in_batch += 1
            if batch_number % every != mine:
                pass  # another process prepares this batch
            elif isinstance(item, UnreadableRecord):
                outcomes.append(_unreadable_problem(item))
            else:
                outcomes.append(prepare_record(len(outcomes), item, source=source))
            if in_batch >= batch_size:
                if batch_number % every == mine:
                    yield _Batch(hand_over(), marc_file.bytes_done, marc_file.size, records)
                batch_number += 1
                in_batch = 0
        if batch_number % every == mine:
            yield _Batch(hand_over(), marc_file.bytes_done, marc_file.size, records)


# Reading and preparing records (decoding, extraction, search analysis) costs several
# times more than saving them. On a machine with a second core a large file is read and
# prepared in worker processes while this one saves the batches before: each worker
# reads the whole file (cheap) and prepares every n-th batch (dear), and this process
# takes the batches round the workers, in the file's order. Each queue holds a few
# batches, so nobody runs far ahead.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
_QUEUE_BATCHES = 3
MAX_READERS = 2


def _use_worker(path: Path, parallel: bool | None) -> bool:
    if parallel is not None:
        return parallel
    return (os.cpu_count() or 1) > 1 and path.stat().st_size >= PARALLEL_MIN_BYTES


def _prepare_in_worker(queue: Any, parent: int, options: dict[str, Any]) -> None:
    """The worker process: prepare batches and hand them over; stop if the parent dies."""
    # The fork copied the parent's standard streams, perhaps with unflushed output or a
    # lock held by a thread drawing the progress bar; the worker prints nothing, so it
    # must not flush (twice, or into a lock nobody will release) what is not its own.
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the process's life

    def orphaned() -> bool:
        if os.getppid() == parent:
            return False
        # The import was killed: nobody will read what is queued, so do not wait at
        # exit for it to be written.
        queue.cancel_join_thread()
        return True

    def put(message: tuple[Any, ...]) -> bool:
        while True:
            try:
                queue.put(message, timeout=1)
                return True
            except Full:
                if orphaned():
                    return False

    try:
        gc.disable()
        for batch in prepared_batches(**options):
            # Pickled here rather than by the queue's feeder thread, so that the batch is
            # released before the collection below, and the thread only moves bytes.
            data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            del batch
            gc.collect(1)
            if not put(("batch", data)) or orphaned():
                return
            del data
        put(("done",))
    except BaseException:  # whatever it is, the parent reports it and stops
        put(("error", traceback.format_exc()))


def _batches_from_worker(**options: Any) -> Iterator[_Batch]:
    context = mp.get_context("fork")
    readers = max(1, min(MAX_READERS, os.cpu_count() or 1))
    workers = []
    for share in range(readers):
        queue = context.Queue(maxsize=_QUEUE_BATCHES)
        worker = context.Process(
            target=_prepare_in_worker,
            args=(queue, os.getpid(), {**options, "share": (share, readers)}),
            name=f"wenjin-import-reader-{share}",
            daemon=True,
        )
        worker.start()
        workers.append((queue, worker))
    try:
        turn = 0
        while True:
            queue, worker = workers[turn % readers]
            try:
                message = queue.get(timeout=5)
            except Empty:
                if not worker.is_alive():
                    raise RuntimeError(
                        "the process reading the file stopped unexpectedly"
                    ) from None
                continue
            if message[0] == "batch":
                yield pickle.loads(message[1])
                turn += 1
            elif message[0] == "done":
                return  # the batch whose turn it was does not exist: the file is done
            else:
                raise RuntimeError(f"reading the file failed:\n{message[1]}")
    finally:
        for queue, worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=10)
            queue.close()


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
    parallel: bool | None = None,
    actor: str | None = None,
) -> ImportSummary:
    """Import one MARC file, committing every ``batch_size`` records.

    ``actor`` (who runs it: a staff account, ``cli:<user>``) is kept on the import's
    row in ``catalog_imports`` and in the audit trail.

    ``items_at`` is a service point code (see :func:`save_records`). Raises
    :class:`ImportFileUnreadable` when the file cannot be read at all, and
    ``PointNotFound`` for an unknown ``items_at``, before anything is written.
    ``parallel`` reads and prepares the records in a worker process (default: for
    files of 4 MB and more when there is a second CPU).
    """
    started = time.perf_counter()
    path = Path(path)
    items_at_id = _items_at_point_id(engine, items_at)
    try:
        with MarcFile(path, encoding=encoding, flavour=flavour) as marc_file:
            file_format = marc_file.format
    except MarcFileUnreadable as exc:
        raise ImportFileUnreadable(str(path), exc.reason.zh, exc.reason.en) from exc

    summary = ImportSummary(path=str(path), format=file_format)
    report_path = Path(rejects_path) if rejects_path else default_rejects_path(path)
    marc_path = report_path.with_suffix(".mrc") if file_format == "iso2709" else None
    import_id = _start_import_row(engine, path, source, actor)
    summary.import_id = import_id

    options: dict[str, Any] = {
        "path": path,
        "source": source,
        "encoding": encoding,
        "flavour": flavour,
        "batch_size": batch_size,
    }
    batches = (
        _batches_from_worker(**options)
        if _use_worker(path, parallel)
        else prepared_batches(**options)
    )
    with RejectsReport(report_path, marc_path, path) as report, _fewer_collections():
        for batch in batches:
            with UnitOfWork(engine, actor=actor) as uow:
                _bulk_loading(uow.session)
                point = uow.session.get(ServicePoint, items_at_id) if items_at_id else None
                result = save_prepared(uow.session, batch.outcomes, items_at=point)
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
            summary.records = batch.records
            summary.add(result)
            for problem in sorted(result.problems, key=lambda problem: problem.position):
                report.write(problem)
            progress = ImportProgress(str(path), batch.bytes_done, batch.bytes_total, batch.records)
            del batch, result
            gc.collect(1)  # the batch is gone: little left to walk
            if on_progress is not None:
                on_progress(progress)
        summary.problems = report.lines
        if report.lines:
            summary.rejects_path = report_path
        if report.raw_records:
            summary.rejects_marc_path = marc_path

    summary.seconds = time.perf_counter() - started
    _finish_import_row(engine, import_id, summary)
    return summary


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage between batches rather than during them.

    A batch holds a few hundred thousand small objects (fields, subfields, rows) that
    reference counting frees on its own; left to its thresholds, the collector walks
    them again and again while the batch is built, which cost a fifth of an import's
    time. The import collects the young generations after each batch instead, once
    the batch is released.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _bulk_loading(session: Session) -> None:
    """Give SQLite a page cache the size of a bulk load.

    Every item inserted updates five indexes; with SQLite's default 2 MB cache a
    catalogue of a few hundred thousand items no longer fits and each insert reads
    its index pages back from the file. The setting lasts for the connection.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA cache_size = -65536")  # 64 MiB


def _items_at_point_id(engine: Engine, code: str | None) -> int | None:
    if code is None:
        return None

    with UnitOfWork(engine, readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        if point.kind is PointKind.NETWORK:
            raise PointCannotHoldItems(point.code)
        return point.id


def _start_import_row(engine: Engine, path: Path, source: str | None, actor: str | None) -> int:
    with UnitOfWork(engine, actor=actor) as uow:
        row = CatalogImport(
            filename=str(path)[-500:],
            source=source,
            actor=actor,
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


def _finish_import_row(engine: Engine, import_id: int, summary: ImportSummary) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(CatalogImport)
            .where(CatalogImport.id == import_id)
            .values(
                finished_at=utcnow(),
                rejects_file=str(summary.rejects_path)[-500:] if summary.rejects_path else None,
            )
        )
        uow.commit()
