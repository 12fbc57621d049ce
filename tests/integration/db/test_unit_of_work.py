from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind


def _point(code: str) -> ServicePoint:
    return ServicePoint(code=code, name="测试馆", kind=PointKind.BRANCH)


def test_work_that_is_not_committed_is_rolled_back(uow: Callable[..., UnitOfWork]) -> None:
    with uow() as work:
        work.session.add(_point("T1"))
        work.session.flush()
    with uow(readonly=True) as work:
        assert work.session.scalars(select(ServicePoint)).all() == []


def test_committed_work_is_kept(uow: Callable[..., UnitOfWork]) -> None:
    with uow() as work:
        work.session.add(_point("T2"))
        work.commit()
    with uow(readonly=True) as work:
        assert [p.code for p in work.session.scalars(select(ServicePoint))] == ["T2"]


def test_a_readonly_unit_of_work_refuses_to_commit(uow: Callable[..., UnitOfWork]) -> None:
    with uow(readonly=True) as work, pytest.raises(RuntimeError):
        work.commit()


def test_timestamps_come_back_in_utc(uow: Callable[..., UnitOfWork]) -> None:
    with uow() as work:
        work.session.add(_point("T3"))
        work.commit()
    with uow(readonly=True) as work:
        point = work.session.scalars(select(ServicePoint)).one()
        assert point.created_at.utcoffset() is not None
        assert point.created_at.utcoffset().total_seconds() == 0
