"""Short ways to lend and return in the circulation tests, each in its own committed unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from circ_library import ADULT, NOW, CircLibrary

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.services import CheckinResult, CheckoutResult, checkin, checkout
from wenjin.db.uow import UnitOfWork

Uow = Callable[..., UnitOfWork]


def lend(
    uow: Uow, barcode: str, *, card: str = ADULT, at: str = "ZC", now: datetime = NOW
) -> CheckoutResult:
    with uow() as work:
        result = checkout(work.session, at=at, card_number=card, barcode=barcode, now=now)
        work.commit()
    return result


def give_back(uow: Uow, barcode: str, *, at: str, now: datetime = NOW) -> CheckinResult:
    with uow() as work:
        result = checkin(work.session, at=at, barcode=barcode, now=now)
        work.commit()
    return result


@dataclass(frozen=True)
class Where:
    """Where an item is and in what state, read in a unit of work of its own."""

    status: ItemStatus
    owning_point_id: int
    current_point_id: int
    note: str | None


def where(uow: Uow, library: CircLibrary, barcode: str) -> Where:
    with uow(readonly=True) as work:
        found = work.session.get(Item, library.items[barcode])
        assert found is not None
        return Where(found.status, found.owning_point_id, found.current_point_id, found.note)
