"""The demo's rotating collections: a plan over the report's 32 stations, a batch at each,
and a small deposit in every village reading room."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select

from wenjin.catalog.models import Item
from wenjin.db.uow import UnitOfWork
from wenjin.demo.build import DemoSummary
from wenjin.demo.rotation import PLAN_CODE
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.queries import network_today
from wenjin.rotation.models import CollectionMember, RotatingCollection
from wenjin.rotation.queries import due_collections, list_collections, plan_detail
from wenjin.rotation.states import CollectionKind, CollectionStatus


def test_the_demo_rotates_a_batch_round_the_reports_32_stations(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        plan = plan_detail(uow.session, PLAN_CODE)
        stations = set(
            uow.session.scalars(
                select(ServicePoint.code).where(ServicePoint.kind == PointKind.STATION)
            )
        )
    assert len(plan.stops) == 32
    assert {stop.point for stop in plan.stops} == stations
    assert len(plan.collections) == 32
    assert {c.station for c in plan.collections} == stations
    assert all(c.status is CollectionStatus.AT_STATION and c.items > 0 for c in plan.collections)


def test_every_item_of_a_station_batch_is_stationed_there_and_keeps_its_home(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        rows = uow.session.execute(
            select(
                Item.stationed_point_id,
                Item.current_point_id,
                RotatingCollection.station_point_id,
                Item.owning_point_id,
                RotatingCollection.home_point_id,
            )
            .join(CollectionMember, CollectionMember.item_id == Item.id)
            .join(RotatingCollection, RotatingCollection.id == CollectionMember.collection_id)
        ).all()
    assert rows
    for stationed, current, station, owner, home in rows:
        assert stationed == current == station
        assert owner == home


def test_every_village_reading_room_has_a_small_deposit_collection(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        deposits = list_collections(uow.session, kind=CollectionKind.DEPOSIT)
        villages = uow.session.scalar(
            select(func.count(ServicePoint.id)).where(ServicePoint.kind == PointKind.VILLAGE)
        )
    assert len(deposits) == villages == 237
    assert {c.status for c in deposits} == {CollectionStatus.AT_STATION}
    assert all(2 <= c.items <= 30 for c in deposits)


def test_the_plan_has_collections_due_back_now_and_more_later(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        due_now = due_collections(uow.session, today=network_today())
        due_in_a_quarter = due_collections(uow.session, today=network_today() + timedelta(days=92))
    assert 1 <= len(due_now) < 32
    assert len([d for d in due_in_a_quarter if d.plan == PLAN_CODE]) == 32
