"""Catalogue fixtures: a small network to hold items, and a way to start the catalogue over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete

from wenjin.catalog.models import BarcodeSeries, BibIsbn, BibRecord, CatalogImport, Item
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"

# code, name, kind, parent
POINTS = [
    ("ZC", "诸城市图书馆总分馆", PointKind.NETWORK, None),
    ("ZX", "诸城市图书馆", PointKind.CENTRAL, "ZC"),
    ("CC", "昌城镇图书馆", PointKind.BRANCH, "ZC"),
    ("CC-V001", "后凉台村农家书屋", PointKind.VILLAGE, "CC"),
    ("BNU", "北京师范大学图书馆（样例数据）", PointKind.BRANCH, "ZC"),
]


@pytest.fixture
def network(uow: Callable[..., UnitOfWork]) -> dict[str, int]:
    """The points above, committed; code → id."""
    ids: dict[str, int] = {}
    with uow() as work:
        for code, name, kind, parent in POINTS:
            point = ServicePoint(
                code=code, name=name, kind=kind, parent_id=ids[parent] if parent else None
            )
            work.session.add(point)
            work.session.flush()
            ids[code] = point.id
        work.commit()
    return ids


@pytest.fixture
def wipe_catalogue(engine: Engine) -> Callable[[], None]:
    """Empty the catalogue (records, items, imports), keeping the network: a fresh start."""

    def wipe() -> None:
        with UnitOfWork(engine) as work:
            for model in (Item, BibIsbn, BibRecord, CatalogImport, BarcodeSeries):
                work.session.execute(delete(model))
            work.commit()

    return wipe
