"""The audit trail (操作日志): every change outside circulation is kept with who made it,
in the same transaction, and can never be changed afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from wenjin.accounts.services import create_account, set_password
from wenjin.accounts.states import Role
from wenjin.audit.errors import AuditTrailIsAppendOnly
from wenjin.audit.models import AuditEvent
from wenjin.audit.queries import audit_trail, count_audit_trail
from wenjin.audit.rules import SECRET
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.network.services import add_closed_days, create_point, remove_closed_days, update_point
from wenjin.network.states import PointKind
from wenjin.patrons.models import Patron
from wenjin.patrons.services import change_pin, ensure_default_categories, register_patron

PASSWORD = "诸城图书馆借还书2026"


@pytest.fixture
def central(engine: Engine) -> Engine:
    with UnitOfWork(engine, actor="setup") as uow:
        uow.session.add(ServicePoint(code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL))
        ensure_default_categories(uow.session)
        uow.commit()
    return engine


def _entries(engine: Engine, **filters: object) -> list:
    with UnitOfWork(engine, readonly=True) as uow:
        return audit_trail(uow.session, **filters)  # type: ignore[arg-type]


def test_a_new_point_is_recorded_with_the_account_that_made_it(central: Engine) -> None:
    with UnitOfWork(central, actor="wang.li") as uow:
        root = get_point_by_code(uow.session, "ZC")
        create_point(
            uow.session, code="ZC-XZ", name="相州镇图书馆", kind=PointKind.BRANCH, parent=root
        )
        uow.commit()
    [entry] = _entries(central, entity="service_points", actor="wang.li")
    assert entry.action == "created"
    assert entry.label == "ZC-XZ"
    assert entry.after is not None
    assert entry.after["name"] == "相州镇图书馆"
    assert "created_at" not in entry.after


def test_a_change_keeps_only_the_changed_columns_before_and_after(central: Engine) -> None:
    with UnitOfWork(central, actor="admin") as uow:
        point = get_point_by_code(uow.session, "ZC")
        update_point(uow.session, point=point, phone="0536-6062345")
        uow.commit()
    [entry] = _entries(central, entity="service_points", actor="admin")
    assert entry.action == "changed"
    assert entry.before == {"phone": None}
    assert entry.after == {"phone": "0536-6062345"}


def test_closing_and_reopening_a_day_are_both_recorded(central: Engine) -> None:
    with UnitOfWork(central, actor="admin") as uow:
        point = get_point_by_code(uow.session, "ZC")
        add_closed_days(uow.session, point=point, start=date(2026, 10, 1), reason="国庆节")
        uow.commit()
    with UnitOfWork(central, actor="admin") as uow:
        point = get_point_by_code(uow.session, "ZC")
        remove_closed_days(uow.session, point=point, start=date(2026, 10, 1))
        uow.commit()
    entries = _entries(central, entity="closed_days")
    assert [e.action for e in entries] == ["removed", "created"]
    assert entries[0].before is not None
    assert entries[0].before["reason"] == "国庆节"


def test_a_pin_or_password_change_is_recorded_without_the_secret(central: Engine) -> None:
    with UnitOfWork(central, actor="desk") as uow:
        patron = register_patron(
            uow.session,
            card_number="ZC00012345",
            name="李秀英",
            category="adult",
            home_point="ZC",
            pin="135790",
        )
        account = create_account(
            uow.session,
            username="zhao.min",
            display_name="赵敏",
            password=PASSWORD,
            role=Role.CATALOGUER,
        )
        uow.commit()
        patron_id, account_id = patron.id, account.id
    with UnitOfWork(central, actor="desk") as uow:
        patron = uow.session.get(Patron, patron_id)
        assert patron is not None
        change_pin(uow.session, patron=patron, new_pin="246801", current_pin="135790")
        account = uow.session.get(type(account), account_id)
        set_password(uow.session, account=account, password="另一个够长的密码2026")
        uow.commit()
    with UnitOfWork(central, readonly=True) as uow:
        dumped = repr([(e.before, e.after) for e in uow.session.scalars(select(AuditEvent))])
    assert "135790" not in dumped
    assert "246801" not in dumped
    assert "argon2" not in dumped
    [pin_change] = _entries(central, entity="patrons", entity_id=patron_id, actor="desk")[:1]
    assert pin_change.after == {"pin_hash": SECRET}
    [password_change] = _entries(central, entity="staff_accounts", entity_id=account_id)[:1]
    assert password_change.after == {"password_hash": SECRET}


def test_bookkeeping_columns_leave_no_entry(central: Engine) -> None:
    with UnitOfWork(central) as uow:
        patron = register_patron(
            uow.session, card_number="ZC00012346", name="王强", category="adult", home_point="ZC"
        )
        uow.commit()
        patron_id = patron.id
    before = _count(central)
    with UnitOfWork(central) as uow:
        patron = uow.session.get(Patron, patron_id)
        assert patron is not None
        patron.failed_pins = 3
        uow.commit()
    assert _count(central) == before


def test_nothing_is_recorded_when_the_change_is_rolled_back(central: Engine) -> None:
    before = _count(central)
    with UnitOfWork(central, actor="admin") as uow:
        point = get_point_by_code(uow.session, "ZC")
        update_point(uow.session, point=point, phone="0536-1111111")
        uow.session.flush()
    assert _count(central) == before


def test_the_trail_is_append_only_in_the_orm_and_in_the_database(central: Engine) -> None:
    with UnitOfWork(central, actor="admin") as uow:
        update_point(uow.session, point=get_point_by_code(uow.session, "ZC"), phone="0536-2")
        uow.commit()
    with UnitOfWork(central) as uow:
        entry = uow.session.scalars(select(AuditEvent)).first()
        assert entry is not None
        entry.actor = "somebody else"
        with pytest.raises(AuditTrailIsAppendOnly):
            uow.session.flush()
    with pytest.raises(DBAPIError), central.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'x'"))
    with pytest.raises(DBAPIError), central.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))


def _count(engine: Engine) -> int:
    with UnitOfWork(engine, readonly=True) as uow:
        return count_audit_trail(uow.session)


def test_count_matches_the_rows(central: Engine) -> None:
    with UnitOfWork(central, readonly=True) as uow:
        assert count_audit_trail(uow.session) == uow.session.scalar(
            select(func.count(AuditEvent.id))
        )
