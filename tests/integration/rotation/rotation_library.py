"""The circulation tests' lending network with three rotating book stations, courier routes,
and a batch of six books of the central library for a rotating collection.

Courier routes: the central library (ZC) and each station (ZC-L01, ZC-L02, ZC-L03)
are joined on Wednesdays, a day's drive; ZC and the town branch 昌城镇 (ZC-CC)
on Tuesdays and Fridays; ZC and 辛兴镇 (ZC-XX) every day; 辛兴镇 and its village
reading room (ZC-V01) on Thursdays, two days. Loaded by path (``tests/support.py``)
by the rotation and transfers tests, integration and functional alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from support import load_test_module
from wenjin.network.models import CourierRoute, ServicePoint
from wenjin.network.states import PointKind

circ: Any = load_test_module(
    "integration/circulation/circ_library.py", "wenjin_rotation_circ_library"
)

ADULT = circ.ADULT
SENIOR = circ.SENIOR
NOW = circ.NOW
day = circ.day

STATIONS = {
    "ZC-L01": "东关社区图书流动站",
    "ZC-L02": "诸城市人民医院图书流动站",
    "ZC-L03": "诸城市社会福利中心图书流动站",
}
BATCH = (
    ("ZC08000001", "乡村医生手册", "9787116103122", "R4/12"),
    ("ZC08000002", "果树栽培技术", "9787532100019", "S66/3"),
    ("ZC08000003", "红岩", "9787020037810", "I247.5/2"),
    ("ZC08000004", "林海雪原", "9787020037827", "I247.5/4"),
    ("ZC08000005", "青春之歌", "9787020068937", "I247.5/6"),
    ("ZC08000006", "创业史", "9787020037841", "I247.5/8"),
)
BATCH_BARCODES = [barcode for barcode, *_ in BATCH]
EVERY_DAY = {str(d): ["08:00-18:00"] for d in range(1, 8)}


@dataclass(frozen=True)
class RotationLibrary:
    points: dict[str, int]
    patrons: dict[str, int]
    items: dict[str, int]


def _route(
    session: Session, a: ServicePoint, b: ServicePoint, days: int, weekdays: list[int] | None
) -> None:
    session.add(CourierRoute(from_point=a, to_point=b, travel_days=days, weekdays=weekdays))
    session.add(CourierRoute(from_point=b, to_point=a, travel_days=days, weekdays=weekdays))


def build_rotation_library(session: Session) -> RotationLibrary:
    built = circ.build_circ_library(session)
    points = {p.code: p for p in session.scalars(select(ServicePoint))}
    central = points["ZC"]
    for code, name in STATIONS.items():
        points[code] = ServicePoint(
            code=code, name=name, kind=PointKind.STATION, parent=central, opening_hours=EVERY_DAY
        )
        session.add(points[code])
    session.flush()
    for code in STATIONS:
        _route(session, central, points[code], 1, [3])
    _route(session, central, points["ZC-CC"], 1, [2, 5])
    _route(session, central, points["ZC-XX"], 1, None)
    _route(session, points["ZC-XX"], points["ZC-V01"], 2, [4])
    batch = [
        circ.add_book(
            session, circ.Book(barcode, title, isbn, 3000, call_number=call_number), points
        )
        for barcode, title, isbn, call_number in BATCH
    ]
    session.flush()
    items = dict(built.items) | {item.barcode: item.id for item in batch}
    return RotationLibrary({c: p.id for c, p in points.items()}, dict(built.patrons), items)
