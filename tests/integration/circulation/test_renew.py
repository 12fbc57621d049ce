"""Renewals (续借): from the day of renewal, on an open day, within the rule; refusals say why."""

from __future__ import annotations

from datetime import date

import pytest
from circ_library import ADULT, CircLibrary, day
from helpers import Uow, give_back, lend
from sqlalchemy import select

from wenjin.circulation.errors import (
    LoanOverdue,
    NotOnLoan,
    PatronBlocked,
    RenewalsUsedUp,
    RenewalTooEarly,
)
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.circulation.services import RenewResult, renew, renew_all
from wenjin.errors import WenjinError
from wenjin.patrons.models import Patron
from wenjin.patrons.services import block_patron


def renewed(uow: Uow, barcode: str, when: object, at: str = "ZC") -> RenewResult:
    with uow() as work:
        result = renew(work.session, at=at, barcode=barcode, now=when)  # type: ignore[arg-type]
        work.commit()
    return result


def refused(uow: Uow, barcode: str, when: object, at: str = "ZC") -> WenjinError:
    with uow() as work, pytest.raises(WenjinError) as caught:
        renew(work.session, at=at, barcode=barcode, now=when)  # type: ignore[arg-type]
    return caught.value


def test_a_renewal_is_due_thirty_days_from_the_renewal_day(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")  # due 2 April
    result = renewed(uow, "ZC01000001", day(3, 31))
    assert (result.previous_due_on, result.due_on) == (date(2026, 4, 2), date(2026, 4, 30))
    assert (result.renewals, result.renewals_left) == (1, 0)
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, result.loan_id)
        assert loan is not None
        assert loan.due_on == date(2026, 4, 30)
        assert loan.last_renewed_at == day(3, 31)


def test_a_renewed_due_date_also_lands_on_an_open_day(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")  # due 2 April
    # Renewed on Saturday 7 March: 30 days on is Monday 6 April (a Monday, and 清明).
    assert renewed(uow, "ZC01000001", day(3, 7)).due_on == date(2026, 4, 7)


def test_a_renewal_may_be_made_at_any_point(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    assert renewed(uow, "ZC01000001", day(3, 31), at="ZC-V01").due_on == date(2026, 4, 30)


def test_renewals_stop_when_the_rule_allows_no_more(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    renewed(uow, "ZC01000001", day(3, 31))
    error = refused(uow, "ZC01000001", day(4, 28))
    assert isinstance(error, RenewalsUsedUp)
    assert "2026-04-30 前归还" in error.message_zh


def test_an_overdue_item_cannot_be_renewed(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    error = refused(uow, "ZC01000001", day(4, 3))
    assert isinstance(error, LoanOverdue)
    assert "滞纳金" in error.message_zh


def test_a_blocked_reader_cannot_renew(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    with uow() as work:
        patron = work.session.get(Patron, library.patrons[ADULT])
        block_patron(work.session, patron=patron, reason="读者证借给他人使用", at=day(3, 10))  # type: ignore[arg-type]
        work.commit()
    error = refused(uow, "ZC01000001", day(3, 31))
    assert isinstance(error, PatronBlocked)
    assert "读者证借给他人使用" in error.message_zh


def test_renewing_too_early_to_extend_the_loan_is_refused(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")  # 3 March, due 2 April
    error = refused(uow, "ZC01000001", day(3, 3, hour=11))
    assert isinstance(error, RenewalTooEarly)


def test_an_item_that_is_not_on_loan_cannot_be_renewed(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    give_back(uow, "ZC01000001", at="ZC", now=day(3, 10))
    error = refused(uow, "ZC01000001", day(3, 31))
    assert isinstance(error, NotOnLoan)
    assert "续借" in error.message_zh


def test_a_renewal_is_logged_with_the_old_and_new_due_dates(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    renewed(uow, "ZC01000001", day(3, 31), at="ZC-CC")
    with uow(readonly=True) as work:
        entry = work.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "renew")
        ).one()
        assert entry.before == {"due_on": "2026-04-02", "renewals": 0}
        assert entry.after == {"due_on": "2026-04-30", "renewals": 1}
        assert entry.point_id == library.points["ZC-CC"]


def test_renewing_everything_renews_each_loan_and_reports_each_refusal(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000001")  # due 2 April
    lend(uow, "ZC01000002")
    renewed(uow, "ZC01000002", day(3, 31))  # its one renewal is used up
    with uow() as work:
        outcome = renew_all(work.session, at="ZC", card_number=ADULT, now=day(4, 1))
        work.commit()
    assert [result.barcode for result in outcome.renewed] == ["ZC01000001"]
    (refusal,) = outcome.refused
    assert refusal.barcode == "ZC01000002"
    assert isinstance(refusal.error, RenewalsUsedUp)
    with uow(readonly=True) as work:
        due = dict(work.session.execute(select(Loan.item_id, Loan.due_on)).all())
    assert sorted(due.values()) == [date(2026, 4, 30), date(2026, 5, 1)]


def test_renewing_everything_for_a_reader_with_no_loans_renews_nothing(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        outcome = renew_all(work.session, at="ZC", card_number=ADULT, now=day(4, 1))
    assert (outcome.renewed, outcome.refused) == ([], [])
