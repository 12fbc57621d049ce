"""Lost, claimed returned, found again, damaged and repaired."""

from __future__ import annotations

import pytest
from circ_library import ADULT, CircLibrary, day
from helpers import Uow, give_back, lend, where
from sqlalchemy import select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import (
    AlreadyDeclaredLost,
    CannotMarkDamaged,
    DamageNoteMissing,
    NotDamaged,
    NotLost,
    NotOnLoan,
)
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.circulation.services import (
    CheckinOutcome,
    claim_returned,
    declare_lost,
    found,
    mark_damaged,
    mark_repaired,
)
from wenjin.circulation.states import LoanStatus
from wenjin.fees.models import Fee
from wenjin.fees.queries import outstanding_fen
from wenjin.fees.states import FeeKind, FeeStatus


def lost(uow: Uow, barcode: str, at: str = "ZC") -> int:
    with uow() as work:
        result = declare_lost(work.session, barcode=barcode, at=at, now=day(3, 20))
        work.commit()
    return result.charged_fen


def test_declaring_an_item_lost_charges_its_replacement_price(
    library: CircLibrary, uow: Uow
) -> None:
    loan_id = lend(uow, "ZC01000002").loan_id  # 三体, ¥23.00
    charged = lost(uow, "ZC01000002")
    assert charged == 2300 + 500  # the price and the ¥5 processing fee
    assert where(uow, library, "ZC01000002").status is ItemStatus.LOST
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, loan_id)
        assert loan is not None
        assert loan.status is LoanStatus.LOST
        assert loan.returned_at is None
        kinds = {
            fee.kind for fee in work.session.scalars(select(Fee).where(Fee.loan_id == loan_id))
        }
        assert kinds == {FeeKind.LOST_ITEM, FeeKind.PROCESSING}
        assert outstanding_fen(work.session, library.patrons[ADULT]) == 2800


def test_an_item_cannot_be_declared_lost_twice(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000002")
    lost(uow, "ZC01000002")
    with uow() as work, pytest.raises(AlreadyDeclaredLost):
        declare_lost(work.session, barcode="ZC01000002", at="ZC", now=day(3, 21))


def test_only_an_item_on_loan_can_be_declared_lost_by_a_reader(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work, pytest.raises(NotOnLoan):
        declare_lost(work.session, barcode="ZC01000002", at="ZC", now=day(3, 21))


def test_a_lost_item_found_again_is_refunded_and_sent_home(library: CircLibrary, uow: Uow) -> None:
    loan_id = lend(uow, "ZC01000002").loan_id
    lost(uow, "ZC01000002")
    with uow() as work:
        result = found(work.session, barcode="ZC01000002", at="ZC-CC", now=day(4, 1))
        work.commit()
    assert result.outcome is CheckinOutcome.FOUND
    assert result.loan_id == loan_id
    assert result.in_transit
    assert result.destination_code == "ZC"
    assert "赔偿费用" in result.slip.zh
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, loan_id)
        assert loan is not None
        assert loan.status is LoanStatus.RETURNED
        assert outstanding_fen(work.session, library.patrons[ADULT]) == 0
        statuses = {
            fee.status for fee in work.session.scalars(select(Fee).where(Fee.loan_id == loan_id))
        }
        assert statuses == {FeeStatus.CANCELLED}
    assert where(uow, library, "ZC01000002").status is ItemStatus.IN_TRANSIT


def test_checking_in_a_lost_item_counts_as_finding_it(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000002")
    lost(uow, "ZC01000002")
    result = give_back(uow, "ZC01000002", at="ZC", now=day(4, 1))
    assert result.outcome is CheckinOutcome.FOUND
    assert result.fine_fen == 0
    assert where(uow, library, "ZC01000002").status is ItemStatus.AVAILABLE


def test_finding_an_item_that_is_not_lost_is_refused(library: CircLibrary, uow: Uow) -> None:
    with uow() as work, pytest.raises(NotLost):
        found(work.session, barcode="ZC01000002", at="ZC", now=day(4, 1))


def test_a_missing_item_found_on_the_shelf_goes_back_into_circulation(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        work.session.get(Item, library.items["ZC01000002"]).status = ItemStatus.MISSING  # type: ignore[union-attr]
        work.commit()
    with uow() as work:
        result = found(work.session, barcode="ZC01000002", at="ZC", now=day(4, 1))
        work.commit()
    assert result.outcome is CheckinOutcome.FOUND
    assert not result.returned
    assert where(uow, library, "ZC01000002").status is ItemStatus.AVAILABLE


def test_a_reader_who_claims_to_have_returned_an_item_owes_no_fine_after_the_claim(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000001")  # due Thursday 2 April
    with uow() as work:
        claim_returned(work.session, barcode="ZC01000001", at="ZC", now=day(4, 3))
        work.commit()
    result = give_back(uow, "ZC01000001", at="ZC", now=day(5, 20))
    assert (result.open_days_late, result.fine_fen) == (1, 10)  # Friday 3 April only


def test_a_claimed_returned_loan_found_on_the_shelf_is_closed(
    library: CircLibrary, uow: Uow
) -> None:
    loan_id = lend(uow, "ZC01000001").loan_id
    with uow() as work:
        claim_returned(work.session, barcode="ZC01000001", at="ZC", now=day(3, 30))
        work.commit()
    with uow() as work:
        result = found(work.session, barcode="ZC01000001", at="ZC", now=day(4, 20))
        work.commit()
    assert result.loan_id == loan_id
    assert result.fine_fen == 0
    with uow(readonly=True) as work:
        assert work.session.get(Loan, loan_id).status is LoanStatus.RETURNED  # type: ignore[union-attr]


def test_a_damaged_item_is_taken_out_of_circulation_with_a_note(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        mark_damaged(
            work.session,
            barcode="ZC01000002",
            at="ZC",
            note="  水渍，第 30–42 页粘连 ",
            now=day(3, 5),
        )
        work.commit()
    item = where(uow, library, "ZC01000002")
    assert item.status is ItemStatus.DAMAGED
    assert item.note == "2026-03-05 破损（ZC）：水渍，第 30–42 页粘连"
    with uow(readonly=True) as work:
        entry = work.session.scalars(select(CirculationEvent)).one()
        assert entry.action == "damaged"
        assert entry.after["note"] == "水渍，第 30–42 页粘连"


def test_damage_must_be_described(library: CircLibrary, uow: Uow) -> None:
    with uow() as work, pytest.raises(DamageNoteMissing):
        mark_damaged(work.session, barcode="ZC01000002", at="ZC", note="  ")


def test_an_item_on_loan_is_checked_in_before_it_is_marked_damaged(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000002")
    with uow() as work, pytest.raises(CannotMarkDamaged) as caught:
        mark_damaged(work.session, barcode="ZC01000002", at="ZC", note="封面脱落")
    assert "请先办理还书" in caught.value.message_zh


def test_a_repaired_item_goes_home_from_where_it_was_repaired(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        mark_damaged(work.session, barcode="ZC01000002", at="ZC-CC", note="书脊开裂")
        work.commit()
    with uow() as work:
        result = mark_repaired(work.session, barcode="ZC01000002", at="ZC-CC")
        work.commit()
    assert result.outcome is CheckinOutcome.REPAIRED
    assert result.destination_code == "ZC"
    assert where(uow, library, "ZC01000002").status is ItemStatus.IN_TRANSIT


def test_only_a_damaged_item_can_be_marked_repaired(library: CircLibrary, uow: Uow) -> None:
    with uow() as work, pytest.raises(NotDamaged):
        mark_repaired(work.session, barcode="ZC01000002", at="ZC")
