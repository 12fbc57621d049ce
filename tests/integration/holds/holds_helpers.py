"""Short ways to place and look at holds in the holds tests, each in its own unit of work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from hold_library import circ
from sqlalchemy import select

from wenjin.catalog.models import Item
from wenjin.circulation.services import CheckinResult, CheckoutResult, checkin, checkout
from wenjin.db.uow import UnitOfWork
from wenjin.holds.models import Hold
from wenjin.holds.services import PlacedHold, place_hold
from wenjin.notices.models import Notice

Uow = Callable[..., UnitOfWork]
NOW: datetime = circ.NOW


def place(
    uow: Uow,
    card: str,
    *,
    pickup: str,
    record: int | None = None,
    barcode: str | None = None,
    now: datetime = NOW,
) -> PlacedHold:
    with uow() as work:
        placed = place_hold(
            work.session, card_number=card, pickup=pickup, record=record, barcode=barcode, now=now
        )
        work.commit()
    return placed


def lend(uow: Uow, barcode: str, card: str, *, at: str, now: datetime = NOW) -> CheckoutResult:
    with uow() as work:
        result = checkout(work.session, at=at, card_number=card, barcode=barcode, now=now)
        work.commit()
    return result


def give_back(uow: Uow, barcode: str, *, at: str, now: datetime = NOW) -> CheckinResult:
    with uow() as work:
        result = checkin(work.session, at=at, barcode=barcode, now=now)
        work.commit()
    return result


def hold_row(uow: Uow, hold_id: int) -> Hold:
    with uow(readonly=True) as work:
        hold = work.session.get(Hold, hold_id)
        assert hold is not None
        work.session.expunge(hold)
        return hold


def item_row(uow: Uow, barcode: str) -> Item:
    with uow(readonly=True) as work:
        item = work.session.scalars(select(Item).where(Item.barcode == barcode)).one()
        work.session.expunge(item)
        return item


def notices_of(uow: Uow, patron_id: int) -> list[dict[str, Any]]:
    with uow(readonly=True) as work:
        return [
            {"kind": n.kind, "status": n.status, **n.payload}
            for n in work.session.scalars(
                select(Notice).where(Notice.patron_id == patron_id).order_by(Notice.id)
            )
        ]
