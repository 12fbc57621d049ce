"""The desk's fast reads give the same answers as the patrons and network domains' own."""

from __future__ import annotations

from datetime import date

import pytest
from circ_library import ADULT, CHILD, CLASS, CREDIT, DOCTOR, LAPSED, SENIOR, CircLibrary, day
from helpers import Uow, lend
from sqlalchemy import select

from wenjin.circulation.errors import PointDoesNotLend
from wenjin.circulation.lookups import (
    calendar_window,
    desk_patron_by_card,
    desk_patron_by_id,
    point_by_code,
)
from wenjin.circulation.queries import ReaderObligations
from wenjin.circulation.services import checkout
from wenjin.network.errors import PointNotFound
from wenjin.network.models import ClosedDay, ServicePoint
from wenjin.network.queries import calendar_for
from wenjin.patrons.errors import AccountHasObligations
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import get_patron_by_card, patron_facts
from wenjin.patrons.services import (
    block_patron,
    close_account,
    register_patron,
    replace_card,
    report_card_lost,
    waive_deposit,
)

PUPIL = "ZC00060001"
CARDS = [ADULT, SENIOR, DOCTOR, CREDIT, LAPSED, CHILD, CLASS, PUPIL]


def _change_some_readers(uow: Uow, library: CircLibrary) -> None:
    with uow() as work:
        session = work.session
        adult = session.get(Patron, library.patrons[ADULT])
        replace_card(session, patron=adult, new_card_number="ZC00019999", at=day(2, 1))  # type: ignore[arg-type]
        senior = session.get(Patron, library.patrons[SENIOR])
        block_patron(
            session, patron=senior, reason="逾期不还，电话联系未果", by="刘老师", at=day(2, 2)
        )  # type: ignore[arg-type]
        block_patron(session, patron=senior, reason="损坏图书未赔", at=day(2, 3))  # type: ignore[arg-type]
        child = session.get(Patron, library.patrons[CHILD])
        report_card_lost(session, patron=child, at=day(2, 4))  # type: ignore[arg-type]
        pupil = register_patron(
            session,
            card_number=PUPIL,
            name="吴小刚",
            category="STUDENT",
            home_point="ZC-CC",
            today=date(2026, 2, 5),
        )
        waive_deposit(
            session, patron=pupil, reason="实验中学担保", at=day(2, 5), today=date(2026, 2, 5)
        )
        work.commit()


@pytest.mark.parametrize("card", [*CARDS, "ZC00019999"])
def test_the_fast_reader_facts_match_the_patrons_domain(
    library: CircLibrary, uow: Uow, card: str
) -> None:
    _change_some_readers(uow, library)
    with uow(readonly=True) as work:
        slow = get_patron_by_card(work.session, card)
        expected = patron_facts(slow.patron, card=slow.card)
        fast = desk_patron_by_card(work.session, card)
        assert fast.facts == _with_plain_category(expected, fast.facts)
        assert fast.patron_id == slow.patron.id
        assert fast.card_number == slow.card.number
        no_card = desk_patron_by_id(work.session, slow.patron.id)
        assert no_card.facts == _with_plain_category(
            patron_facts(slow.patron, card=None), no_card.facts
        )


def _with_plain_category(expected: object, fast: object) -> object:
    """Compare every field; the category is compared by its code and deposit."""
    category = expected.category  # type: ignore[attr-defined]
    assert (category.code, category.deposit_fen, category.credit_based) == (
        fast.category.code,  # type: ignore[attr-defined]
        fast.category.deposit_fen,  # type: ignore[attr-defined]
        fast.category.credit_based,  # type: ignore[attr-defined]
    )
    from dataclasses import replace

    return replace(expected, category=fast.category)  # type: ignore[type-var]


def test_a_point_is_found_by_its_code_whatever_the_case(library: CircLibrary, uow: Uow) -> None:
    with uow(readonly=True) as work:
        assert point_by_code(work.session, " zc-cc ").code == "ZC-CC"
        with pytest.raises(PointNotFound):
            point_by_code(work.session, "ZC-NOWHERE")


def test_a_point_that_stops_lending_refuses_the_next_checkout(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000001", at="ZC-CC")
    with uow() as work:
        work.session.scalars(
            select(ServicePoint).where(ServicePoint.code == "ZC-CC")
        ).one().lends = False
        work.commit()
    with uow() as work, pytest.raises(PointDoesNotLend):
        checkout(work.session, at="ZC-CC", card_number=SENIOR, barcode="ZC01000002", now=day(3, 4))


@pytest.mark.parametrize("code", ["ZC", "ZC-CC", "ZC-24H", "ZC-V01"])
def test_the_lending_calendar_matches_the_networks_within_its_window(
    library: CircLibrary, uow: Uow, code: str
) -> None:
    with uow() as work:
        branch = work.session.scalars(
            select(ServicePoint).where(ServicePoint.code == "ZC-CC")
        ).one()
        work.session.add(ClosedDay(point=branch, day=date(2026, 4, 8), reason="盘点"))
        work.commit()
    first, last = date(2026, 3, 25), date(2026, 4, 20)
    with uow(readonly=True) as work:
        point = work.session.scalars(select(ServicePoint).where(ServicePoint.code == code)).one()
        full = calendar_for(work.session, point)
        window = calendar_window(work.session, point.id, first, last)
    for offset in range((last - first).days + 1):
        some_day = date.fromordinal(first.toordinal() + offset)
        assert window.is_open(some_day) == full.is_open(some_day), some_day


def test_a_new_closed_day_changes_the_next_due_date_at_once(library: CircLibrary, uow: Uow) -> None:
    assert lend(uow, "ZC01000001").due_on == date(2026, 4, 2)
    with uow() as work:
        central = work.session.scalars(select(ServicePoint).where(ServicePoint.code == "ZC")).one()
        work.session.add(ClosedDay(point=central, day=date(2026, 4, 2), reason="停电检修"))
        work.commit()
    assert lend(uow, "ZC01000002", card=SENIOR).due_on == date(2026, 4, 3)


def test_a_reader_with_items_out_cannot_close_the_account(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001", card=SENIOR)
    with uow() as work:
        patron = work.session.get(Patron, library.patrons[SENIOR])
        assert ReaderObligations().open_loans(work.session, patron) == 1  # type: ignore[arg-type]
        with pytest.raises(AccountHasObligations):
            close_account(work.session, patron=patron, obligations=ReaderObligations())  # type: ignore[arg-type]
