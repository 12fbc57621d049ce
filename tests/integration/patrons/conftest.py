"""Fixtures for the patrons integration tests: a small network, the default categories,
and real-shaped resident ID numbers (Zhucheng, 370782, with a correct check digit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine
from stdnum.cn import ric

from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.services import ensure_default_categories

TODAY = date(2025, 9, 1)


def make_resident_id(birth: str, sequence: str = "123", area: str = "370782") -> str:
    body = f"{area}{birth}{sequence}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def resident_id() -> Callable[..., str]:
    return make_resident_id


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def network(engine: Engine) -> Engine:
    """诸城市图书馆 with a town branch, a school library and a village reading room."""
    with UnitOfWork(engine) as uow:
        root = ServicePoint(code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL)
        uow.session.add_all(
            [
                root,
                ServicePoint(code="ZC-XD", name="辛兴镇图书馆", kind=PointKind.BRANCH, parent=root),
                ServicePoint(
                    code="ZC-S01", name="诸城市实验中学图书馆", kind=PointKind.SCHOOL, parent=root
                ),
                ServicePoint(
                    code="ZC-V001", name="相州镇王家庄农家书屋", kind=PointKind.VILLAGE, parent=root
                ),
                ServicePoint(
                    code="ZC-OLD", name="已撤并的流动站", kind=PointKind.STATION, active=False
                ),
            ]
        )
        ensure_default_categories(uow.session)
        uow.commit()
    return engine
