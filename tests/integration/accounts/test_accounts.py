"""Staff accounts, passwords, lockout and API tokens on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from wenjin.accounts.errors import (
    AccountDisabled,
    AccountLocked,
    TokenAlreadyRevoked,
    UsernameTaken,
    WeakPassword,
    WrongCredentials,
)
from wenjin.accounts.models import ApiToken
from wenjin.accounts.queries import get_account
from wenjin.accounts.services import (
    authenticate,
    create_account,
    disable_account,
    issue_token,
    record_token_use,
    resolve_token,
    revoke_token,
    set_password,
)
from wenjin.accounts.states import Role
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind

PASSWORD = "诸城图书馆借还书2026"
MakeUoW = Callable[..., UnitOfWork]


@pytest.fixture
def desk(uow: MakeUoW) -> str:
    with uow() as work:
        central = ServicePoint(code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL)
        work.session.add(
            ServicePoint(code="ZC-XX", name="辛兴镇图书馆", kind=PointKind.BRANCH, parent=central)
        )
        work.session.flush()
        create_account(
            work.session,
            username="wang.li",
            display_name="王丽",
            password=PASSWORD,
            role=Role.DESK,
            scope="ZC-XX",
        )
        work.commit()
    return "wang.li"


def test_an_account_keeps_an_argon2_hash_and_its_scope(uow: MakeUoW, desk: str) -> None:
    with uow(readonly=True) as work:
        account = get_account(work.session, desk)
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
        assert account.scope_point is not None
        assert account.scope_point.code == "ZC-XX"
        assert account.role is Role.DESK


def test_a_username_is_taken_once_and_a_weak_password_refused(uow: MakeUoW, desk: str) -> None:
    with uow() as work:
        with pytest.raises(UsernameTaken):
            create_account(
                work.session, username=desk, display_name="另一个", password=PASSWORD, role="desk"
            )
        with pytest.raises(WeakPassword, match="10"):
            create_account(
                work.session, username="li.na", display_name="李娜", password="123", role="desk"
            )


def test_the_right_password_signs_in_and_names_the_actor(uow: MakeUoW, desk: str) -> None:
    with uow() as work:
        outcome = authenticate(work.session, username=desk, password=PASSWORD)
        work.commit()
    assert outcome.refusal is None
    assert outcome.actor is not None
    assert outcome.actor.scope_point_code == "ZC-XX"
    with uow(readonly=True) as work:
        assert get_account(work.session, desk).last_login_at is not None


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    uow: MakeUoW, desk: str
) -> None:
    now = utcnow()
    for attempt in range(5):
        with uow() as work:
            outcome = authenticate(work.session, username=desk, password="wrong-pass", now=now)
            work.commit()
        expected = AccountLocked if attempt == 4 else WrongCredentials
        assert isinstance(outcome.refusal, expected)
    with uow() as work:
        locked = authenticate(work.session, username=desk, password=PASSWORD, now=now)
        assert isinstance(locked.refusal, AccountLocked)
        later = authenticate(
            work.session, username=desk, password=PASSWORD, now=now + timedelta(minutes=16)
        )
        assert later.actor is not None


def test_a_new_password_lifts_the_lock(uow: MakeUoW, desk: str) -> None:
    with uow() as work:
        for _ in range(5):
            authenticate(work.session, username=desk, password="wrong-pass")
        set_password(
            work.session,
            account=get_account(work.session, desk),
            password="新的密码：春风十里不如你",
        )
        assert authenticate(work.session, username=desk, password="新的密码：春风十里不如你").actor
        work.commit()


def test_an_unknown_user_is_refused_like_a_wrong_password(uow: MakeUoW, desk: str) -> None:
    with uow() as work:
        outcome = authenticate(work.session, username="nobody", password=PASSWORD)
    assert isinstance(outcome.refusal, WrongCredentials)


def test_a_token_resolves_to_its_account_until_revoked(uow: MakeUoW, desk: str) -> None:
    with uow() as work:
        issued = issue_token(
            work.session, account=get_account(work.session, desk), name="自助借还机", days=30
        )
        work.commit()
    with uow(readonly=True) as work:
        stored = work.session.get(ApiToken, issued.row.id)
        assert stored is not None
        assert stored.token_hash != issued.token
        prefix = stored.prefix
        assert issued.token.startswith(prefix)
        resolved = resolve_token(work.session, token=issued.token)
        assert resolved is not None
        assert resolved.actor.username == desk
        assert resolved.use_to_record
        assert resolve_token(work.session, token=issued.token[:-1] + "x") is None
    with uow() as work:
        record_token_use(work.session, token_id=issued.row.id)
        work.commit()
    with uow() as work:
        resolved = resolve_token(work.session, token=issued.token)
        assert resolved is not None
        assert not resolved.use_to_record
        revoke_token(work.session, account=get_account(work.session, desk), token=prefix)
        assert resolve_token(work.session, token=issued.token) is None
        with pytest.raises(TokenAlreadyRevoked):
            revoke_token(work.session, account=get_account(work.session, desk), token=issued.row.id)
        work.commit()


def test_expired_tokens_and_disabled_accounts_resolve_to_nobody(uow: MakeUoW, desk: str) -> None:
    with uow() as work:
        account = get_account(work.session, desk)
        issued = issue_token(work.session, account=account, name="报表脚本", days=1)
        later = utcnow() + timedelta(days=2)
        assert resolve_token(work.session, token=issued.token, now=later) is None
        assert resolve_token(work.session, token=issued.token) is not None
        disable_account(work.session, account=account)
        assert resolve_token(work.session, token=issued.token) is None
        with pytest.raises(AccountDisabled):
            issue_token(work.session, account=account, name="another")
        assert isinstance(
            authenticate(work.session, username=desk, password=PASSWORD).refusal, AccountDisabled
        )
