"""Checkout: who may borrow what, where, for how long; every refusal says why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from circ_library import ADULT, CHILD, CLASS, CREDIT, DOCTOR, LAPSED, NOW, SENIOR, CircLibrary, day
from sqlalchemy import func, select

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import Item, ItemType
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import (
    ItemInTransit,
    ItemNotAvailable,
    ItemOnLoanToAnother,
    ItemOnLoanToThisPatron,
    ItemTypeNotLendable,
    LoanLimitReached,
    NoRuleApplies,
    PatronBlocked,
    PointDoesNotLend,
    TypeLimitReached,
)
from wenjin.circulation.models import CirculationEvent, CirculationRule, Loan
from wenjin.circulation.policy import set_rule
from wenjin.circulation.services import checkin, checkout
from wenjin.circulation.states import LoanStatus
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.fees.services import charge_fee
from wenjin.network.models import ServicePoint
from wenjin.patrons.errors import CardNotFound
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import get_patron_by_card
from wenjin.patrons.services import block_patron, register_patron, replace_card

Uow = Callable[..., UnitOfWork]

BOOKS = ["ZC01000001", "ZC01000002", "ZC01000003", "ZC01000004", "ZC01000005", "ZC01000006"]


def lend(uow: Uow, card: str, barcode: str, at: str = "ZC", now=NOW):  # type: ignore[no-untyped-def]
    with uow() as work:
        result = checkout(work.session, at=at, card_number=card, barcode=barcode, now=now)
        work.commit()
    return result


def refused(uow: Uow, card: str, barcode: str, at: str = "ZC", now=NOW):  # type: ignore[no-untyped-def]
    """The refusal a checkout meets (every refusal is a WenjinError with a message for the desk)."""
    with uow() as work, pytest.raises(WenjinError) as caught:
        checkout(work.session, at=at, card_number=card, barcode=barcode, now=now)
    return caught.value


def test_checkout_lends_the_item_and_copies_the_rule_terms_onto_the_loan(
    library: CircLibrary, uow: Uow
) -> None:
    result = lend(uow, ADULT, "ZC01000001")
    assert result.due_on == date(2026, 4, 2)
    assert (result.point_code, result.card_number, result.title) == ("ZC", ADULT, "平凡的世界")
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, result.loan_id)
        item = work.session.get(Item, library.items["ZC01000001"])
        assert loan is not None
        assert item is not None
        assert loan.status is LoanStatus.OPEN
        assert loan.returned_at is None
        assert (loan.loan_days, loan.renewals_allowed, loan.renewal_days) == (30, 1, 30)
        assert loan.fine_per_day_fen == 10
        assert loan.max_fine_fen == 2000  # the ¥108 novel: capped at ¥20
        assert loan.rule_id == result.rule_id
        assert item.status is ItemStatus.ON_LOAN


def test_a_cheap_book_is_never_fined_more_than_its_price(library: CircLibrary, uow: Uow) -> None:
    result = lend(uow, ADULT, "ZC01000004")  # 围城, ¥19.00
    with uow(readonly=True) as work:
        assert work.session.get(Loan, result.loan_id).max_fine_fen == 1900  # type: ignore[union-attr]


def test_the_due_date_lands_on_a_day_the_lending_point_is_open(
    library: CircLibrary, uow: Uow
) -> None:
    # Saturday 7 March + 30 days = Monday 6 April: closed (Mondays, 清明). Tuesday 7 April.
    assert lend(uow, ADULT, "ZC01000001", now=day(3, 7)).due_on == date(2026, 4, 7)


def test_the_due_date_follows_the_lending_points_calendar(library: CircLibrary, uow: Uow) -> None:
    # The 24-hour library is open every day and keeps none of the central library's holidays.
    assert lend(uow, ADULT, "ZC01000001", at="ZC-24H", now=day(3, 7)).due_on == date(2026, 4, 6)


def test_the_checkout_is_logged_in_the_same_transaction(library: CircLibrary, uow: Uow) -> None:
    with uow() as work:
        checkout(work.session, at="ZC", card_number=ADULT, barcode="ZC01000001", now=NOW)
        # not committed: rolled back with the loan
    with uow(readonly=True) as work:
        assert work.session.scalar(select(func.count(CirculationEvent.id))) == 0
    result = lend(uow, ADULT, "ZC01000001")
    with uow(readonly=True) as work:
        entry = work.session.scalars(select(CirculationEvent)).one()
        assert (entry.action, entry.loan_id) == ("checkout", result.loan_id)
        assert entry.before == {"item_status": "available"}
        assert entry.after is not None
        assert entry.after["due_on"] == "2026-04-02"


def test_an_unknown_card_is_refused(library: CircLibrary, uow: Uow) -> None:
    assert isinstance(refused(uow, "ZC99999999", "ZC01000001"), CardNotFound)


def test_a_card_reported_lost_is_refused_and_the_desk_is_told_the_new_card(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        patron = get_patron_by_card(work.session, ADULT).patron
        replace_card(work.session, patron=patron, new_card_number="ZC00019999")
        work.commit()
    error = refused(uow, ADULT, "ZC01000001")
    assert isinstance(error, PatronBlocked)
    assert error.block_codes == ["card_lost"]
    assert "尾号9999" in error.message_zh
    assert lend(uow, "ZC00019999", "ZC01000001").card_number == "ZC00019999"


def test_a_reader_with_an_overdue_item_may_not_borrow(library: CircLibrary, uow: Uow) -> None:
    lend(uow, ADULT, "ZC01000001", now=day(1, 6))  # due 5 February
    error = refused(uow, ADULT, "ZC01000002", now=day(3, 3))
    assert isinstance(error, PatronBlocked)
    assert error.block_codes == ["overdue"]
    assert "1册图书超期未还" in error.message_zh


def test_a_reader_whose_unpaid_fines_pass_the_limit_may_not_borrow(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        charge_fee(
            work.session,
            patron=library.patrons[ADULT],
            kind="damaged",
            amount_fen=1500,
            point=library.points["ZC"],
            note="水渍",
        )
        work.commit()
    error = refused(uow, ADULT, "ZC01000001")
    assert isinstance(error, PatronBlocked)
    assert error.block_codes == ["fines"]
    assert "¥15.00" in error.message_zh


def test_a_reader_blocked_by_staff_is_refused_with_the_reason(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        patron = work.session.get(Patron, library.patrons[SENIOR])
        block_patron(
            work.session, patron=patron, reason="多次损坏图书，请到总馆咨询台说明", by="刘老师"
        )  # type: ignore[arg-type]
        work.commit()
    error = refused(uow, SENIOR, "ZC01000001")
    assert isinstance(error, PatronBlocked)
    assert error.block_codes == ["manual"]
    assert "多次损坏图书" in error.message_zh


def test_a_reader_who_has_not_paid_the_deposit_is_refused(library: CircLibrary, uow: Uow) -> None:
    with uow() as work:
        register_patron(
            work.session,
            card_number="ZC00012399",
            name="周杰",
            category="ADULT",
            home_point="ZC",
            today=date(2026, 3, 1),
        )
        work.commit()
    error = refused(uow, "ZC00012399", "ZC01000001")
    assert isinstance(error, PatronBlocked)
    assert error.block_codes == ["deposit_unpaid"]


def test_an_unknown_barcode_is_refused(library: CircLibrary, uow: Uow) -> None:
    assert isinstance(refused(uow, ADULT, "ZC09999999"), ItemNotFound)


def test_an_item_already_on_loan_to_the_same_reader_says_so_with_its_due_date(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, ADULT, "ZC01000001")
    error = refused(uow, ADULT, "ZC01000001")
    assert isinstance(error, ItemOnLoanToThisPatron)
    assert "2026-04-02" in error.message_zh
    assert "续借" in error.message_zh


def test_an_item_on_loan_to_someone_else_is_refused_without_naming_them(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, ADULT, "ZC01000001")
    error = refused(uow, SENIOR, "ZC01000001")
    assert isinstance(error, ItemOnLoanToAnother)
    assert "王小明" not in error.message_zh
    assert "先为此书办理还书" in error.message_zh


def test_an_item_in_transit_is_refused_naming_where_it_is_going(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, ADULT, "ZC01000001")
    with uow() as work:
        checkin(work.session, at="ZC-CC", barcode="ZC01000001", now=NOW)
        work.commit()
    error = refused(uow, SENIOR, "ZC01000001", at="ZC-CC")
    assert isinstance(error, ItemInTransit)
    assert "诸城市图书馆" in error.message_zh


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (ItemStatus.LOST, "找回"),
        (ItemStatus.MISSING, "找回"),
        (ItemStatus.DAMAGED, "修复"),
        (ItemStatus.WITHDRAWN, "剔除"),
        (ItemStatus.PROCESSING, "加工"),
    ],
)
def test_an_item_that_is_not_on_the_shelf_is_refused_with_what_to_do(
    library: CircLibrary, uow: Uow, status: ItemStatus, hint: str
) -> None:
    with uow() as work:
        work.session.get(Item, library.items["ZC01000001"]).status = status  # type: ignore[union-attr]
        work.commit()
    error = refused(uow, ADULT, "ZC01000001")
    assert isinstance(error, ItemNotAvailable)
    assert hint in error.message_zh


@pytest.mark.parametrize("barcode", ["ZC04000001", "ZC05000001"])
def test_reference_books_and_local_documents_are_not_lent(
    library: CircLibrary, uow: Uow, barcode: str
) -> None:
    error = refused(uow, ADULT, barcode)
    assert isinstance(error, ItemTypeNotLendable)
    assert "馆内阅览" in error.message_zh


def test_a_point_that_does_not_lend_refuses_checkouts(library: CircLibrary, uow: Uow) -> None:
    error = refused(uow, ADULT, "ZC01000001", at="ZC-OFFICE")
    assert isinstance(error, PointDoesNotLend)
    assert "采编办公室" in error.message_zh


def test_an_adult_may_borrow_five_books_and_no_more(library: CircLibrary, uow: Uow) -> None:
    for barcode in BOOKS[:5]:
        lend(uow, ADULT, barcode)
    error = refused(uow, ADULT, BOOKS[5])
    assert isinstance(error, LoanLimitReached)
    assert "5 册的借阅上限" in error.message_zh


def test_a_limit_per_item_type_refuses_one_more_of_that_type(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        periodical = work.session.scalars(select(ItemType).where(ItemType.code == "BOOK")).one()
        set_rule(
            work.session,
            item_type=periodical,
            terms={"max_items": 5, "max_items_of_type": 2},
            note="普通图书每证限借2册",
        )
        work.commit()
    lend(uow, SENIOR, BOOKS[0])
    lend(uow, SENIOR, BOOKS[1])
    error = refused(uow, SENIOR, BOOKS[2])
    assert isinstance(error, TypeLimitReached)
    assert "普通图书" in error.message_zh


def test_medical_staff_borrow_ten_items_for_sixty_days(library: CircLibrary, uow: Uow) -> None:
    result = lend(uow, DOCTOR, "ZC01000001")
    assert result.due_on == date(2026, 5, 2)  # 60 days from 3 March, a Saturday
    for barcode in BOOKS[1:]:
        lend(uow, DOCTOR, barcode)  # six books: more than an adult's five


def test_a_credit_reader_borrows_under_preferential_rules_while_rated(
    library: CircLibrary, uow: Uow
) -> None:
    assert lend(uow, CREDIT, "ZC01000001").due_on == date(2026, 5, 2)


def test_a_credit_reader_whose_rating_lapsed_borrows_as_an_adult(
    library: CircLibrary, uow: Uow
) -> None:
    assert lend(uow, LAPSED, "ZC01000001").due_on == date(2026, 4, 2)


def test_institutional_borrowers_borrow_for_ninety_days(library: CircLibrary, uow: Uow) -> None:
    # 3 March + 90 days = Monday 1 June: closed; Tuesday 2 June.
    assert lend(uow, CLASS, "ZC01000001").due_on == date(2026, 6, 2)


def test_children_borrow_childrens_books(library: CircLibrary, uow: Uow) -> None:
    assert lend(uow, CHILD, "ZC07000001").due_on == date(2026, 4, 2)


def test_a_village_reading_room_lends_three_items_and_charges_no_fines(
    library: CircLibrary, uow: Uow
) -> None:
    results = [lend(uow, SENIOR, barcode, at="ZC-V01") for barcode in BOOKS[:3]]
    with uow(readonly=True) as work:
        assert work.session.get(Loan, results[0].loan_id).fine_per_day_fen == 0  # type: ignore[union-attr]
    assert isinstance(refused(uow, SENIOR, BOOKS[3], at="ZC-V01"), LoanLimitReached)


def test_without_a_rule_that_applies_the_checkout_is_refused_clearly(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        for rule in work.session.scalars(select(CirculationRule)):
            rule.active = False
        work.commit()
    error = refused(uow, SENIOR, "ZC01000001")
    assert isinstance(error, NoRuleApplies)
    assert "wenjin policy set" in error.message_zh


def test_a_rule_changed_later_does_not_change_a_running_loan(
    library: CircLibrary, uow: Uow
) -> None:
    result = lend(uow, ADULT, "ZC01000001")
    with uow() as work:
        set_rule(work.session, terms={"fine_per_day_fen": 50, "renewals": 0})
        work.commit()
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, result.loan_id)
        assert loan is not None
        assert (loan.fine_per_day_fen, loan.renewals_allowed) == (10, 1)
    assert lend(uow, SENIOR, "ZC01000002").renewals_allowed == 0


def test_the_loan_remembers_the_card_that_was_used(library: CircLibrary, uow: Uow) -> None:
    result = lend(uow, " zc00012345 ", "ZC01000001")
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, result.loan_id)
        assert loan is not None
        assert loan.card_number == ADULT
        assert work.session.get(ServicePoint, loan.checkout_point_id).code == "ZC"  # type: ignore[union-attr]
