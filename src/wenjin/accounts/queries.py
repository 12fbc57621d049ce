"""Read side of the accounts domain: accounts, tokens, and where a point sits in the tree."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wenjin.accounts.errors import AccountNotFound
from wenjin.accounts.models import ApiToken, StaffAccount
from wenjin.accounts.rules import Actor, Place
from wenjin.network.models import ServicePoint
from wenjin.network.queries import ancestors, get_point_by_code


def get_account(session: Session, username: str) -> StaffAccount:
    account = session.scalars(
        select(StaffAccount)
        .where(StaffAccount.username == username.strip())
        .options(selectinload(StaffAccount.scope_point))
    ).one_or_none()
    if account is None:
        raise AccountNotFound(username.strip())
    return account


def list_accounts(session: Session, *, include_disabled: bool = True) -> list[StaffAccount]:
    query = select(StaffAccount).options(selectinload(StaffAccount.scope_point))
    if not include_disabled:
        query = query.where(StaffAccount.active.is_(True))
    return list(session.scalars(query.order_by(StaffAccount.username)))


def tokens_of(session: Session, account_id: int) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.account_id == account_id).order_by(ApiToken.id)
        )
    )


def actor_of(account: StaffAccount) -> Actor:
    return Actor(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        scope_point_id=account.scope_point_id,
        scope_point_code=account.scope_point.code if account.scope_point else None,
    )


def place_of_point(session: Session, point: ServicePoint) -> Place:
    """The point with the ids above it (one recursive query), for :func:`rules.may`."""
    return Place(
        point_id=point.id,
        code=point.code,
        name=point.name,
        ancestor_ids=frozenset(p.id for p in ancestors(session, point)),
    )


def place_of(session: Session, code: str) -> Place:
    """The place of the point with ``code``; PointNotFound for an unknown code."""
    return place_of_point(session, get_point_by_code(session, code))
