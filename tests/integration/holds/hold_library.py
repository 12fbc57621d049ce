"""The circulation tests' lending network, made ready for holds.

On top of ``circ_library.py``: the central library and the two town branches take
holds (取书点); courier routes ZC ⇄ ZC-CC and ZC ⇄ ZC-XX one day each, ZC-CC ⇄
ZC-XX three days (the direct road is slow); and 三体 (ZC01000002 at ZC) gets three
more copies: one at each branch and a second at the central library.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import select
from sqlalchemy.orm import Session

from support import load_test_module
from wenjin.catalog.models import Item, ItemType
from wenjin.catalog.states import ItemStatus
from wenjin.network.models import CourierRoute, ServicePoint

circ: ModuleType = load_test_module(
    "integration/circulation/circ_library.py", "wenjin_holds_circ_library"
)

SANTI = "ZC01000002"  # 三体 at the central library
SANTI_CC = "ZC01000012"  # 三体 at 昌城镇图书馆
SANTI_XX = "ZC01000022"  # 三体 at 辛兴镇图书馆
SANTI_ZC2 = "ZC01000032"  # a second 三体 at the central library
PICKUP_POINTS = ("ZC", "ZC-CC", "ZC-XX")


@dataclass(frozen=True)
class HoldLibrary:
    points: dict[str, int]
    patrons: dict[str, int]
    items: dict[str, int]
    santi_record: int


def build_hold_library(session: Session) -> HoldLibrary:
    built = circ.build_circ_library(session)
    points = {p.code: p for p in session.scalars(select(ServicePoint))}
    for code in PICKUP_POINTS:
        points[code].is_pickup_point = True
    for a, b, days in (("ZC", "ZC-CC", 1), ("ZC", "ZC-XX", 1), ("ZC-CC", "ZC-XX", 3)):
        session.add(CourierRoute(from_point=points[a], to_point=points[b], travel_days=days))
        session.add(CourierRoute(from_point=points[b], to_point=points[a], travel_days=days))
    santi = session.get(Item, built.items[SANTI])
    assert santi is not None
    book = session.scalars(select(ItemType).where(ItemType.code == "BOOK")).one()
    items = dict(built.items)
    for barcode, code in ((SANTI_CC, "ZC-CC"), (SANTI_XX, "ZC-XX"), (SANTI_ZC2, "ZC")):
        copy = Item(
            barcode=barcode,
            bib_id=santi.bib_id,
            owning_point=points[code],
            current_point=points[code],
            item_type=book,
            status=ItemStatus.AVAILABLE,
            price_fen=2300,
            call_number="I247.55/42",
            location="中文图书借阅区",
        )
        session.add(copy)
        session.flush()
        items[barcode] = copy.id
    session.flush()
    return HoldLibrary(
        points=built.points, patrons=built.patrons, items=items, santi_record=santi.bib_id
    )
