"""Use cases of the accounts domain. Keyword-only arguments, a session in, never a commit.

:func:`authenticate` reports a refused login instead of raising it, because the
failure itself must be kept (the failed count, the lock): the caller commits,
then refuses.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wenjin.accounts.errors import (
    AccountDisabled,
    AccountError,
    AccountLocked,
    InvalidAccountField,
    InvalidUsername,
    LastAdministrator,
    OwnAccount,
    PasswordsDiffer,
    TokenAlreadyRevoked,
    TokenNotFound,
    UnknownRole,
    UsernameTaken,
    WeakPassword,
    WrongCredentials,
    WrongCurrentPassword,
)
from wenjin.accounts.models import ApiToken, StaffAccount, WebSession
from wenjin.accounts.queries import actor_of
from wenjin.accounts.rules import (
    Actor,
    after_failed_login,
    is_locked,
    looks_like_token,
    new_token,
    password_problem,
    token_display,
    token_hash,
    token_usable,
    username_valid,
)
from wenjin.accounts.states import Role
from wenjin.db.types import utcnow
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code

# Argon2id with the library's defaults (RFC 9106 low-memory profile), as for readers' PINs.
_hasher = PasswordHasher()
# Verified when the username is unknown, so that a refusal takes as long either way.
_DUMMY_HASH = _hasher.hash("wenjin-no-such-account")
# last_used_at is kept to the minute or so: not every request needs to write.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
MAX_TOKEN_DAYS = 3650
# A web session's last_seen_at is written at most this often (idle expiry is in minutes).
WEB_SESSION_TOUCH = timedelta(minutes=1)
# However active, a browser signs in again after this long.
WEB_SESSION_LIFETIME = timedelta(hours=12)
WEB_SESSION_KINDS = ("staff", "reader")


def hash_password(password: str) -> str:
    return _hasher.hash(_normal(password))


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, _normal(password))
    except (VerificationError, InvalidHashError):
        return False


def _normal(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UnknownRole(str(role), ", ".join(r.value for r in Role)) from None


def _checked_password(password: str, username: str) -> str:
    problem = password_problem(_normal(password), username)
    if problem is not None:
        raise WeakPassword(*problem)
    return hash_password(password)


def create_account(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    role: Role | str,
    scope: str | ServicePoint | None = None,
) -> StaffAccount:
    """开通员工账户. ``scope`` is a point code (the account works there and below) or None."""
    name = username.strip()
    if not username_valid(name):
        raise InvalidUsername(name)
    if session.scalar(select(StaffAccount.id).where(StaffAccount.username == name)) is not None:
        raise UsernameTaken(name)
    shown = " ".join(display_name.split())
    if not shown or len(shown) > 100:
        raise InvalidAccountField(
            "姓名", "display name", "请填写1到100个字符", "give 1 to 100 characters"
        )
    point = get_point_by_code(session, scope) if isinstance(scope, str) else scope
    account = StaffAccount(
        username=name,
        display_name=shown,
        password_hash=_checked_password(password, name),
        role=_role(role),
        scope_point=point,
        active=True,
        failed_logins=0,
    )
    session.add(account)
    session.flush()
    return account


def set_password(session: Session, *, account: StaffAccount, password: str) -> None:
    """A new password; it also lifts a login lock."""
    account.password_hash = _checked_password(password, account.username)
    account.failed_logins = 0
    account.locked_until = None
    session.flush()
    end_web_sessions_of(session, staff_account_id=account.id)


def change_own_password(
    session: Session, *, account: StaffAccount, current: str, new: str, repeated: str
) -> None:
    """修改本人密码: the current password first, the new one twice; every browser of the
    account is signed out (it signs in again with the new password)."""
    if not password_matches(account.password_hash, current):
        raise WrongCurrentPassword()
    if _normal(new) != _normal(repeated):
        raise PasswordsDiffer()
    set_password(session, account=account, password=new)


def _keeps_an_administrator(session: Session, account: StaffAccount) -> None:
    """Refuse to take away the last active network administrator (no one could manage
    accounts afterwards but from the command line)."""
    if not (account.active and account.role is Role.ADMIN and account.scope_point_id is None):
        return
    others = session.scalar(
        select(func.count(StaffAccount.id)).where(
            StaffAccount.id != account.id,
            StaffAccount.active.is_(True),
            StaffAccount.role == Role.ADMIN,
            StaffAccount.scope_point_id.is_(None),
        )
    )
    if not others:
        raise LastAdministrator(account.username)


def change_role(
    session: Session,
    *,
    account: StaffAccount,
    role: Role | str,
    scope: str | ServicePoint | None = None,
) -> StaffAccount:
    """改角色和范围: ``scope`` is a point code (the account works there and below) or None
    for the whole network. Takes effect at the account's next request."""
    new_role = _role(role)
    point = get_point_by_code(session, scope) if isinstance(scope, str) else scope
    if new_role is not Role.ADMIN or point is not None:
        _keeps_an_administrator(session, account)
    account.role = new_role
    account.scope_point = point
    session.flush()
    return account


def disable_account(
    session: Session, *, account: StaffAccount, acting_account_id: int | None = None
) -> None:
    """停用: the account can no longer sign in, its tokens stop working and its
    browsers are signed out. A member of staff acting in the client or the API
    (``acting_account_id``) cannot disable their own account."""
    if not account.active:
        raise AccountDisabled(account.username)
    if acting_account_id is not None and acting_account_id == account.id:
        raise OwnAccount(account.username)
    account.active = False
    session.flush()
    end_web_sessions_of(session, staff_account_id=account.id)


@dataclass(frozen=True)
class LoginOutcome:
    actor: Actor | None
    refusal: AccountError | None


def authenticate(
    session: Session, *, username: str, password: str, now: datetime | None = None
) -> LoginOutcome:
    """Check a username and password, counting failures; five in a row lock for 15 minutes.

    A locked account is refused even with the right password until the lock ends.
    """
    now = now or utcnow()
    account = session.scalars(
        select(StaffAccount)
        .where(StaffAccount.username == username.strip())
        .options(selectinload(StaffAccount.scope_point))
    ).one_or_none()
    if account is None:
        password_matches(_DUMMY_HASH, password)
        return LoginOutcome(None, WrongCredentials())
    if is_locked(account.locked_until, now):
        assert account.locked_until is not None
        return LoginOutcome(None, AccountLocked(account.locked_until))
    if not password_matches(account.password_hash, password):
        account.failed_logins, account.locked_until = after_failed_login(account.failed_logins, now)
        session.flush()
        if account.locked_until is not None:
            return LoginOutcome(None, AccountLocked(account.locked_until))
        return LoginOutcome(None, WrongCredentials())
    if not account.active:
        return LoginOutcome(None, AccountDisabled(account.username))
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = now
    session.flush()
    return LoginOutcome(actor_of(account), None)


@dataclass(frozen=True)
class IssuedToken:
    """The token in clear (shown once, never stored) and its row."""

    token: str
    row: ApiToken


def issue_token(
    session: Session,
    *,
    account: StaffAccount,
    name: str,
    days: int | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    """A new API token for ``account``; the clear token is returned here and only here."""
    now = now or utcnow()
    label = " ".join(name.split())
    if not label or len(label) > 100:
        raise InvalidAccountField(
            "令牌名称", "token name", "请填写1到100个字符", "give 1 to 100 characters"
        )
    if days is not None and not 0 < days <= MAX_TOKEN_DAYS:
        raise InvalidAccountField(
            "有效天数",
            "days",
            f"应为1到{MAX_TOKEN_DAYS}天",
            f"use 1 to {MAX_TOKEN_DAYS} days",
        )
    if not account.active:
        raise AccountDisabled(account.username)
    clear = new_token()
    row = ApiToken(
        name=label,
        token_hash=token_hash(clear),
        prefix=token_display(clear),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    account.tokens.append(row)
    session.flush()
    return IssuedToken(token=clear, row=row)


def _find_token(session: Session, account: StaffAccount, ref: str) -> ApiToken:
    """A token of ``account`` by id or by its displayed prefix."""
    text = ref.strip()
    for row in account.tokens:
        if str(row.id) == text or row.prefix == text:
            return row
    raise TokenNotFound(text)


def revoke_token(
    session: Session, *, account: StaffAccount, token: str | int, now: datetime | None = None
) -> ApiToken:
    """吊销: the token stops working at once. ``token`` is its id or displayed prefix."""
    row = _find_token(session, account, str(token))
    if row.revoked_at is not None:
        raise TokenAlreadyRevoked(row.prefix)
    row.revoked_at = now or utcnow()
    session.flush()
    return row


@dataclass(frozen=True)
class ResolvedToken:
    actor: Actor
    token_id: int
    use_to_record: bool  # last_used_at is older than TOKEN_USE_RESOLUTION


def resolve_token(
    session: Session, *, token: str, now: datetime | None = None
) -> ResolvedToken | None:
    """Who a clear token belongs to; None when it is unknown, expired, revoked or its
    account is disabled. Reads only: :func:`record_token_use` keeps ``last_used_at``."""
    now = now or utcnow()
    if not looks_like_token(token):
        return None
    row = session.scalars(
        select(ApiToken)
        .where(ApiToken.token_hash == token_hash(token))
        .options(selectinload(ApiToken.account).selectinload(StaffAccount.scope_point))
    ).one_or_none()
    if row is None or not token_usable(
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        account_active=row.account.active,
        now=now,
    ):
        return None
    stale = row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION
    return ResolvedToken(actor=actor_of(row.account), token_id=row.id, use_to_record=stale)


def record_token_use(session: Session, *, token_id: int, now: datetime | None = None) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None:
        row.last_used_at = now or utcnow()
        session.flush()


def open_web_session(
    session: Session,
    *,
    kind: str,
    staff_account_id: int | None = None,
    patron_id: int | None = None,
    now: datetime | None = None,
) -> str:
    """Sign a browser in: returns the cookie value (only its hash is stored)."""
    if kind not in WEB_SESSION_KINDS:
        raise ValueError(f"unknown web session kind {kind!r}")
    if (kind == "staff") != (staff_account_id is not None) or (kind == "reader") != (
        patron_id is not None
    ):
        raise ValueError("a staff session needs staff_account_id, a reader session patron_id")
    now = now or utcnow()
    token = new_token()
    session.add(
        WebSession(
            token_hash=token_hash(token),
            kind=kind,
            staff_account_id=staff_account_id,
            patron_id=patron_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + WEB_SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def resolve_web_session(
    session: Session,
    *,
    token: str,
    kind: str,
    idle: timedelta,
    now: datetime | None = None,
) -> WebSession | None:
    """The live session a cookie names, or None: unknown, ended, too old or idle too long.

    A session found idle or past its lifetime is ended here, so that it stays ended
    even if the clock or the idle setting changes afterwards.
    """
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    row = session.scalars(
        select(WebSession).where(
            WebSession.token_hash == token_hash(token),
            WebSession.kind == kind,
            WebSession.ended_at.is_(None),
        )
    ).one_or_none()
    if row is None:
        return None
    if now >= row.expires_at or now - row.last_seen_at > idle:
        row.ended_at = now
        session.flush()
        return None
    if now - row.last_seen_at >= WEB_SESSION_TOUCH:
        row.last_seen_at = now
        session.flush()
    return row


def end_web_session(session: Session, *, token: str, now: datetime | None = None) -> None:
    """Log a browser out; an unknown or already ended session is left as it is."""
    row = session.scalars(
        select(WebSession).where(
            WebSession.token_hash == token_hash(token), WebSession.ended_at.is_(None)
        )
    ).one_or_none()
    if row is not None:
        row.ended_at = now or utcnow()
        session.flush()


def end_web_sessions_of(
    session: Session,
    *,
    staff_account_id: int | None = None,
    patron_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """End every live session of a member of staff or a reader (password or PIN changed,
    account disabled); returns how many were ended."""
    query = select(WebSession).where(WebSession.ended_at.is_(None))
    if staff_account_id is not None:
        query = query.where(WebSession.staff_account_id == staff_account_id)
    elif patron_id is not None:
        query = query.where(WebSession.patron_id == patron_id)
    else:
        raise ValueError("name a staff account or a patron")
    now = now or utcnow()
    rows = session.scalars(query).all()
    for row in rows:
        row.ended_at = now
    session.flush()
    return len(rows)
