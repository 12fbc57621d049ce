"""Fixtures for ``wenjin patron`` tests: a small network in the test database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from stdnum.cn import ric

from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind


def make_resident_id(birth: str, sequence: str = "123", area: str = "370782") -> str:
    body = f"{area}{birth}{sequence}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def resident_id() -> Callable[..., str]:
    return make_resident_id


@pytest.fixture
def network(engine: Engine, cli_env: dict[str, str]) -> dict[str, str]:
    """The central library, a town branch and a school library; returns the CLI environment."""
    with UnitOfWork(engine) as uow:
        root = ServicePoint(code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL)
        uow.session.add_all(
            [
                root,
                ServicePoint(code="ZC-XD", name="辛兴镇图书馆", kind=PointKind.BRANCH, parent=root),
                ServicePoint(
                    code="ZC-S01", name="诸城市实验中学图书馆", kind=PointKind.SCHOOL, parent=root
                ),
            ]
        )
        uow.commit()
    return cli_env
