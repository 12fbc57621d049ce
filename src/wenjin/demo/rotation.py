"""The demo's rotating collections: the report's 32 stations and the village reading rooms.

The report: 32 rotating book stations (图书流动站) with 20,000+ books in
circulation, in batches of about 600, and 237 village reading rooms (农家书屋).
The catalogue already stands the stations' books at the stations (they belong
to the central library's new building, see ``demo/network.py``). Here:

* a rotation plan over the 32 stations, 90 days at each;
* each station's books become one rotating collection of the plan, recorded as
  being at its station (:func:`~wenjin.rotation.services.place_collection_at`),
  the stays staggered so that the plan's ``due`` list has something in it;
* every village reading room gets a small deposit collection (寄存书箱) of the
  new building's books, sent and received through the real services, so that
  the transits and the circulation log show how they got there.

Every collection is built in a unit of work of its own and skipped when it is
already there: interrupted and run again, the build carries on (a village left
by an interrupted run gets other books than an uninterrupted run would give it).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from wenjin.catalog.models import Item, ItemType
from wenjin.catalog.states import ItemStatus
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.demo.names import STATIONS
from wenjin.demo.network import NEW_BUILDING, REPORT_VOLUMES, DemoNetwork
from wenjin.demo.scales import Scale
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.rotation.models import CollectionMember, RotatingCollection, RotationPlan
from wenjin.rotation.services import (
    add_items,
    create_collection,
    create_plan,
    place_collection_at,
    receive_collection,
    send_collection,
)
from wenjin.rotation.states import CollectionKind

PLAN_CODE = "LDZ-2020"
PLAN_NAME = "图书流动站轮换计划"
STAY_DAYS = 90
DEPOSIT_REPORT_SIZE = 30  # books in a village's deposit at report scale
DEPOSIT_TYPES = ("BOOK", "CHILD")


@dataclass(frozen=True)
class RotationDemoSummary:
    plan: str
    stations: int
    rotating_collections: int
    rotating_items: int
    deposit_collections: int
    deposit_items: int


def station_collection_code(station_code: str) -> str:
    return f"LD-{station_code}"


def deposit_collection_code(village_code: str) -> str:
    return f"JC-{village_code}"


def deposit_size(scale: Scale) -> int:
    """Books in one village's deposit: 30 at report scale, at least two."""
    return max(2, round(DEPOSIT_REPORT_SIZE * scale.volumes / REPORT_VOLUMES))


def build_rotation(
    engine: Engine,
    *,
    network: DemoNetwork,
    scale: Scale,
    seed: int,
    now: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RotationDemoSummary:
    """Build (or finish building) the demo's rotation plan and collections."""
    now = now or utcnow()
    villages = [p for p in network.data.points if p.kind is PointKind.VILLAGE]
    total = len(STATIONS) + len(villages)
    done = 0
    with UnitOfWork(engine) as uow:
        if (
            uow.session.scalar(select(RotationPlan.id).where(RotationPlan.code == PLAN_CODE))
            is None
        ):
            create_plan(
                uow.session,
                code=PLAN_CODE,
                name=PLAN_NAME,
                stations=[s.code for s in STATIONS],
                stay_days=STAY_DAYS,
                note="32个图书流动站，每站约600册，每季度轮换一次",
            )
            uow.commit()
    rng = random.Random(f"wenjin-demo-deposits:{seed}")
    size = deposit_size(scale)
    pool = _deposit_pool(engine, rng)
    for number, station in enumerate(STATIONS):
        # Staggered arrivals, 1 to 94 days ago: the last stations are due back now.
        since = now - timedelta(days=number * 3 + 1)
        _place_station_collection(engine, station.code, station.host, since, pool, size)
        done += 1
        if on_progress is not None:
            on_progress(done, total)
    for number, village in enumerate(villages):
        arrived = now - timedelta(days=30 + number % 300)
        _deposit_at_village(engine, village.code, village.name, pool, size, arrived)
        done += 1
        if on_progress is not None:
            on_progress(done, total)
    return _summary(engine)


def _exists(engine: Engine, code: str) -> bool:
    with UnitOfWork(engine, readonly=True) as uow:
        found = uow.session.scalar(
            select(RotatingCollection.id).where(RotatingCollection.code == code)
        )
    return found is not None


def _place_station_collection(
    engine: Engine, station_code: str, host: str, since: datetime, pool: list[str], size: int
) -> None:
    """The books standing at a station become its collection; a station the catalogue left
    without books (small scales) gets a batch sent from the new building."""
    code = station_collection_code(station_code)
    if _exists(engine, code):
        return
    with UnitOfWork(engine) as uow:
        session = uow.session
        station_id = session.scalar(
            select(ServicePoint.id).where(ServicePoint.code == station_code)
        )
        barcodes = list(
            session.scalars(
                select(Item.barcode)
                .where(Item.current_point_id == station_id, Item.status != ItemStatus.WITHDRAWN)
                .order_by(Item.barcode)
            )
        )
        create_collection(
            session,
            code=code,
            name=f"{host}流动书箱",
            home=NEW_BUILDING,
            kind=CollectionKind.ROTATING,
            plan=PLAN_CODE,
        )
        if barcodes:
            add_items(session, collection=code, barcodes=barcodes, now=since)
            place_collection_at(session, collection=code, station=station_code, since=since)
        elif len(pool) >= size:
            _send_and_receive(session, code, station_code, [pool.pop() for _ in range(size)], since)
        uow.commit()


def _send_and_receive(
    session: Session, code: str, point_code: str, barcodes: list[str], arrived: datetime
) -> None:
    add_items(session, collection=code, barcodes=barcodes, now=arrived - timedelta(days=3))
    send_collection(
        session, collection=code, to=point_code, now=arrived - timedelta(days=2), actor="demo"
    )
    receive_collection(session, collection=code, at=point_code, now=arrived, actor="demo")


def _deposit_pool(engine: Engine, rng: random.Random) -> list[str]:
    """Barcodes of the new building's lendable books on its shelves, in a seeded order."""
    with UnitOfWork(engine, readonly=True) as uow:
        building = uow.session.scalar(
            select(ServicePoint.id).where(ServicePoint.code == NEW_BUILDING)
        )
        in_a_collection = select(CollectionMember.item_id).where(
            CollectionMember.removed_at.is_(None)
        )
        barcodes = list(
            uow.session.scalars(
                select(Item.barcode)
                .join(ItemType, ItemType.id == Item.item_type_id)
                .where(
                    Item.current_point_id == building,
                    Item.owning_point_id == building,
                    Item.status == ItemStatus.AVAILABLE,
                    ItemType.code.in_(DEPOSIT_TYPES),
                    Item.id.not_in(in_a_collection),
                )
                .order_by(Item.barcode)
            )
        )
    rng.shuffle(barcodes)
    return barcodes


def _deposit_at_village(
    engine: Engine, village_code: str, name: str, pool: list[str], size: int, arrived: datetime
) -> None:
    code = deposit_collection_code(village_code)
    if _exists(engine, code) or len(pool) < size:
        return
    barcodes = [pool.pop() for _ in range(size)]
    with UnitOfWork(engine) as uow:
        session = uow.session
        create_collection(
            session,
            code=code,
            name=f"{name}寄存书箱",
            home=NEW_BUILDING,
            kind=CollectionKind.DEPOSIT,
        )
        _send_and_receive(session, code, village_code, barcodes, arrived)
        uow.commit()


def _summary(engine: Engine) -> RotationDemoSummary:
    with UnitOfWork(engine, readonly=True) as uow:
        rows = uow.session.execute(
            select(
                RotatingCollection.kind,
                func.count(func.distinct(RotatingCollection.id)),
                func.count(CollectionMember.id),
            )
            .outerjoin(
                CollectionMember,
                (CollectionMember.collection_id == RotatingCollection.id)
                & CollectionMember.removed_at.is_(None),
            )
            .group_by(RotatingCollection.kind)
        ).all()
    counts = {CollectionKind(kind): (int(n), int(items)) for kind, n, items in rows}
    rotating = counts.get(CollectionKind.ROTATING, (0, 0))
    deposit = counts.get(CollectionKind.DEPOSIT, (0, 0))
    return RotationDemoSummary(
        plan=PLAN_CODE,
        stations=len(STATIONS),
        rotating_collections=rotating[0],
        rotating_items=rotating[1],
        deposit_collections=deposit[0],
        deposit_items=deposit[1],
    )
