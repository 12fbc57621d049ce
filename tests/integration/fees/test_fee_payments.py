"""Payments, waivers, cancellations and the day's takings, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

import pytest
from fee_library import FeeLibrary, local_time
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.circulation.models import CirculationEvent
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.fees.errors import (
    FeeNotFound,
    FeeNotOpen,
    NothingOwed,
    Overpayment,
    WaiverReasonMissing,
    WaiverTooLarge,
)
from wenjin.fees.models import Fee, Payment, Refund
from wenjin.fees.queries import (
    _OUTSTANDING,
    daily_takings,
    fee_account,
    fees_for_patron,
    outstanding_fen,
    payments_for_patron,
)
from wenjin.fees.services import cancel_fee, charge_fee, pay_fees, waive_fee
from wenjin.fees.states import FeeKind, FeeStatus, PaymentMethod
from wenjin.patrons.models import Patron

PAY_DAY = date(2026, 5, 6)


def charge(
    session: Session, library: FeeLibrary, amount_fen: int, *, day: int, patron: int | None = None
) -> Fee:
    return charge_fee(
        session,
        patron=patron or library.reader,
        kind=FeeKind.DAMAGED,
        amount_fen=amount_fen,
        point=library.central,
        actor="张敏",
        item_id=library.novel,
        note="封面撕破",
        at=local_time(date(2026, 4, day)),
    )


def reader(session: Session, patron_id: int) -> Patron:
    found = session.get(Patron, patron_id)
    assert found is not None
    return found


def pay(
    session: Session,
    library: FeeLibrary,
    amount_fen: int,
    *,
    method: PaymentMethod = PaymentMethod.CASH,
    at: datetime | None = None,
    point: int | None = None,
    patron: int | None = None,
) -> Payment:
    return pay_fees(
        session,
        patron=reader(session, patron or library.reader),
        amount_fen=amount_fen,
        method=method,
        point=point or library.central,
        actor="张敏",
        at=at or local_time(PAY_DAY),
    )


# --- payments ---


def test_a_payment_pays_the_oldest_fees_first_and_prints_a_receipt(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        newer = charge(uow.session, library, 300, day=20)
        older = charge(uow.session, library, 500, day=2)
        payment = pay(uow.session, library, 600)
        uow.commit()
    assert payment.receipt_number == "JF-20260506-000001"
    with UnitOfWork(engine, readonly=True) as uow:
        first, second = fees_for_patron(uow.session, library.reader)
        assert first.id == older.id
        assert (first.paid_fen, first.status) == (500, FeeStatus.PAID)
        assert second.id == newer.id
        assert (second.paid_fen, second.balance_fen, second.status) == (100, 200, FeeStatus.OPEN)
        assert outstanding_fen(uow.session, library.reader) == 200
        [stored] = payments_for_patron(uow.session, library.reader)
        assert [(a.fee_id, a.amount_fen) for a in stored.allocations] == [
            (older.id, 500),
            (newer.id, 100),
        ]
        logged = uow.session.scalars(
            select(CirculationEvent)
            .where(CirculationEvent.action == "fee_paid")
            .order_by(CirculationEvent.id)
        ).all()
        assert [e.after["payment_fen"] for e in logged if e.after] == [500, 100]
        assert {e.after["receipt_number"] for e in logged if e.after} == {"JF-20260506-000001"}


def test_a_partial_payment_leaves_the_rest_open(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 2000, day=2)
        pay(uow.session, library, 750)
        assert (fee.paid_fen, fee.balance_fen, fee.status) == (750, 1250, FeeStatus.OPEN)
        pay(uow.session, library, 1250)
        assert (fee.paid_fen, fee.status) == (2000, FeeStatus.PAID)
        assert fee.settled_at == local_time(PAY_DAY)


def test_receipts_are_numbered_per_day(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        charge(uow.session, library, 2000, day=2)
        numbers = [
            pay(uow.session, library, 100, at=local_time(PAY_DAY, 9)).receipt_number,
            pay(uow.session, library, 100, at=local_time(PAY_DAY, 16)).receipt_number,
            # 23:30 in Zhucheng is still the same day, though it is the afternoon in UTC.
            pay(uow.session, library, 100, at=local_time(PAY_DAY, 23, 30)).receipt_number,
            pay(uow.session, library, 100, at=local_time(date(2026, 5, 7), 0, 5)).receipt_number,
        ]
    assert numbers == [
        "JF-20260506-000001",
        "JF-20260506-000002",
        "JF-20260506-000003",
        "JF-20260507-000001",
    ]


def test_an_overpayment_is_refused_and_nothing_is_recorded(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        charge(uow.session, library, 500, day=2)
        uow.commit()
    with UnitOfWork(engine) as uow, pytest.raises(Overpayment) as refused:
        pay(uow.session, library, 1000)
    assert "应缴 ¥5.00，收款 ¥10.00" in refused.value.message_zh
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalars(select(Payment)).all() == []
        assert outstanding_fen(uow.session, library.reader) == 500


def test_a_reader_who_owes_nothing_cannot_pay(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow, pytest.raises(NothingOwed):
        pay(uow.session, library, 100)


def test_a_payment_only_reaches_the_paying_readers_fees(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        charge(uow.session, library, 500, day=1, patron=library.other_reader)
        charge(uow.session, library, 300, day=2)
        with pytest.raises(Overpayment):
            pay(uow.session, library, 800)
        pay(uow.session, library, 300)
        assert outstanding_fen(uow.session, library.other_reader) == 500


# --- waivers ---


def test_a_waiver_needs_a_reason(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        with pytest.raises(WaiverReasonMissing):
            waive_fee(uow.session, fee=fee, reason="  ", actor="张敏")


def test_a_partial_waiver_leaves_the_rest_to_pay(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        waiver = waive_fee(
            uow.session, fee=fee.id, reason="读者住院两周", actor="张敏", amount_fen=200
        )
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        stored = uow.session.get(Fee, fee.id)
        assert stored is not None
        assert (stored.waived_fen, stored.balance_fen, stored.status) == (200, 300, FeeStatus.OPEN)
        assert [w.reason for w in stored.waivers] == ["读者住院两周"]
        assert waiver.actor == "张敏"
        [logged] = uow.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "fee_waived")
        ).all()
        assert logged.before is not None
        assert logged.after is not None
        assert (logged.before["balance_fen"], logged.after["balance_fen"]) == (500, 300)
        assert logged.after["reason"] == "读者住院两周"


def test_a_whole_waiver_settles_the_fee_as_waived(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        waive_fee(uow.session, fee=fee, reason="系统故障误收", actor="张敏")
        assert (fee.waived_fen, fee.status) == (500, FeeStatus.WAIVED)
        assert outstanding_fen(uow.session, library.reader) == 0


def test_a_fee_part_paid_and_part_waived_counts_as_paid(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        pay(uow.session, library, 300)
        waive_fee(uow.session, fee=fee, reason="馆长批准减免", actor="张敏")
        assert (fee.paid_fen, fee.waived_fen, fee.status) == (300, 200, FeeStatus.PAID)


def test_a_waiver_larger_than_what_is_left_is_refused(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        pay(uow.session, library, 400)
        with pytest.raises(WaiverTooLarge):
            waive_fee(uow.session, fee=fee, reason="读者住院", actor=None, amount_fen=200)


def test_a_settled_fee_cannot_be_waived(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        pay(uow.session, library, 500)
        with pytest.raises(FeeNotOpen, match="已缴清"):
            waive_fee(uow.session, fee=fee, reason="读者住院", actor=None)


def test_waiving_an_unknown_fee_says_where_to_find_fee_numbers(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow, pytest.raises(FeeNotFound, match="wenjin fees show"):
        waive_fee(uow.session, fee=999, reason="读者住院", actor=None)


# --- cancellations ---


def test_a_charge_made_in_error_is_cancelled_and_what_was_paid_refunded(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        unpaid = charge(uow.session, library, 300, day=3)
        paid = charge(uow.session, library, 500, day=2)
        pay(uow.session, library, 500, method=PaymentMethod.ALIPAY)
        assert (
            cancel_fee(
                uow.session, fee=unpaid, reason="重复收费", point=library.central, actor=None
            )
            is None
        )
        refund = cancel_fee(
            uow.session,
            fee=paid,
            reason="误记损坏",
            point=library.branch,
            actor="张敏",
            at=local_time(PAY_DAY, 15),
        )
        uow.commit()
    assert refund is not None
    assert (refund.amount_fen, refund.method) == (500, PaymentMethod.ALIPAY)
    with UnitOfWork(engine, readonly=True) as uow:
        statuses = {
            f.id: (f.status, f.cancelled_fen, f.refunded_fen)
            for f in fees_for_patron(uow.session, library.reader)
        }
        assert statuses == {
            unpaid.id: (FeeStatus.CANCELLED, 300, 0),
            paid.id: (FeeStatus.REFUNDED, 0, 500),
        }
        assert outstanding_fen(uow.session, library.reader) == 0


# --- takings ---


def test_the_days_takings_are_summed_per_point_and_method_net_of_refunds(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        for day in (1, 2, 3):
            charge(uow.session, library, 1000, day=day)
        charge(uow.session, library, 800, day=4, patron=library.other_reader)
        pay(uow.session, library, 1000, method=PaymentMethod.CASH, at=local_time(PAY_DAY, 9))
        pay(uow.session, library, 500, method=PaymentMethod.WECHAT, at=local_time(PAY_DAY, 23, 30))
        pay(
            uow.session,
            library,
            800,
            method=PaymentMethod.WECHAT,
            point=library.branch,
            patron=library.other_reader,
            at=local_time(PAY_DAY, 11),
        )
        # the next day, in Zhucheng, though still 6 May in UTC
        pay(
            uow.session, library, 500, method=PaymentMethod.CASH, at=local_time(date(2026, 5, 7), 7)
        )
        first = fees_for_patron(uow.session, library.reader)[0]
        cancel_fee(
            uow.session,
            fee=first,
            reason="误收",
            point=library.central,
            actor=None,
            at=local_time(PAY_DAY, 17),
        )
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        rows = daily_takings(uow.session, day=PAY_DAY)
        assert [r.point_code for r in rows] == ["ZC", "ZC-XD"]
        central, branch = rows
        assert (central.payments, central.taken_fen, central.refunds, central.refunded_fen) == (
            2,
            1500,
            1,
            1000,
        )
        assert central.net_fen == 500
        assert central.by_method[PaymentMethod.CASH].net_fen == 0
        assert central.by_method[PaymentMethod.WECHAT].taken_fen == 500
        assert (branch.taken_fen, branch.net_fen) == (800, 800)
        only_school = daily_takings(uow.session, day=PAY_DAY, point_ids=[library.school])
        assert [(r.point_code, r.taken_fen) for r in only_school] == [("ZC-S01", 0)]


def test_a_readers_account_shows_open_fees_and_the_latest_payments(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        charge(uow.session, library, 500, day=1)
        charge(uow.session, library, 300, day=2)
        pay(uow.session, library, 500)
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        account = fee_account(uow.session, library.reader)
        assert account.outstanding_fen == 300
        assert [(f.balance_fen, f.barcode, f.title, f.point) for f in account.fees] == [
            (300, "ZC01000001", "平凡的世界", "ZC")
        ]
        assert [p.receipt_number for p in account.payments] == ["JF-20260506-000001"]
        everything = fee_account(uow.session, library.reader, open_only=False)
        assert [f.status for f in everything.fees] == [FeeStatus.PAID, FeeStatus.OPEN]


# --- the database holds the arithmetic ---


def test_the_database_refuses_a_fee_closed_with_money_still_owed(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        fee = charge(uow.session, library, 500, day=2)
        uow.commit()
    with UnitOfWork(engine) as uow, pytest.raises(IntegrityError, match="open_while_balance"):
        uow.session.execute(text("UPDATE fees SET status = 'paid' WHERE id = :id"), {"id": fee.id})


# --- two desks at once ---


def _run_at_once(workers: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = workers[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_desks_taking_the_same_fine_at_once_take_it_once(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        charge(uow.session, library, 1000, day=2)
        uow.commit()

    def desk(point_id: int) -> Callable[[], str]:
        def take() -> str:
            with UnitOfWork(engine) as uow:
                payment = pay(uow.session, library, 1000, point=point_id)
                uow.commit()
                return payment.receipt_number

        return take

    results = _run_at_once([desk(library.central), desk(library.branch)])
    receipts = [r for r in results if isinstance(r, str)]
    refusals = [r for r in results if isinstance(r, WenjinError)]
    assert len(receipts) == 1, results
    assert len(refusals) == 1, results
    assert isinstance(refusals[0], NothingOwed | Overpayment)
    with UnitOfWork(engine, readonly=True) as uow:
        [fee] = fees_for_patron(uow.session, library.reader)
        assert (fee.paid_fen, fee.status) == (1000, FeeStatus.PAID)
        assert len(uow.session.scalars(select(Payment)).all()) == 1


def test_desks_paying_at_once_never_print_the_same_receipt_number(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        for day in range(1, 5):
            charge(uow.session, library, 100, day=day)
            charge(uow.session, library, 100, day=day, patron=library.other_reader)
        uow.commit()

    def desk(patron_id: int) -> Callable[[], str]:
        def take() -> str:
            with UnitOfWork(engine) as uow:
                payment = pay(uow.session, library, 100, patron=patron_id)
                uow.commit()
                return payment.receipt_number

        return take

    results = _run_at_once([desk(library.reader), desk(library.other_reader)] * 3)
    assert all(isinstance(r, str) for r in results), results
    assert sorted(r for r in results if isinstance(r, str)) == [
        f"JF-20260506-{n:06d}" for n in range(1, 7)
    ]
    with UnitOfWork(engine, readonly=True) as uow:
        assert outstanding_fen(uow.session, library.reader) == 100
        assert outstanding_fen(uow.session, library.other_reader) == 100
        assert len(uow.session.scalars(select(Refund)).all()) == 0


def test_the_outstanding_balance_is_read_through_the_open_fees_index(
    sqlite_engine: Engine,
) -> None:
    with UnitOfWork(sqlite_engine, readonly=True) as uow:
        assert outstanding_fen(uow.session, 7) == 0
    compiled = _OUTSTANDING.statement.compile(dialect=sqlite_engine.dialect)
    values = compiled.construct_params({"patron_id": 7})
    parameters = tuple(values[name] for name in compiled.positiontup or ())
    statement = str(compiled)
    with sqlite_engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    assert "ix_fees_open_by_patron" in " ".join(str(row) for row in plan)
