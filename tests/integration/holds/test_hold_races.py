"""Races between desks over holds, with real threads, each desk with its own engine.

SQLite: writers queue on BEGIN IMMEDIATE. PostgreSQL: the item row is locked FOR
UPDATE by the first desk; the second waits, then sees what the first did.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hold_library import SANTI, SANTI_CC, SANTI_XX, SANTI_ZC2, HoldLibrary, circ
from holds_helpers import Uow, hold_row, item_row, lend, place
from sqlalchemy import Engine, func, select

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.models import Loan
from wenjin.circulation.services import CheckinOutcome, checkin, checkout
from wenjin.db.engine import make_engine
from wenjin.db.uow import UnitOfWork
from wenjin.holds.states import HoldStatus

ADULT, SENIOR, DOCTOR, CREDIT = circ.ADULT, circ.SENIOR, circ.DOCTOR, circ.CREDIT
day = circ.day


@pytest.fixture
def desks(engine: Engine) -> Iterator[Callable[[], Engine]]:
    url = engine.url.render_as_string(hide_password=False)
    made: list[Engine] = []

    def desk() -> Engine:
        made.append(make_engine(url))
        return made[-1]

    yield desk
    for one in made:
        one.dispose()


def _in_parallel(*jobs: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        barrier.wait(timeout=30)
        try:
            return job()
        except Exception as exc:  # a refusal is a result here
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _checkin_job(desk: Engine, barcode: str, at: str) -> Callable[[], Any]:
    def job() -> Any:
        with UnitOfWork(desk) as work:
            result = checkin(work.session, at=at, barcode=barcode, now=day(3, 5))
            work.commit()
            return result

    return job


@pytest.mark.parametrize("attempt", range(2))
def test_two_desks_capturing_the_same_returned_copy_for_two_holds_fill_only_one(
    library: HoldLibrary, uow: Uow, desks: Callable[[], Engine], attempt: int
) -> None:
    for barcode, card, at in (
        (SANTI, SENIOR, "ZC"),
        (SANTI_ZC2, CREDIT, "ZC"),
        (SANTI_CC, SENIOR, "ZC-CC"),
        (SANTI_XX, CREDIT, "ZC-XX"),
    ):
        lend(uow, barcode, card, at=at)
    at_zc = place(uow, ADULT, record=library.santi_record, pickup="ZC", now=day(3, 3, 9))
    at_cc = place(uow, DOCTOR, record=library.santi_record, pickup="ZC-CC", now=day(3, 3, 10))
    results = _in_parallel(
        _checkin_job(desks(), SANTI, "ZC"), _checkin_job(desks(), SANTI, "ZC-CC")
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    filled = [r for r in results if r.hold_id is not None]
    assert len(filled) == 1
    other = next(r for r in results if r is not filled[0])
    assert other.outcome is CheckinOutcome.NOTHING_TO_DO  # already on a hold shelf
    statuses = sorted([hold_row(uow, at_zc.hold_id).status, hold_row(uow, at_cc.hold_id).status])
    assert statuses == sorted([HoldStatus.READY, HoldStatus.WAITING])
    assert item_row(uow, SANTI).status is ItemStatus.ON_HOLD_SHELF


@pytest.mark.parametrize("attempt", range(2))
def test_a_walk_in_loan_and_a_capture_of_the_same_chosen_copy_leave_it_for_the_hold_alone(
    library: HoldLibrary, uow: Uow, desks: Callable[[], Engine], attempt: int
) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    assert placed.targeted_barcode == SANTI_CC

    def walk_in() -> Any:
        with UnitOfWork(desks()) as work:
            result = checkout(
                work.session, at="ZC-CC", card_number=SENIOR, barcode=SANTI_CC, now=day(3, 3, 11)
            )
            work.commit()
            return result

    # A page scans the chosen copy off the shelf (capture) while a walk-in reader borrows it.
    results = _in_parallel(walk_in, _checkin_job(desks(), SANTI_CC, "ZC-CC"))
    assert not isinstance(results[1], Exception), results
    hold = hold_row(uow, placed.hold_id)
    item = item_row(uow, SANTI_CC)
    with uow(readonly=True) as work:
        open_loans = work.session.scalar(
            select(func.count(Loan.id)).where(
                Loan.item_id == library.items[SANTI_CC], Loan.returned_at.is_(None)
            )
        )
    # The scan came first (the walk-in reader was refused: the copy is on the hold shelf) or
    # second (it took the copy back from the walk-in reader as a return): never both.
    assert hold.status is HoldStatus.READY
    assert item.status is ItemStatus.ON_HOLD_SHELF
    assert open_loans == 0
    if isinstance(results[0], Exception):
        assert results[0].code == "item_on_hold_shelf"  # type: ignore[attr-defined]
    else:
        assert results[1].outcome is CheckinOutcome.RETURNED
