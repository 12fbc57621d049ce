"""The desk's hold reads, one indexed query each: circulation asks them on its hot path.

* at checkout, :func:`holds_at_checkout`: the active hold that has chosen this copy
  (partial unique index on ``targeted_item_id``), and the borrower's own waiting hold
  on the title (index on ``bib_id, status``), in one statement;
* at renewal, :func:`someone_waits`: is another reader waiting for this title;
* at checkin, :func:`waiting_holds_for_copy`: the holds this copy could fill, best first.

Like :mod:`wenjin.circulation.lookups` they read through the session's connection
with statements built once, and skip the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, case, literal_column, or_, select
from sqlalchemy.orm import Session

from wenjin.db.fastsql import Prepared
from wenjin.holds.models import Hold
from wenjin.holds.rules import WaitingHold
from wenjin.holds.states import HoldStatus

_h = Hold.__table__
_WAITING: Any = literal_column("'waiting'")
_ACTIVE = (HoldStatus.WAITING.value, HoldStatus.IN_TRANSIT.value, HoldStatus.READY.value)


@dataclass(frozen=True)
class HoldOnCopy:
    """A hold as the checkout checks read it."""

    hold_id: int
    patron_id: int
    status: HoldStatus
    targeted_item_id: int | None
    item_id: int | None
    pickup_point_id: int


@dataclass(frozen=True)
class HoldsAtCheckout:
    """``targeting``: the active hold that chose this copy. ``own``: the borrower's waiting
    hold on this title that the loan fills (it may be the same hold)."""

    targeting: HoldOnCopy | None = None
    own: HoldOnCopy | None = None

    @property
    def any(self) -> bool:
        return self.targeting is not None or self.own is not None


NO_HOLDS = HoldsAtCheckout()

_COLUMNS = (
    _h.c.id,
    _h.c.patron_id,
    _h.c.status,
    _h.c.targeted_item_id,
    _h.c.item_id,
    _h.c.pickup_point_id,
    _h.c.bib_id,
)
_AT_CHECKOUT = Prepared(
    select(*_COLUMNS).where(
        or_(
            # Literal statuses: SQLite then plans the partial unique index once.
            (_h.c.targeted_item_id == bindparam("item_id"))
            & _h.c.status.in_([literal_column(f"'{s}'") for s in _ACTIVE]),
            (_h.c.bib_id == bindparam("bib_id"))
            & (_h.c.status == _WAITING)
            & (_h.c.patron_id == bindparam("patron_id")),
        )
    )
)


def holds_at_checkout(
    session: Session, *, item_id: int, bib_id: int, patron_id: int
) -> HoldsAtCheckout:
    holds = []
    for row in _AT_CHECKOUT.all(
        session, {"item_id": item_id, "bib_id": bib_id, "patron_id": patron_id}
    ):
        hold = HoldOnCopy(
            hold_id=row.id,
            patron_id=row.patron_id,
            status=HoldStatus(row.status),
            targeted_item_id=row.targeted_item_id,
            item_id=row.item_id,
            pickup_point_id=row.pickup_point_id,
        )
        holds.append((hold, row.bib_id))
    targeting = next(
        (h for h, _ in holds if h.targeted_item_id == item_id and h.status.value in _ACTIVE), None
    )
    if targeting is not None and targeting.patron_id == patron_id:
        return HoldsAtCheckout(targeting, targeting)
    own = next(
        (
            h
            for h, bib in holds
            if h.patron_id == patron_id
            and bib == bib_id
            and h.status is HoldStatus.WAITING
            and h.item_id in (None, item_id)
        ),
        None,
    )
    return HoldsAtCheckout(targeting, own)


_SOMEONE_WAITS = Prepared(
    select(_h.c.id)
    .where(
        _h.c.bib_id == bindparam("bib_id"),
        _h.c.status == _WAITING,
        _h.c.patron_id != bindparam("patron_id"),
        or_(_h.c.item_id.is_(None), _h.c.item_id == bindparam("item_id")),
        or_(_h.c.suspended_until.is_(None), _h.c.suspended_until <= bindparam("today")),
    )
    .limit(1)
)


def someone_waits(
    session: Session, *, bib_id: int, item_id: int, patron_id: int, today: date
) -> bool:
    """Whether another reader has a waiting, unsuspended hold this copy could fill."""
    found = _SOMEONE_WAITS.first(
        session, {"bib_id": bib_id, "item_id": item_id, "patron_id": patron_id, "today": today}
    )
    return found is not None


CAPTURE_CANDIDATES = 20
_WAITING_FOR_COPY = Prepared(
    select(_h.c.id, _h.c.patron_id, _h.c.pickup_point_id, _h.c.placed_at, _h.c.item_id)
    .where(
        _h.c.bib_id == bindparam("bib_id"),
        _h.c.status == _WAITING,
        or_(_h.c.item_id.is_(None), _h.c.item_id == bindparam("item_id")),
        or_(_h.c.suspended_until.is_(None), _h.c.suspended_until <= bindparam("today")),
    )
    .order_by(
        case((_h.c.pickup_point_id == bindparam("here_id"), 0), else_=1),
        _h.c.placed_at,
        _h.c.id,
    )
    .limit(CAPTURE_CANDIDATES)
)


def waiting_holds_for_copy(
    session: Session, *, bib_id: int, item_id: int, here_id: int, today: date
) -> list[WaitingHold]:
    """The waiting holds a copy of ``bib_id`` checked in at ``here_id`` could fill, in the
    declared order (see :func:`wenjin.holds.rules.capture_order`)."""
    rows = _WAITING_FOR_COPY.all(
        session, {"bib_id": bib_id, "item_id": item_id, "here_id": here_id, "today": today}
    )
    return [
        WaitingHold(
            hold_id=row.id,
            patron_id=row.patron_id,
            pickup_point_id=row.pickup_point_id,
            placed_at=_aware(row.placed_at),
            item_id=row.item_id,
        )
        for row in rows
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
