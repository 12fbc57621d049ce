"""The desk's fast reads: a point, a reader's block facts, a lending calendar, in one query each.

A checkout has a budget of 2 ms on SQLite, every rule, block and log entry
included. Loading a reader as ORM objects with their cards, blocks and deposits
costs several queries and most of that budget, so the hot path reads plain
rows with statements built once (SQLAlchemy reuses their compiled form) and
builds the value objects the pure rules take: :class:`PointFacts`,
:class:`~wenjin.patrons.rules.PatronFacts`, :class:`OpeningCalendar`.

They read through the session's connection, skipping the ORM's execution path
(and its autoflush): call them before changing anything in the session.
``tests/integration/circulation/test_lookups.py`` holds them to the same answers
as the patrons and network domains' own (slower) readers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import and_, bindparam, func, literal, literal_column, select
from sqlalchemy.orm import Session, aliased

from wenjin.db.fastsql import Prepared
from wenjin.network.errors import PointNotFound
from wenjin.network.models import ClosedDay, ServicePoint
from wenjin.network.rules import CalendarLevel, OpeningCalendar, inherited_calendar
from wenjin.network.states import PointKind
from wenjin.patrons.errors import CardNotFound
from wenjin.patrons.models import Deposit, Patron, PatronBlock, PatronCard, PatronCategory
from wenjin.patrons.queries import network_date, normalise_card_number
from wenjin.patrons.rules import ManualBlockFacts, PatronFacts
from wenjin.patrons.states import CardStatus, PatronStatus

# --- service points -------------------------------------------------------------


@dataclass(frozen=True)
class PointFacts:
    """A service point as circulation needs it (no ORM object, no lazy loads)."""

    id: int
    code: str
    name: str
    name_en: str | None
    kind: PointKind
    lends: bool
    active: bool


class PointLike(Protocol):
    """What routing needs of a point: a :class:`PointFacts` or a ``ServicePoint`` row."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...


_sp = ServicePoint.__table__
_POINT_COLUMNS = (
    _sp.c.id,
    _sp.c.code,
    _sp.c.name,
    _sp.c.name_en,
    _sp.c.kind,
    _sp.c.lends,
    _sp.c.active,
)
_POINT_BY_CODE = Prepared(select(*_POINT_COLUMNS).where(_sp.c.code == bindparam("code")))
_POINT_BY_ID = Prepared(select(*_POINT_COLUMNS).where(_sp.c.id == bindparam("id")))
_POINT_BY_CODE_ANY_CASE = Prepared(
    select(*_POINT_COLUMNS).where(func.upper(_sp.c.code) == bindparam("code")).limit(2)
)


def _point_facts(row: Any) -> PointFacts:
    return PointFacts(
        id=row.id,
        code=row.code,
        name=row.name,
        name_en=row.name_en,
        kind=PointKind(row.kind),
        lends=row.lends,
        active=row.active,
    )


def point_by_code(session: Session, code: str) -> PointFacts:
    """The point with ``code`` (exactly, else ignoring case when only one matches)."""
    wanted = code.strip()
    row = _POINT_BY_CODE.first(session, {"code": wanted})
    if row is None:
        rows = _POINT_BY_CODE_ANY_CASE.all(session, {"code": wanted.upper()})
        if len(rows) != 1:
            raise PointNotFound(wanted or code)
        row = rows[0]
    return _point_facts(row)


def point_by_id(session: Session, point_id: int) -> PointFacts:
    row = _POINT_BY_ID.first(session, {"id": point_id})
    if row is None:
        raise PointNotFound(f"#{point_id}")
    return _point_facts(row)


def point_facts(point: ServicePoint) -> PointFacts:
    return PointFacts(
        id=point.id,
        code=point.code,
        name=point.name,
        name_en=point.name_en,
        kind=point.kind,
        lends=point.lends,
        active=point.active,
    )


@dataclass(frozen=True)
class ItemTypeFacts:
    """An item type as the checkout checks read it."""

    id: int
    code: str
    name: str
    name_en: str | None
    lendable: bool


# --- readers -----------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryFacts:
    """A patron category as the block rules read it (fits ``patrons.rules.CategoryLike``)."""

    id: int
    code: str
    name: str
    name_en: str
    deposit_fen: int
    credit_based: bool
    expiry_years: int
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class DeskPatron:
    """The reader behind a card: who they are, and the facts their blocks are decided on."""

    patron_id: int
    name: str
    card_id: int
    card_number: str
    card_status: CardStatus
    category: CategoryFacts
    facts: PatronFacts


_card = PatronCard.__table__
_patron = Patron.__table__
_category = PatronCategory.__table__
_deposit = Deposit.__table__
_block = PatronBlock.__table__
_active_card = aliased(PatronCard.__table__)

_DESK_PATRON = (
    select(
        _card.c.id.label("card_id"),
        _card.c.number,
        _card.c.status.label("card_status"),
        _card.c.ended_at,
        _patron.c.id.label("patron_id"),
        _patron.c.name,
        _patron.c.status,
        _patron.c.expires_on,
        _patron.c.closed_at,
        _patron.c.credit_source,
        _patron.c.credit_verified_on,
        _patron.c.credit_expires_on,
        _category.c.id.label("category_id"),
        _category.c.code.label("category_code"),
        _category.c.name.label("category_name"),
        _category.c.name_en.label("category_name_en"),
        _category.c.deposit_fen,
        _category.c.credit_based,
        _category.c.expiry_years,
        _category.c.min_age,
        _category.c.max_age,
        select(_active_card.c.number)
        .where(
            _active_card.c.patron_id == _patron.c.id,
            # A literal, not a parameter: SQLite re-plans a statement on every run when a
            # parameter decides whether a partial index (one active card) applies.
            _active_card.c.status == literal_column(f"'{CardStatus.ACTIVE.value}'"),
        )
        .limit(1)
        .scalar_subquery()
        .label("active_card_number"),
        select(func.coalesce(func.sum(_deposit.c.amount_fen), 0))
        .where(
            _deposit.c.patron_id == _patron.c.id,
            _deposit.c.refunded_at.is_(None),
            _deposit.c.paid_at.is_not(None),
        )
        .scalar_subquery()
        .label("deposit_held_fen"),
        select(func.count(_deposit.c.id))
        .where(
            _deposit.c.patron_id == _patron.c.id,
            _deposit.c.refunded_at.is_(None),
            _deposit.c.waived_reason.is_not(None),
        )
        .scalar_subquery()
        .label("waivers"),
        select(func.count(_block.c.id))
        .where(_block.c.patron_id == _patron.c.id, _block.c.lifted_at.is_(None))
        .scalar_subquery()
        .label("manual_blocks"),
    )
    .join(_patron, _patron.c.id == _card.c.patron_id)
    .join(_category, _category.c.id == _patron.c.category_id)
)
_BY_CARD = Prepared(_DESK_PATRON.where(_card.c.number == bindparam("number")))
# A reader presenting no card (a renewal by barcode): their active card, if any.
_BY_PATRON = Prepared(
    _DESK_PATRON.where(_patron.c.id == bindparam("patron_id")).order_by(
        (_card.c.status == literal_column(f"'{CardStatus.ACTIVE.value}'")).desc(),
        _card.c.issued_at.desc(),
    )
)
_MANUAL_BLOCKS = Prepared(
    select(_block.c.reason, _block.c.blocked_at, _block.c.blocked_by)
    .where(_block.c.patron_id == bindparam("patron_id"), _block.c.lifted_at.is_(None))
    .order_by(_block.c.blocked_at)
)


def _date_of(moment: datetime | str | None) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite hands raw column values back in subqueries
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return network_date(moment)


def _desk_patron(session: Session, row: Any, *, card_presented: bool) -> DeskPatron:
    category = CategoryFacts(
        id=row.category_id,
        code=row.category_code,
        name=row.category_name,
        name_en=row.category_name_en,
        deposit_fen=row.deposit_fen,
        credit_based=row.credit_based,
        expiry_years=row.expiry_years,
        min_age=row.min_age,
        max_age=row.max_age,
    )
    blocks: tuple[ManualBlockFacts, ...] = ()
    if row.manual_blocks:
        blocks = tuple(
            ManualBlockFacts(reason=reason, blocked_on=_date_of(at) or date.min, blocked_by=by)
            for reason, at, by in _MANUAL_BLOCKS.all(session, {"patron_id": row.patron_id})
        )
    card_status = CardStatus(row.card_status)
    facts = PatronFacts(
        name=row.name,
        status=PatronStatus(row.status),
        expires_on=row.expires_on,
        category=category,
        credit_source=row.credit_source,
        credit_verified_on=row.credit_verified_on,
        credit_expires_on=row.credit_expires_on,
        closed_on=_date_of(row.closed_at),
        card_number=row.number if card_presented else None,
        card_status=card_status if card_presented else None,
        card_ended_on=_date_of(row.ended_at) if card_presented else None,
        active_card_number=row.active_card_number,
        deposit_held_fen=int(row.deposit_held_fen),
        deposit_waived=bool(row.waivers),
        manual_blocks=blocks,
    )
    return DeskPatron(
        patron_id=row.patron_id,
        name=row.name,
        card_id=row.card_id,
        card_number=row.number,
        card_status=card_status,
        category=category,
        facts=facts,
    )


def desk_patron_by_card(session: Session, card_number: str) -> DeskPatron:
    """The reader holding (or having held) a card; :class:`CardNotFound` if no one does."""
    number = normalise_card_number(card_number)
    row = _BY_CARD.first(session, {"number": number})
    if row is None:
        raise CardNotFound(number or card_number)
    return _desk_patron(session, row, card_presented=True)


def desk_patron_by_id(session: Session, patron_id: int) -> DeskPatron:
    """A reader with no card presented (their block facts judge the account, not a card)."""
    row = _BY_PATRON.first(session, {"patron_id": patron_id})
    if row is None:
        raise CardNotFound(f"#{patron_id}")
    return _desk_patron(session, row, card_presented=False)


# --- lending calendars ----------------------------------------------------------------

_MAX_DEPTH = 64

_chain = (
    select(_sp.c.id, _sp.c.parent_id, literal(0).label("depth"))
    .where(_sp.c.id == bindparam("point_id"))
    .cte("lending_chain", recursive=True)
)
_chain = _chain.union_all(
    select(_sp.c.id, _sp.c.parent_id, _chain.c.depth + 1).where(
        _sp.c.id == _chain.c.parent_id, _chain.c.depth < _MAX_DEPTH
    )
)
_closed = ClosedDay.__table__
# The point and its ancestors with their hours, each with its closed days in the
# window: one round trip.
_CALENDAR_WINDOW = Prepared(
    select(
        _chain.c.depth,
        _sp.c.opening_hours,
        _sp.c.inherit_closed_days,
        _closed.c.day,
        _closed.c.reason,
    )
    .join(_sp, _sp.c.id == _chain.c.id)
    .outerjoin(
        _closed,
        and_(
            _closed.c.point_id == _chain.c.id,
            _closed.c.day >= bindparam("first"),
            _closed.c.day <= bindparam("last"),
        ),
    )
    .order_by(_chain.c.depth)
)


def calendar_window(session: Session, point_id: int, first: date, last: date) -> OpeningCalendar:
    """The point's calendar (inheritance resolved as in ``network.queries.calendar_for``),
    knowing only the closed days between ``first`` and ``last``: ask it about those days."""
    levels: dict[int, tuple[str, bool, list[tuple[date, str]]]] = {}
    for depth, hours, inherits, day, reason in _CALENDAR_WINDOW.all(
        session, {"point_id": point_id, "first": first, "last": last}
    ):
        if depth not in levels:
            levels[depth] = (json.dumps(hours, sort_keys=True), bool(inherits), [])
        if day is not None:
            levels[depth][2].append((day, reason or ""))
    key = tuple(
        (hours, inherits, tuple(sorted(days)))
        for _, (hours, inherits, days) in sorted(levels.items())
    )
    return _calendar(key)


@lru_cache(maxsize=4096)
def _calendar(key: tuple[tuple[str, bool, tuple[tuple[date, str], ...]], ...]) -> OpeningCalendar:
    return inherited_calendar(
        [CalendarLevel(json.loads(hours), inherits, dict(days)) for hours, inherits, days in key]
    )


# Closed days further than this past a due date's first candidate cannot matter:
# no library closes for a year.
_DUE_WINDOW = timedelta(days=366)


def due_date_calendar(session: Session, point_id: int, earliest_due: date) -> OpeningCalendar:
    """The calendar a due date on or after ``earliest_due`` is decided on."""
    return calendar_window(session, point_id, earliest_due, earliest_due + _DUE_WINDOW)
