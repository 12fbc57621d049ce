"""Web sessions of staff and readers: opened, found, idle, ended (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from wenjin.accounts.models import WebSession
from wenjin.accounts.queries import get_account
from wenjin.accounts.services import (
    WEB_SESSION_LIFETIME,
    create_account,
    disable_account,
    end_web_session,
    open_web_session,
    resolve_web_session,
    set_password,
)
from wenjin.accounts.states import Role
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind

MakeUoW = Callable[..., UnitOfWork]
IDLE = timedelta(minutes=30)


@pytest.fixture
def account_id(uow: MakeUoW) -> int:
    with uow() as work:
        work.session.add(ServicePoint(code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL))
        work.session.flush()
        account = create_account(
            work.session,
            username="zhao.min",
            display_name="赵敏",
            password="诸城图书馆借还书2026",
            role=Role.DESK,
            scope="ZC",
        )
        work.commit()
        return account.id


def _open(uow: MakeUoW, account_id: int, now=None) -> str:  # type: ignore[no-untyped-def]
    with uow() as work:
        token = open_web_session(work.session, kind="staff", staff_account_id=account_id, now=now)
        work.commit()
    return token


def test_a_session_is_found_by_its_cookie_and_only_its_hash_is_kept(
    uow: MakeUoW, account_id: int
) -> None:
    token = _open(uow, account_id)
    with uow() as work:
        found = resolve_web_session(work.session, token=token, kind="staff", idle=IDLE)
        assert found is not None
        assert found.staff_account_id == account_id
        assert token not in {row.token_hash for row in work.session.scalars(select(WebSession))}
        assert resolve_web_session(work.session, token=token, kind="reader", idle=IDLE) is None
        assert resolve_web_session(work.session, token="wj_forged", kind="staff", idle=IDLE) is None


def test_an_idle_session_ends_and_stays_ended(uow: MakeUoW, account_id: int) -> None:
    start = utcnow()
    token = _open(uow, account_id, now=start)
    with uow() as work:
        later = start + IDLE + timedelta(seconds=1)
        assert (
            resolve_web_session(work.session, token=token, kind="staff", idle=IDLE, now=later)
            is None
        )
        work.commit()
    with uow() as work:
        assert (
            resolve_web_session(work.session, token=token, kind="staff", idle=IDLE, now=start)
            is None
        )


def test_use_keeps_a_session_alive_until_its_lifetime_ends(uow: MakeUoW, account_id: int) -> None:
    start = utcnow()
    token = _open(uow, account_id, now=start)
    moment = start
    while moment + IDLE / 2 < start + WEB_SESSION_LIFETIME:
        moment += IDLE / 2
        with uow() as work:
            assert resolve_web_session(
                work.session, token=token, kind="staff", idle=IDLE, now=moment
            ), moment
            work.commit()
    with uow() as work:
        end = start + WEB_SESSION_LIFETIME
        assert (
            resolve_web_session(work.session, token=token, kind="staff", idle=IDLE, now=end) is None
        )


def test_logout_ends_the_session(uow: MakeUoW, account_id: int) -> None:
    token = _open(uow, account_id)
    with uow() as work:
        end_web_session(work.session, token=token)
        end_web_session(work.session, token=token)  # twice: nothing more happens
        work.commit()
    with uow() as work:
        assert resolve_web_session(work.session, token=token, kind="staff", idle=IDLE) is None


def test_a_new_password_or_disabling_the_account_signs_every_browser_out(
    uow: MakeUoW, account_id: int
) -> None:
    first, second = _open(uow, account_id), _open(uow, account_id)
    with uow() as work:
        set_password(
            work.session, account=get_account(work.session, "zhao.min"), password="新的密码Zc2026!"
        )
        work.commit()
    third = _open(uow, account_id)
    with uow() as work:
        assert resolve_web_session(work.session, token=first, kind="staff", idle=IDLE) is None
        assert resolve_web_session(work.session, token=second, kind="staff", idle=IDLE) is None
        assert resolve_web_session(work.session, token=third, kind="staff", idle=IDLE) is not None
        disable_account(work.session, account=get_account(work.session, "zhao.min"))
        work.commit()
    with uow() as work:
        assert resolve_web_session(work.session, token=third, kind="staff", idle=IDLE) is None


def test_a_session_names_exactly_one_kind_of_person(uow: MakeUoW, account_id: int) -> None:
    with uow() as work, pytest.raises(ValueError, match="staff_account_id"):
        open_web_session(work.session, kind="reader", staff_account_id=account_id)
