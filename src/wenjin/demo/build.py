"""Building the demo into a database: the long job behind ``wenjin demo``.

The network is imported (an idempotent upsert by code), then the catalogue is
generated and saved in batches, one unit of work per batch. A run is recorded as a
:class:`~wenjin.catalog.models.CatalogImport` row whose filename names the demo
(``wenjin demo --scale small --seed 2020``) and whose ``finished_at`` is set when
the last batch is in: that row is how a later run knows the demo is complete.

Interrupted (Ctrl-C, ``kill -9``) and run again, the build regenerates the same
records and skips every batch already committed. Batches commit whole and in
order, so the saved records are always a prefix of the stream, and a batch is in
when its last record is (whatever ``batch_size`` either run used). Saving a record
again would in any case be an update, not a duplicate: records match on source +
001 and items on barcode.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from wenjin.catalog.marc.reading import IncomingRecord
from wenjin.catalog.models import BibRecord, CatalogImport, Item
from wenjin.catalog.services import ensure_default_item_types, save_records
from wenjin.circulation.policy import ensure_default_rules
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.demo.catalog import DEMO_SOURCE, GeneratedRecord, generate_catalogue
from wenjin.demo.circulation import CirculationFigures, add_readers_and_year, circulation_figures
from wenjin.demo.errors import DemoRecordsRefused, OtherDemoPresent
from wenjin.demo.network import demo_network
from wenjin.demo.rotation import build_rotation
from wenjin.demo.scales import Scale
from wenjin.network.models import ServicePoint
from wenjin.network.queries import points_by_kind
from wenjin.network.services import import_network
from wenjin.patrons.queries import network_date, network_today

DEFAULT_BATCH_SIZE = 1000
MARKER_PREFIX = "wenjin demo "

DemoState = Literal["absent", "partial", "complete"]


@dataclass(frozen=True)
class DemoProgress:
    """Records of the catalogue done so far (saved now or found saved by an earlier run).

    After the catalogue, ``phase`` names the part under way (``patrons``, ``history``,
    ``saving``: see :func:`wenjin.demo.history.add_readers_and_year`) and
    ``phase_done`` of ``phase_total`` says how far it is.
    """

    records_done: int
    records_total: int
    items_saved: int
    phase: str = "records"
    phase_done: int = 0
    phase_total: int = 0


@dataclass
class DemoSummary:
    scale: str
    seed: int
    points_by_kind: dict[str, int]
    records: int
    items: int
    seconds: float
    already_complete: bool = False  # ``if_absent`` found the demo built: nothing was done
    batches_saved: int = 0
    batches_skipped: int = 0  # found committed by an interrupted earlier run
    items_by_kind: dict[str, int] = field(default_factory=dict)
    circulation: CirculationFigures | None = None


def demo_marker(scale: Scale, seed: int) -> str:
    """The ``catalog_imports.filename`` that records a demo build."""
    return f"{MARKER_PREFIX}--scale {scale.name} --seed {seed}"


def demo_runs(session: Session) -> list[CatalogImport]:
    return list(
        session.scalars(
            select(CatalogImport)
            .where(CatalogImport.filename.startswith(MARKER_PREFIX))
            .order_by(CatalogImport.id)
        )
    )


def demo_state(engine: Engine, *, scale: Scale, seed: int) -> DemoState:
    marker = demo_marker(scale, seed)
    with UnitOfWork(engine, readonly=True) as uow:
        finished = [run.finished_at for run in demo_runs(uow.session) if run.filename == marker]
    if not finished:
        return "absent"
    return "complete" if any(when is not None for when in finished) else "partial"


def build_demo(
    engine: Engine,
    *,
    scale: Scale,
    seed: int = 2020,
    if_absent: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[DemoProgress], None] | None = None,
) -> DemoSummary:
    """Build (or finish building) the demo of ``scale`` into the migrated database of ``engine``.

    ``if_absent``: when this demo is already complete, do nothing. Raises
    :class:`OtherDemoPresent` if the database holds a demo of another scale or seed.
    """
    started = time.perf_counter()
    marker = demo_marker(scale, seed)
    network = demo_network(seed)
    with UnitOfWork(engine) as uow:
        runs = demo_runs(uow.session)
        other = next((run for run in runs if run.filename != marker), None)
        if other is not None:
            raise OtherDemoPresent(
                other.filename.removeprefix(MARKER_PREFIX), marker.removeprefix(MARKER_PREFIX)
            )
        run = next((run for run in runs if run.filename == marker), None)
        if if_absent and run is not None and run.finished_at is not None:
            return _summary(uow.session, scale, seed, started, already_complete=True)
        import_network(uow.session, network.data, source="演示网络 demo network")
        ensure_default_item_types(uow.session)
        ensure_default_rules(uow.session)
        if run is None:
            run = CatalogImport(
                filename=marker,
                source=DEMO_SOURCE,
                started_at=utcnow(),
                imported=0,
                updated=0,
                rejected=0,
                items_created=0,
            )
            uow.session.add(run)
            uow.session.flush()
        run_id = run.id
        # The demo's "today": its year of circulation ends here, on a resumed build too.
        today = network_date(run.started_at)
        uow.commit()

    done = saved = skipped = items = 0
    catalogue = generate_catalogue(network, scale=scale, seed=seed)
    for batch in _batches(catalogue, batch_size):
        if _batch_is_saved(engine, batch[-1].control_number):
            skipped += 1
        else:
            items += _save_batch(engine, batch, run_id)
            saved += 1
        done += len(batch)
        if on_progress is not None:
            on_progress(DemoProgress(done, scale.titles, items))

    add_readers_and_year(
        engine,
        network,
        scale=scale,
        seed=seed,
        today=today,
        on_progress=None
        if on_progress is None
        else lambda phase, n, total: on_progress(
            DemoProgress(done, scale.titles, items, phase, n, total)
        ),
    )
    build_rotation(engine, network=network, scale=scale, seed=seed)

    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(CatalogImport)
            .where(CatalogImport.id == run_id, CatalogImport.finished_at.is_(None))
            .values(finished_at=utcnow())
        )
        uow.commit()
        summary = _summary(uow.session, scale, seed, started)
    summary.batches_saved = saved
    summary.batches_skipped = skipped
    return summary


def _batches(records: Iterable[GeneratedRecord], size: int) -> Iterator[list[GeneratedRecord]]:
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _batch_is_saved(engine: Engine, control_number: str) -> bool:
    with UnitOfWork(engine, readonly=True) as uow:
        found = uow.session.scalar(
            select(BibRecord.id).where(
                BibRecord.source == DEMO_SOURCE, BibRecord.control_number == control_number
            )
        )
    return found is not None


def _save_batch(engine: Engine, batch: list[GeneratedRecord], run_id: int) -> int:
    incoming = [
        IncomingRecord(record=g.record, flavour=g.flavour, position=g.title.index + 1)
        for g in batch
    ]
    with UnitOfWork(engine) as uow:
        result = save_records(uow.session, incoming, source=DEMO_SOURCE)
        if result.problems:
            raise DemoRecordsRefused(
                [f"{p.control_number or p.position}: {p.reason}" for p in result.problems]
            )
        uow.session.execute(
            update(CatalogImport)
            .where(CatalogImport.id == run_id)
            .values(
                imported=CatalogImport.imported + result.imported,
                updated=CatalogImport.updated + result.updated,
                items_created=CatalogImport.items_created + result.items_created,
            )
        )
        uow.commit()
    return result.items_created + result.items_updated


def _summary(
    session: Session, scale: Scale, seed: int, started: float, *, already_complete: bool = False
) -> DemoSummary:
    records = session.scalar(
        select(func.count()).select_from(BibRecord).where(BibRecord.source == DEMO_SOURCE)
    )
    items_by_kind = dict(
        session.execute(
            select(ServicePoint.kind, func.count(Item.id))
            .join(Item, Item.current_point_id == ServicePoint.id)
            .join(BibRecord, BibRecord.id == Item.bib_id)
            .where(BibRecord.source == DEMO_SOURCE)
            .group_by(ServicePoint.kind)
        ).all()
    )
    return DemoSummary(
        scale=scale.name,
        seed=seed,
        points_by_kind=points_by_kind(session),
        records=records or 0,
        items=sum(items_by_kind.values()),
        seconds=round(time.perf_counter() - started, 2),
        already_complete=already_complete,
        items_by_kind={
            str(getattr(kind, "value", kind)): count for kind, count in items_by_kind.items()
        },
        circulation=circulation_figures(session, today=network_today()),
    )
