"""Fixtures for ``wenjin catalog`` and ``wenjin item``: a small network in the test database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind


@pytest.fixture
def network(engine: Engine, cli_env: dict[str, str]) -> dict[str, str]:
    """ZC (the network), ZX (central), CC (a town branch), BNU (for the samples' 905 $a)."""
    with UnitOfWork(engine) as uow:
        root = ServicePoint(code="ZC", name="诸城市图书馆总分馆", kind=PointKind.NETWORK)
        uow.session.add_all(
            [
                root,
                ServicePoint(code="ZX", name="诸城市图书馆", kind=PointKind.CENTRAL, parent=root),
                ServicePoint(code="CC", name="昌城镇图书馆", kind=PointKind.BRANCH, parent=root),
                ServicePoint(code="BNU", name="北师大（样例）", kind=PointKind.BRANCH, parent=root),
            ]
        )
        uow.commit()
    return cli_env
