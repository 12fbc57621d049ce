"""Races between desks, with real threads, each with its own engine and connection.

Run on SQLite (writers queue on BEGIN IMMEDIATE) and on PostgreSQL (the item row
is locked FOR UPDATE; a second desk waits, then sees the first desk's loan).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from circ_library import ADULT, NOW, SENIOR, Book, CircLibrary, add_book, day
from helpers import Uow, give_back, lend
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import ConcurrentChange, ItemOnLoanToAnother, NotOnLoan
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.circulation.services import checkin, checkout, renew
from wenjin.circulation.states import LoanStatus
from wenjin.db.engine import make_engine
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.patrons.services import register_patron


@pytest.fixture
def desks(engine: Engine) -> Iterator[Callable[[], Engine]]:
    """A factory of engines of their own, one per desk, on the test database."""
    url = engine.url.render_as_string(hide_password=False)
    made: list[Engine] = []

    def desk() -> Engine:
        made.append(make_engine(url))
        return made[-1]

    yield desk
    for one in made:
        one.dispose()


def _in_parallel(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs at once (lined up on a barrier); each returns its result or its error."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        barrier.wait(timeout=30)
        try:
            return job()
        except Exception as exc:  # the refusal is the result we look at
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _checkout_job(desk: Engine, card: str, barcode: str, at: str) -> Callable[[], Any]:
    def job() -> Any:
        with UnitOfWork(desk) as work:
            result = checkout(work.session, at=at, card_number=card, barcode=barcode, now=NOW)
            work.commit()
            return result

    return job


@pytest.mark.parametrize("attempt", range(3))
def test_the_same_item_checked_out_at_two_desks_at_once_makes_one_loan_and_one_refusal(
    library: CircLibrary, uow: Uow, desks: Callable[[], Engine], attempt: int
) -> None:
    results = _in_parallel(
        _checkout_job(desks(), ADULT, "ZC01000001", "ZC"),
        _checkout_job(desks(), SENIOR, "ZC01000001", "ZC-CC"),
    )
    refusals = [r for r in results if isinstance(r, Exception)]
    loans = [r for r in results if not isinstance(r, Exception)]
    assert len(loans) == 1, results
    assert len(refusals) == 1, results
    assert isinstance(refusals[0], ItemOnLoanToAnother | ConcurrentChange), refusals[0]
    with uow(readonly=True) as work:
        current = work.session.scalars(
            select(Loan).where(
                Loan.item_id == library.items["ZC01000001"], Loan.returned_at.is_(None)
            )
        ).all()
        assert [loan.id for loan in current] == [loans[0].loan_id]
        assert work.session.scalar(select(func.count(CirculationEvent.id))) == 1


def test_the_database_itself_refuses_a_second_current_loan_of_an_item(
    library: CircLibrary, uow: Uow
) -> None:
    first = lend(uow, "ZC01000001")
    with uow() as work:
        loan = work.session.get(Loan, first.loan_id)
        assert loan is not None
        twin = Loan(
            item_id=loan.item_id,
            patron_id=library.patrons[SENIOR],
            card_number=SENIOR,
            item_type_id=loan.item_type_id,
            checkout_point_id=loan.checkout_point_id,
            checked_out_at=NOW,
            due_on=loan.due_on,
            loan_days=30,
            renewals_allowed=1,
            renewal_days=30,
            fine_per_day_fen=10,
            max_fine_fen=2000,
        )
        work.session.add(twin)
        with pytest.raises(IntegrityError):
            work.session.flush()


@pytest.mark.parametrize("attempt", range(3))
def test_a_checkin_racing_a_renewal_never_loses_the_loan(
    library: CircLibrary, uow: Uow, desks: Callable[[], Engine], attempt: int
) -> None:
    loan_id = lend(uow, "ZC01000001").loan_id  # due 2 April
    renewing, returning = desks(), desks()

    def renewal() -> Any:
        with UnitOfWork(renewing) as work:
            result = renew(work.session, at="ZC", barcode="ZC01000001", now=day(3, 31))
            work.commit()
            return result

    def return_it() -> Any:
        with UnitOfWork(returning) as work:
            result = checkin(work.session, at="ZC-CC", barcode="ZC01000001", now=day(3, 31))
            work.commit()
            return result

    renewed, returned = _in_parallel(renewal, return_it)
    assert not isinstance(returned, Exception), returned
    assert returned.loan_id == loan_id
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, loan_id)
        assert loan is not None
        assert loan.status is LoanStatus.RETURNED
        assert loan.returned_at == day(3, 31)
        if isinstance(renewed, Exception):
            assert isinstance(renewed, NotOnLoan), renewed  # the checkin came first
            assert loan.renewals == 0
        else:
            assert loan.renewals == 1
            assert loan.due_on == date(2026, 4, 30)
        assert work.session.scalar(select(func.count(Loan.id))) == 1
        item = work.session.get(Item, library.items["ZC01000001"])
        assert item is not None
        assert item.status is ItemStatus.IN_TRANSIT


WORKERS = 4
PER_WORKER = 8


def test_four_desks_lending_different_items_lose_no_writes(
    library: CircLibrary, uow: Uow, desks: Callable[[], Engine]
) -> None:
    with uow() as work:
        points = {p.code: p for p in work.session.scalars(select(ServicePoint))}
        barcodes = []
        for n in range(WORKERS * PER_WORKER):
            book = Book(f"ZC0900{n:04d}", f"诸城民间故事 第{n + 1}辑", "9787532895656", 2800)
            add_book(work.session, book, points)
            barcodes.append(book.barcode)
        cards = [f"ZC0007{n:04d}" for n in range(WORKERS)]
        for card in cards:
            register_patron(
                work.session,
                card_number=card,
                name=f"实验中学初一({cards.index(card) + 1})班",
                category="INSTITUTION",
                home_point="ZC",
                today=date(2026, 1, 5),
            )
        work.commit()

    def worker(index: int) -> Callable[[], Any]:
        desk = desks()
        mine = barcodes[index * PER_WORKER : (index + 1) * PER_WORKER]

        def job() -> Any:
            done = []
            for barcode in mine:
                done.append(_checkout_job(desk, cards[index], barcode, "ZC")().loan_id)
            return done

        return job

    results = _in_parallel(*(worker(i) for i in range(WORKERS)))
    assert not any(isinstance(r, Exception) for r in results), results
    loan_ids = [loan_id for batch in results for loan_id in batch]
    assert len(set(loan_ids)) == WORKERS * PER_WORKER
    with uow(readonly=True) as work:
        assert work.session.scalar(select(func.count(Loan.id))) == WORKERS * PER_WORKER
        on_loan = work.session.scalar(
            select(func.count(Item.id)).where(Item.status == ItemStatus.ON_LOAN)
        )
        assert on_loan == WORKERS * PER_WORKER
        checkouts = work.session.scalar(
            select(func.count(CirculationEvent.id)).where(CirculationEvent.action == "checkout")
        )
        assert checkouts == WORKERS * PER_WORKER


def test_returns_at_four_desks_at_once_all_close_their_loans(
    library: CircLibrary, uow: Uow, desks: Callable[[], Engine]
) -> None:
    barcodes = ["ZC01000001", "ZC01000002", "ZC01000003", "ZC01000004"]
    for barcode in barcodes:
        lend(uow, barcode, now=NOW - timedelta(days=40))
    points = ["ZC", "ZC-CC", "ZC-XX", "ZC-24H"]

    def job(barcode: str, at: str) -> Callable[[], Any]:
        desk = desks()

        def run() -> Any:
            with UnitOfWork(desk) as work:
                result = checkin(work.session, at=at, barcode=barcode, now=NOW)
                work.commit()
                return result

        return run

    results = _in_parallel(*(job(b, p) for b, p in zip(barcodes, points, strict=True)))
    assert not any(isinstance(r, Exception) for r in results), results
    assert all(r.fine_fen > 0 for r in results)
    with uow(readonly=True) as work:
        assert (
            work.session.scalar(select(func.count(Loan.id)).where(Loan.returned_at.is_(None))) == 0
        )
    give_back(uow, "ZC01000001", at="ZC")  # already on the shelf at home: nothing to do
