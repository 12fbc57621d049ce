"""Charges on SQLite and PostgreSQL: overdue fines, amnesty days, lost and found items."""

from __future__ import annotations

from datetime import date

import pytest
from fee_library import BOOK_DAY, FeeLibrary, local_time, make_loan
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.catalog.models import Item
from wenjin.circulation.models import CirculationEvent
from wenjin.db.uow import UnitOfWork
from wenjin.fees.errors import LostItemAlreadyCharged
from wenjin.fees.models import Fee, Refund, Waiver
from wenjin.fees.queries import fees_for_patron, outstanding_fen
from wenjin.fees.rules import DEFAULT_REPLACEMENT_PRICE_FEN, PROCESSING_FEE_FEN
from wenjin.fees.services import (
    add_amnesty_window,
    charge_lost_item,
    charge_overdue,
    end_amnesty_window,
    pay_fees,
    refund_lost_item,
)
from wenjin.fees.states import FeeKind, FeeStatus, PaymentMethod
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron


def events(session: Session, action: str) -> list[CirculationEvent]:
    return list(
        session.scalars(
            select(CirculationEvent)
            .where(CirculationEvent.action == action)
            .order_by(CirculationEvent.id)
        )
    )


def return_late(
    session: Session,
    library: FeeLibrary,
    *,
    returned_on: date,
    at: int,
    open_days_late: int,
    item_id: int | None = None,
) -> Fee | None:
    loan = make_loan(
        session,
        item_id=item_id or library.novel,
        patron_id=library.reader,
        point_id=library.central,
        due_on=date(2026, 4, 10),
        returned_on=returned_on,
        return_point_id=at,
    )
    return charge_overdue(
        session,
        loan=loan,
        returned_at_point=at,
        returned_on=returned_on,
        open_days_late=open_days_late,
        per_day_fen=loan.fine_per_day_fen,
        max_fen=loan.max_fine_fen,
        actor="张敏",
    )


def point(session: Session, point_id: int) -> ServicePoint:
    found = session.get(ServicePoint, point_id)
    assert found is not None
    return found


# --- overdue fines ---


def test_a_late_return_charges_the_fine_to_the_reader_and_logs_it(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        fee = return_late(
            uow.session,
            library,
            returned_on=date(2026, 4, 22),
            at=library.branch,
            open_days_late=11,
        )
        uow.commit()
    assert fee is not None
    with UnitOfWork(engine, readonly=True) as uow:
        stored = uow.session.get(Fee, fee.id)
        assert stored is not None
        assert (stored.kind, stored.status, stored.amount_fen) == (
            FeeKind.OVERDUE,
            FeeStatus.OPEN,
            110,
        )
        assert stored.point_id == library.branch
        assert stored.created_at == local_time(date(2026, 4, 22))  # when the loan was returned
        assert "逾期11个开馆日" in (stored.note or "")
        assert outstanding_fen(uow.session, library.reader) == 110
        [logged] = events(uow.session, "fee_charged")
        assert (logged.loan_id, logged.item_id, logged.patron_id) == (
            stored.loan_id,
            library.novel,
            library.reader,
        )
        assert logged.point_id == library.branch
        assert logged.actor == "张敏"
        assert logged.after is not None
        assert logged.after["amount_fen"] == 110
        assert logged.after["status"] == "open"


def test_a_fine_stops_at_the_loans_maximum(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = return_late(
            uow.session,
            library,
            returned_on=date(2026, 12, 1),
            at=library.central,
            open_days_late=210,
        )
        assert fee is not None
        assert fee.amount_fen == 2000
        assert "已达上限" in (fee.note or "")


def test_a_return_on_time_charges_nothing_and_logs_nothing(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        assert (
            return_late(
                uow.session,
                library,
                returned_on=date(2026, 4, 10),
                at=library.central,
                open_days_late=0,
            )
            is None
        )
        assert uow.session.scalars(select(Fee)).all() == []
        assert events(uow.session, "fee_charged") == []


def test_a_loan_is_fined_once_at_most(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        fee = return_late(
            uow.session,
            library,
            returned_on=date(2026, 4, 20),
            at=library.central,
            open_days_late=3,
        )
        assert fee is not None
        assert fee.loan is not None
        with pytest.raises(IntegrityError):
            charge_overdue(
                uow.session,
                loan=fee.loan,
                returned_at_point=library.central,
                returned_on=date(2026, 4, 20),
                open_days_late=3,
                per_day_fen=10,
                max_fen=2000,
                actor=None,
            )


# --- amnesty days (特别还书日) ---


def test_a_return_on_the_amnesty_day_at_a_chosen_point_waives_the_fine(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        window = add_amnesty_window(
            uow.session,
            name="4·23世界读书日特别还书日",
            starts_on=BOOK_DAY,
            ends_on=BOOK_DAY,
            points=[point(uow.session, library.branch)],
            actor="馆长办公室",
        )
        assert (
            return_late(
                uow.session, library, returned_on=BOOK_DAY, at=library.branch, open_days_late=12
            )
            is None
        )
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        [fee] = fees_for_patron(uow.session, library.reader)
        assert (fee.status, fee.amount_fen, fee.waived_fen) == (FeeStatus.WAIVED, 120, 120)
        [waiver] = uow.session.scalars(select(Waiver)).all()
        assert waiver.amnesty_window_id == window.id
        assert waiver.reason == "特别还书日：4·23世界读书日特别还书日"
        assert outstanding_fen(uow.session, library.reader) == 0
        [logged] = events(uow.session, "fine_waived_by_amnesty")
        assert logged.after is not None
        assert logged.after["waived_fen"] == 120
        assert logged.after["amnesty_window_id"] == window.id


def test_a_return_at_another_point_on_the_amnesty_day_is_fined(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        add_amnesty_window(
            uow.session,
            name="辛兴镇特别还书日",
            starts_on=BOOK_DAY,
            ends_on=BOOK_DAY,
            points=[point(uow.session, library.branch)],
        )
        fee = return_late(
            uow.session, library, returned_on=BOOK_DAY, at=library.school, open_days_late=12
        )
        assert fee is not None
        assert fee.status is FeeStatus.OPEN
        assert outstanding_fen(uow.session, library.reader) == 120


def test_an_amnesty_at_a_branch_covers_the_reading_rooms_under_it(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        add_amnesty_window(
            uow.session,
            name="辛兴镇特别还书日",
            starts_on=BOOK_DAY,
            ends_on=BOOK_DAY,
            points=[point(uow.session, library.branch)],
        )
        assert (
            return_late(
                uow.session, library, returned_on=BOOK_DAY, at=library.village, open_days_late=5
            )
            is None
        )


def test_an_amnesty_naming_no_point_covers_the_whole_network(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        add_amnesty_window(
            uow.session, name="全市特别还书周", starts_on=date(2026, 4, 20), ends_on=BOOK_DAY
        )
        assert (
            return_late(
                uow.session,
                library,
                returned_on=date(2026, 4, 20),
                at=library.school,
                open_days_late=5,
            )
            is None
        )


def test_a_return_the_day_after_the_amnesty_is_fined(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        add_amnesty_window(uow.session, name="读书日", starts_on=BOOK_DAY, ends_on=BOOK_DAY)
        fee = return_late(
            uow.session,
            library,
            returned_on=date(2026, 4, 24),
            at=library.central,
            open_days_late=13,
        )
        assert fee is not None
        assert fee.amount_fen == 130


def test_a_withdrawn_amnesty_waives_nothing_more(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        window = add_amnesty_window(
            uow.session, name="读书日", starts_on=BOOK_DAY, ends_on=BOOK_DAY
        )
        end_amnesty_window(uow.session, window_id=window.id)
        fee = return_late(
            uow.session, library, returned_on=BOOK_DAY, at=library.central, open_days_late=12
        )
        assert fee is not None


# --- lost items ---


def test_a_lost_item_is_charged_its_price_and_a_processing_fee(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.get(Item, library.novel)
        patron = uow.session.get(Patron, library.reader)
        assert item is not None
        assert patron is not None
        loan = make_loan(
            uow.session,
            item_id=library.novel,
            patron_id=library.reader,
            point_id=library.central,
            due_on=date(2026, 5, 1),
        )
        fee = charge_lost_item(
            uow.session,
            loan_or_none=loan,
            item=item,
            patron=patron,
            point=library.central,
            actor="张敏",
        )
        assert [linked.kind for linked in fee.linked_fees] == [FeeKind.PROCESSING]
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        price, processing = fees_for_patron(uow.session, library.reader)
        assert price.id == fee.id
        assert (price.kind, price.amount_fen, price.loan_id) == (FeeKind.LOST_ITEM, 10800, loan.id)
        assert "按单册价格 ¥108.00" in (price.note or "")
        assert (processing.kind, processing.amount_fen) == (FeeKind.PROCESSING, PROCESSING_FEE_FEN)
        assert processing.parent_fee_id == price.id
        assert outstanding_fen(uow.session, library.reader) == 10800 + PROCESSING_FEE_FEN
        assert len(events(uow.session, "fee_charged")) == 2


def test_a_lost_item_without_its_own_price_is_charged_the_records_price_or_the_default(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        patron = uow.session.get(Patron, library.reader)
        assert patron is not None
        prices = []
        for item_id in (library.scifi, library.old_book):
            item = uow.session.get(Item, item_id)
            assert item is not None
            fee = charge_lost_item(
                uow.session,
                loan_or_none=None,
                item=item,
                patron=patron,
                point=library.central,
                actor=None,
            )
            prices.append(fee.amount_fen)
        assert prices == [2300, DEFAULT_REPLACEMENT_PRICE_FEN]


def test_a_loss_is_not_charged_twice(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.get(Item, library.novel)
        assert item is not None
        charge_lost_item(
            uow.session,
            loan_or_none=None,
            item=item,
            patron=library.reader,
            point=library.central,
            actor=None,
        )
        with pytest.raises(LostItemAlreadyCharged, match="不能重复收取"):
            charge_lost_item(
                uow.session,
                loan_or_none=None,
                item=item,
                patron=library.reader,
                point=library.central,
                actor=None,
            )


def test_a_found_item_cancels_its_unpaid_lost_charges(engine: Engine, library: FeeLibrary) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.get(Item, library.novel)
        assert item is not None
        charge_lost_item(
            uow.session,
            loan_or_none=None,
            item=item,
            patron=library.reader,
            point=library.central,
            actor=None,
        )
        changed = refund_lost_item(uow.session, item=item, point=library.branch, actor="张敏")
        uow.commit()
    assert [(f.kind, f.status) for f in changed] == [
        (FeeKind.LOST_ITEM, FeeStatus.CANCELLED),
        (FeeKind.PROCESSING, FeeStatus.CANCELLED),
    ]
    with UnitOfWork(engine, readonly=True) as uow:
        assert outstanding_fen(uow.session, library.reader) == 0
        assert uow.session.scalars(select(Refund)).all() == []
        assert len(events(uow.session, "fee_cancelled")) == 2


def test_a_found_item_refunds_the_price_paid_and_keeps_the_processing_fee(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.get(Item, library.novel)
        patron = uow.session.get(Patron, library.reader)
        assert item is not None
        assert patron is not None
        charge_lost_item(
            uow.session,
            loan_or_none=None,
            item=item,
            patron=patron,
            point=library.central,
            actor=None,
        )
        pay_fees(
            uow.session,
            patron=patron,
            amount_fen=10800 + PROCESSING_FEE_FEN,
            method=PaymentMethod.WECHAT,
            point=library.central,
            at=local_time(date(2026, 5, 6)),
        )
        changed = refund_lost_item(
            uow.session,
            item=item,
            point=library.branch,
            actor="张敏",
            at=local_time(date(2026, 5, 20)),
        )
        uow.commit()
    assert [(f.kind, f.status) for f in changed] == [(FeeKind.LOST_ITEM, FeeStatus.REFUNDED)]
    with UnitOfWork(engine, readonly=True) as uow:
        price, processing = fees_for_patron(uow.session, library.reader)
        assert (price.paid_fen, price.refunded_fen, price.status) == (
            10800,
            10800,
            FeeStatus.REFUNDED,
        )
        assert (processing.paid_fen, processing.status) == (PROCESSING_FEE_FEN, FeeStatus.PAID)
        [refund] = uow.session.scalars(select(Refund)).all()
        assert (refund.amount_fen, refund.method, refund.point_id) == (
            10800,
            PaymentMethod.WECHAT,
            library.branch,
        )
        assert refund.receipt_number == "TK-20260520-000001"
        assert "已找回" in refund.reason
        [logged] = events(uow.session, "fee_refunded")
        assert logged.after is not None
        assert logged.after["refund_fen"] == 10800


def test_a_found_item_whose_loss_was_never_charged_changes_nothing(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.get(Item, library.scifi)
        assert item is not None
        assert refund_lost_item(uow.session, item=item, point=library.central, actor=None) == []


def test_an_item_lost_again_after_being_found_may_be_charged_again(
    engine: Engine, library: FeeLibrary
) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.get(Item, library.scifi)
        assert item is not None
        charge_lost_item(
            uow.session,
            loan_or_none=None,
            item=item,
            patron=library.reader,
            point=library.central,
            actor=None,
        )
        refund_lost_item(uow.session, item=item, point=library.central, actor=None)
        again = charge_lost_item(
            uow.session,
            loan_or_none=None,
            item=item,
            patron=library.other_reader,
            point=library.central,
            actor=None,
        )
        assert again.status is FeeStatus.OPEN
        assert outstanding_fen(uow.session, library.reader) == 0
        assert outstanding_fen(uow.session, library.other_reader) == 2300 + PROCESSING_FEE_FEN
