"""Kiosk accounts (自助机账户): add, list, change, and check the login a machine sends in message 93.

Passwords are hashed with the staff accounts' Argon2id hasher. Keyword-only
arguments, a session in, never a commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wenjin.accounts.services import hash_password, password_matches
from wenjin.db.types import utcnow
from wenjin.network.queries import get_point_by_code
from wenjin.protocols.sip2.errors import (
    InvalidKioskLogin,
    KioskLoginRefused,
    KioskLoginTaken,
    KioskNotFound,
    KioskPasswordInvalid,
    UnknownEncoding,
)
from wenjin.protocols.sip2.models import Sip2Account

ENCODINGS = ("utf-8", "gb18030")
_LOGIN = re.compile(r"[A-Za-z0-9._-]{1,40}")
# Verified when the login is unknown, so that a refusal takes as long either way.
_DUMMY_HASH = hash_password("wenjin-no-such-kiosk")


@dataclass(frozen=True)
class Kiosk:
    """A logged-in kiosk, as the server keeps it for the length of a connection."""

    account_id: int
    login: str
    point_id: int
    point_code: str
    point_name: str
    encoding: str
    checksums: bool


def kiosk_of(account: Sip2Account) -> Kiosk:
    return Kiosk(
        account_id=account.id,
        login=account.login,
        point_id=account.point_id,
        point_code=account.point.code,
        point_name=account.point.name,
        encoding=account.encoding,
        checksums=account.checksums,
    )


def add_kiosk_account(
    session: Session,
    *,
    login: str,
    password: str,
    point_code: str,
    encoding: str = "utf-8",
    checksums: bool = False,
) -> Sip2Account:
    login = login.strip()
    if not _LOGIN.fullmatch(login):
        raise InvalidKioskLogin(login)
    _checked_password(password)
    encoding = _checked_encoding(encoding)
    if session.scalar(select(Sip2Account.id).where(Sip2Account.login == login)) is not None:
        raise KioskLoginTaken(login)
    point = get_point_by_code(session, point_code.strip())
    account = Sip2Account(
        login=login,
        password_hash=hash_password(password),
        point=point,
        encoding=encoding,
        checksums=checksums,
        active=True,
    )
    session.add(account)
    session.flush()
    return account


def _checked_password(password: str) -> str:
    if len(password) < 6 or len(password) > 200 or "|" in password:
        raise KioskPasswordInvalid()
    return password


def _checked_encoding(encoding: str) -> str:
    encoding = encoding.strip().lower().replace("_", "-")
    if encoding not in ENCODINGS:
        raise UnknownEncoding(encoding, ", ".join(ENCODINGS))
    return encoding


def get_kiosk_account(session: Session, login: str) -> Sip2Account:
    account = session.scalars(
        select(Sip2Account)
        .where(Sip2Account.login == login.strip())
        .options(selectinload(Sip2Account.point))
    ).one_or_none()
    if account is None:
        raise KioskNotFound(login)
    return account


def change_kiosk_account(
    session: Session,
    *,
    login: str,
    point_code: str | None = None,
    encoding: str | None = None,
    checksums: bool | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> Sip2Account:
    """Move a kiosk to another point, change its text encoding or checksum rule, switch it
    off or on, or give it a new password; what is None stays as it is. A machine already
    connected keeps its session until it logs in again."""
    account = get_kiosk_account(session, login)
    if point_code is not None:
        account.point = get_point_by_code(session, point_code.strip())
    if encoding is not None:
        account.encoding = _checked_encoding(encoding)
    if checksums is not None:
        account.checksums = checksums
    if active is not None:
        account.active = active
    if password is not None:
        account.password_hash = hash_password(_checked_password(password))
    session.flush()
    return account


def list_kiosk_accounts(session: Session) -> list[Sip2Account]:
    return list(
        session.scalars(
            select(Sip2Account).options(selectinload(Sip2Account.point)).order_by(Sip2Account.login)
        )
    )


def authenticate_kiosk(session: Session, *, login: str, password: str) -> Kiosk:
    """The kiosk whose login and password these are; :class:`KioskLoginRefused` otherwise."""
    account = session.scalars(
        select(Sip2Account)
        .where(Sip2Account.login == login.strip())
        .options(selectinload(Sip2Account.point))
    ).one_or_none()
    if account is None:
        password_matches(_DUMMY_HASH, password)
        raise KioskLoginRefused()
    if not password_matches(account.password_hash, password) or not account.active:
        raise KioskLoginRefused()
    account.last_login_at = utcnow()
    return kiosk_of(account)


def kiosk_summary(account: Sip2Account) -> dict[str, Any]:
    """A kiosk account as the CLI's ``--json``, the API and the staff page show it (never
    the password)."""
    return {
        "login": account.login,
        "point": account.point.code,
        "point_name": account.point.name,
        "encoding": account.encoding,
        "checksums": account.checksums,
        "active": account.active,
        "last_login_at": account.last_login_at,
    }
