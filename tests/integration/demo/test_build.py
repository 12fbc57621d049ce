"""Building the small demo into a database, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from stdnum import isbn

from wenjin.catalog.models import BibIsbn, BibRecord, CatalogImport, Item, ItemType
from wenjin.db.uow import UnitOfWork
from wenjin.demo.build import DemoProgress, DemoSummary, build_demo, demo_marker, demo_state
from wenjin.demo.catalog import DEMO_SOURCE, generate_catalogue
from wenjin.demo.errors import OtherDemoPresent
from wenjin.demo.network import demo_network
from wenjin.demo.scales import SCALES
from wenjin.network.models import ServicePoint
from wenjin.network.queries import calendar_for, get_point_by_code, travel_days
from wenjin.network.states import PointKind

SMALL = SCALES["small"]
REPORT_POINTS = {
    "network": 1,
    "central": 1,
    "building": 2,
    "branch": 13,
    "school": 16,
    "village": 237,
    "station": 32,
    "self_service": 1,
    "scenic": 1,
}


class Interrupt(Exception):
    pass


def _snapshot(engine: Engine) -> tuple[object, ...]:
    """Everything a second run could change: counts, barcodes, record contents, timestamps."""
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        barcodes = tuple(s.scalars(select(Item.barcode).order_by(Item.barcode)))
        records = tuple(
            s.execute(
                select(BibRecord.control_number, BibRecord.marc, BibRecord.updated_at).order_by(
                    BibRecord.control_number
                )
            )
        )
        items_updated = s.scalar(select(func.max(Item.updated_at)))
        points = s.scalar(select(func.count()).select_from(ServicePoint))
        runs = s.scalar(select(func.count()).select_from(CatalogImport))
    return barcodes, records, items_updated, points, runs


def _expected_items() -> int:
    return sum(
        len(g.holdings) for g in generate_catalogue(demo_network(2020), scale=SMALL, seed=2020)
    )


def test_an_interrupted_demo_finishes_and_a_second_run_changes_nothing(engine: Engine) -> None:
    def stop_after_first_batch(progress: DemoProgress) -> None:
        raise Interrupt

    with pytest.raises(Interrupt):
        build_demo(engine, scale=SMALL, batch_size=500, on_progress=stop_after_first_batch)
    assert demo_state(engine, scale=SMALL, seed=2020) == "partial"

    summary = build_demo(engine, scale=SMALL, batch_size=500)
    assert (summary.batches_skipped, summary.batches_saved) == (1, 3)
    assert summary.points_by_kind == REPORT_POINTS
    assert summary.records == SMALL.titles
    assert summary.items == _expected_items()
    assert demo_state(engine, scale=SMALL, seed=2020) == "complete"

    before = _snapshot(engine)
    again = build_demo(engine, scale=SMALL, batch_size=500)
    assert (again.batches_skipped, again.batches_saved) == (4, 0)
    assert (again.records, again.items) == (summary.records, summary.items)
    assert _snapshot(engine) == before


def test_the_small_demo_has_exactly_the_reports_points(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, summary = built_demo
    assert summary.points_by_kind == REPORT_POINTS
    with UnitOfWork(engine, readonly=True) as uow:
        kinds = Counter(uow.session.scalars(select(ServicePoint.kind)))
    assert {k.value: n for k, n in kinds.items()} == REPORT_POINTS


def test_every_item_stands_at_a_point_that_exists_and_holds_books(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, summary = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        kinds = dict(s.execute(select(ServicePoint.id, ServicePoint.kind)).all())
        placed = s.execute(select(Item.owning_point_id, Item.current_point_id)).all()
    assert len(placed) == summary.items
    for owning, current in placed:
        assert owning in kinds
        assert current in kinds
        assert kinds[current] not in (PointKind.NETWORK, PointKind.CENTRAL)
    held = Counter(kinds[current].value for _, current in placed)
    assert set(held) == {
        "building",
        "branch",
        "school",
        "village",
        "station",
        "self_service",
        "scenic",
    }
    assert held["building"] > summary.items / 2


def test_every_isbn_in_the_catalogue_is_valid(built_demo: tuple[Engine, DemoSummary]) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        isbns = s.execute(select(BibIsbn.isbn, BibIsbn.valid)).all()
        flagged = s.scalar(select(func.count()).where(BibRecord.isbn_invalid.is_(True)))
    assert len(isbns) > SMALL.titles * 0.85
    assert all(valid and isbn.is_valid(number) for number, valid in isbns)
    assert flagged == 0


def test_records_are_saved_with_class_price_pinyin_and_call_numbers(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        dream = s.scalars(select(BibRecord).where(BibRecord.control_number == "ZC00000001")).one()
        found = (
            dream.title,
            dream.isbn,
            dream.clc,
            dream.year,
            dream.title_pinyin,
            dream.price_fen,
        )
        source = dream.source
        missing_class = s.scalar(select(func.count()).where(BibRecord.clc.is_(None)))
        call_numbers = s.scalars(select(Item.call_number)).all()
        flavours = Counter(s.scalars(select(BibRecord.flavour)))
    assert found == ("红楼梦", "9787020002207", "I242.47", 2008, "Hong Lou Meng", 5970)
    assert source == DEMO_SOURCE
    assert missing_class == 0
    assert all(re.fullmatch(r"[A-Z][A-Z0-9.\-]*/\d+", c or "") for c in call_numbers)
    assert flavours["cnmarc"] > flavours["marc21"] > 0


def test_reference_and_local_copies_are_not_for_loan(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        rows = s.execute(
            select(ItemType.code, ItemType.lendable, func.count(Item.id))
            .join(Item, Item.item_type_id == ItemType.id)
            .group_by(ItemType.code, ItemType.lendable)
        )
        by_type = {code: (lendable, count) for code, lendable, count in rows}
        local_points = set(
            s.scalars(
                select(ServicePoint.code)
                .join(Item, Item.current_point_id == ServicePoint.id)
                .join(ItemType, ItemType.id == Item.item_type_id)
                .where(ItemType.code == "LOCAL")
            )
        )
    assert by_type["BOOK"][0]
    assert by_type["CHILD"][0]
    assert not by_type["REF"][0]
    assert not by_type["LOCAL"][0]
    assert local_points == {"ZX-XG"}


def test_the_network_calendar_and_routes_work_on_the_demo(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        village = get_point_by_code(s, "CC-V001")
        calendar = calendar_for(s, village)
        assert not calendar.is_open(date(2026, 2, 17))  # Spring Festival, from the root
        central = get_point_by_code(s, "ZX")
        assert travel_days(s, central, village) == 3  # 1 day to the branch, 2 to the village
        self_service = get_point_by_code(s, "ZX-24H")
        assert calendar_for(s, self_service).is_open(date(2026, 2, 17))


def test_the_run_is_recorded_and_if_absent_does_nothing_when_complete(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, summary = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        run = uow.session.scalars(select(CatalogImport)).one()
        assert run.filename == demo_marker(SMALL, 2020)
        assert run.finished_at is not None
        assert run.finished_at <= datetime.now(UTC)
        assert (run.imported, run.items_created) == (summary.records, summary.items)
    again = build_demo(engine, scale=SMALL, if_absent=True)
    assert again.already_complete
    assert (again.records, again.items) == (summary.records, summary.items)


def test_a_demo_of_another_scale_is_refused_before_anything_is_written(
    sqlite_engine: Engine,
) -> None:
    with UnitOfWork(sqlite_engine) as uow:
        uow.session.add(
            CatalogImport(
                filename=demo_marker(SCALES["medium"], 2020),
                source=DEMO_SOURCE,
                started_at=datetime.now(UTC),
            )
        )
        uow.commit()
    with pytest.raises(OtherDemoPresent) as raised:
        build_demo(sqlite_engine, scale=SMALL)
    assert "--scale medium" in raised.value.message_zh
    assert "WENJIN_DATABASE_URL" in raised.value.message_en
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("select count(*) from service_points")).scalar() == 0
