"""Prepared statements give the same rows as SQLAlchemy's own execution, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, bindparam, func, insert, inspect, literal, select, update

from wenjin.db.fastsql import Loader, Prepared, flush_pending
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ClosedDay, ServicePoint
from wenjin.network.states import PointKind

_sp = ServicePoint.__table__
_closed = ClosedDay.__table__


def _central(engine: Engine) -> int:
    with UnitOfWork(engine) as uow:
        point = ServicePoint(
            code="ZX",
            name="诸城市图书馆",
            kind=PointKind.CENTRAL,
            opening_hours={"mon": "09:00-17:00"},
        )
        uow.session.add(point)
        uow.session.flush()
        point_id = point.id
        uow.commit()
    return point_id


def test_a_prepared_select_returns_what_sqlalchemy_returns(engine: Engine) -> None:
    point_id = _central(engine)
    statement = select(
        _sp.c.id,
        _sp.c.code,
        _sp.c.kind,
        _sp.c.lends,
        _sp.c.opening_hours,
        _sp.c.created_at,
        literal(7).label("seven"),
    ).where(_sp.c.code == bindparam("code"))
    with UnitOfWork(engine, readonly=True) as uow:
        ours = Prepared(statement).first(uow.session, {"code": "ZX"})
        theirs = uow.session.connection().execute(statement, {"code": "ZX"}).one()
    assert tuple(ours) == tuple(theirs)
    assert ours.id == point_id
    assert ours.kind is PointKind.CENTRAL
    assert ours.opening_hours == {"mon": "09:00-17:00"}
    assert ours.created_at.tzinfo is not None
    assert ours.seven == 7


def test_a_prepared_select_with_no_match_gives_none(engine: Engine) -> None:
    _central(engine)
    statement = Prepared(select(_sp.c.id).where(_sp.c.code == bindparam("code")))
    with UnitOfWork(engine, readonly=True) as uow:
        assert statement.first(uow.session, {"code": "NOPE"}) is None
        assert statement.scalar(uow.session, {"code": "NOPE"}) is None
        assert statement.all(uow.session, {"code": "NOPE"}) == []


def test_a_prepared_insert_returns_the_new_id_and_takes_dates_and_aware_times(
    engine: Engine,
) -> None:
    point_id = _central(engine)
    add_day = Prepared(
        insert(_closed)
        .values(point_id=bindparam("p"), day=bindparam("d"), reason=bindparam("r"))
        .returning(_closed.c.id)
    )
    touch = Prepared(
        update(_sp).where(_sp.c.id == bindparam("_id")).values(updated_at=bindparam("at"))
    )
    moment = datetime(2026, 2, 17, 1, 30, tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        new_id = add_day.scalar(
            uow.session, {"p": point_id, "d": moment.date(), "r": "春节 Spring Festival"}
        )
        assert touch.rowcount(uow.session, {"_id": point_id, "at": moment}) == 1
        assert touch.rowcount(uow.session, {"_id": point_id + 99, "at": moment}) == 0
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        day = uow.session.get(ClosedDay, new_id)
        assert day is not None
        assert day.day == moment.date()
        point = uow.session.get(ServicePoint, point_id)
        assert point is not None
        assert point.updated_at == moment
        count = Prepared(select(func.count(_closed.c.id))).scalar(uow.session)
        assert count == 1


def test_a_prepared_statement_sees_the_writes_of_its_own_transaction(engine: Engine) -> None:
    point_id = _central(engine)
    rename = Prepared(update(_sp).where(_sp.c.id == bindparam("_id")).values(name=bindparam("n")))
    read = Prepared(select(_sp.c.name).where(_sp.c.id == bindparam("_id")))
    with UnitOfWork(engine) as uow:
        rename.rowcount(uow.session, {"_id": point_id, "n": "诸城市图书馆（新馆）"})
        assert read.scalar(uow.session, {"_id": point_id}) == "诸城市图书馆（新馆）"
        uow.rollback()
        assert read.scalar(uow.session, {"_id": point_id}) == "诸城市图书馆"


_POINTS = Loader(ServicePoint)
_POINT_BY_CODE = Prepared(select(*_POINTS.columns).where(_sp.c.code == bindparam("code")))


def test_a_loaded_row_becomes_a_persistent_object_with_nothing_to_flush(engine: Engine) -> None:
    point_id = _central(engine)
    with UnitOfWork(engine) as uow:
        point = _POINTS.adopt(uow.session, _POINT_BY_CODE.first(uow.session, {"code": "ZX"}))
        assert inspect(point).persistent
        assert point.id == point_id
        assert point.kind is PointKind.CENTRAL
        assert not uow.session.dirty
        assert uow.session.get(ServicePoint, point_id) is point
        point.name = "诸城市图书馆（总馆）"  # an ORM change flushes as usual
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(ServicePoint, point_id).name == "诸城市图书馆（总馆）"


def test_a_row_read_again_refreshes_the_object_already_in_the_session(engine: Engine) -> None:
    point_id = _central(engine)
    with UnitOfWork(engine) as uow:
        earlier = uow.session.get(ServicePoint, point_id)
        uow.session.connection().execute(
            update(_sp).where(_sp.c.id == point_id).values(name="诸城市图书馆新馆")
        )
        again = _POINTS.adopt(uow.session, _POINT_BY_CODE.first(uow.session, {"code": "ZX"}))
        assert again is earlier
        assert again.name == "诸城市图书馆新馆"
        assert not uow.session.dirty


def test_pending_changes_are_flushed_before_a_prepared_read(engine: Engine) -> None:
    point_id = _central(engine)
    with UnitOfWork(engine) as uow:
        uow.session.get(ServicePoint, point_id).name = "改名后的总馆"
        flush_pending(uow.session)
        assert _POINT_BY_CODE.first(uow.session, {"code": "ZX"}).name == "改名后的总馆"
