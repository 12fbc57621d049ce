"""Placing holds: who may, on what, and which copy is chosen at once."""

from __future__ import annotations

import pytest
from hold_library import SANTI, SANTI_CC, SANTI_XX, SANTI_ZC2, HoldLibrary, circ
from holds_helpers import NOW, Uow, hold_row, lend, place
from sqlalchemy import select

from wenjin.circulation.errors import PatronBlocked
from wenjin.circulation.models import CirculationEvent
from wenjin.circulation.policy import set_rule
from wenjin.holds.errors import (
    AlreadyBorrowed,
    DuplicateHold,
    HoldLimitReached,
    HoldNeedsOneTarget,
    HoldsNotAllowed,
    NothingToHold,
    PickupPointNotAvailable,
)
from wenjin.holds.models import Hold
from wenjin.holds.queries import explain_hold
from wenjin.holds.services import place_hold
from wenjin.holds.states import HoldStatus
from wenjin.network.models import ClosedDay
from wenjin.patrons.models import Patron, PatronCategory
from wenjin.patrons.services import block_patron

ADULT, SENIOR, DOCTOR = circ.ADULT, circ.SENIOR, circ.DOCTOR


def test_a_title_hold_targets_a_copy_at_the_pickup_point_first(
    library: HoldLibrary, uow: Uow
) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    assert placed.status is HoldStatus.WAITING
    assert placed.targeted_barcode == SANTI_CC
    assert placed.queue_position == 1


def test_without_a_copy_at_the_pickup_point_the_nearest_copy_by_courier_is_chosen(
    library: HoldLibrary, uow: Uow
) -> None:
    lend(uow, SANTI_XX, SENIOR, at="ZC-XX")
    # From ZC-XX: the central library is one day away, 昌城 three days.
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX")
    assert placed.targeted_point_code == "ZC"
    assert placed.targeted_barcode in (SANTI, SANTI_ZC2)


def test_two_holds_on_one_title_are_given_two_different_copies(
    library: HoldLibrary, uow: Uow
) -> None:
    # From ZC-CC the central library (two copies) is one day away; 辛兴 (one copy) three.
    lend(uow, SANTI_CC, SENIOR, at="ZC-CC")
    first = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    second = place(uow, DOCTOR, record=library.santi_record, pickup="ZC-CC")
    assert {first.targeted_barcode, second.targeted_barcode} == {SANTI, SANTI_ZC2}
    assert second.queue_position == 2


def test_a_copy_on_loan_or_at_a_point_closed_today_is_never_chosen(
    library: HoldLibrary, uow: Uow
) -> None:
    lend(uow, SANTI, SENIOR, at="ZC")
    lend(uow, SANTI_ZC2, circ.CREDIT, at="ZC")
    with uow() as work:
        work.session.add(ClosedDay(point_id=library.points["ZC-XX"], day=circ.TODAY, reason="盘点"))
        work.commit()
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    assert placed.targeted_barcode == SANTI_CC  # three days away, but open
    with uow(readonly=True) as work:
        explained = explain_hold(work.session, hold_id=placed.hold_id, now=NOW)
    why = {copy.barcode: copy.why_zh for copy in explained.copies}
    assert "今天闭馆" in why[SANTI_XX]
    assert "借出" in why[SANTI]
    assert explained.copies[0].barcode == SANTI_CC
    assert explained.copies[0].chosen


def test_with_no_copy_on_a_shelf_the_hold_waits_untargeted(library: HoldLibrary, uow: Uow) -> None:
    for barcode, at in ((SANTI, "ZC"), (SANTI_ZC2, "ZC"), (SANTI_CC, "ZC-CC"), (SANTI_XX, "ZC-XX")):
        lend(uow, barcode, SENIOR if barcode != SANTI_ZC2 else circ.CREDIT, at=at)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    assert placed.targeted_barcode is None
    assert hold_row(uow, placed.hold_id).status is HoldStatus.WAITING


def test_an_item_hold_only_ever_takes_that_copy(library: HoldLibrary, uow: Uow) -> None:
    placed = place(uow, ADULT, barcode=SANTI_XX, pickup="ZC")
    assert placed.targeted_barcode == SANTI_XX
    assert placed.item_barcode == SANTI_XX


def test_a_reference_book_cannot_be_held(library: HoldLibrary, uow: Uow) -> None:
    with pytest.raises(NothingToHold) as refused:
        place(uow, ADULT, barcode="ZC04000001", pickup="ZC")
    assert "工具书" in refused.value.message_zh or "不外借" in refused.value.message_zh


def test_a_reader_cannot_hold_the_same_title_twice(library: HoldLibrary, uow: Uow) -> None:
    first = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    with pytest.raises(DuplicateHold) as refused:
        place(uow, ADULT, barcode=SANTI_CC, pickup="ZC-CC")
    assert str(first.hold_id) in refused.value.message_zh


def test_a_reader_who_has_the_title_on_loan_is_refused(library: HoldLibrary, uow: Uow) -> None:
    lend(uow, SANTI, ADULT, at="ZC")
    with pytest.raises(AlreadyBorrowed):
        place(uow, ADULT, record=library.santi_record, pickup="ZC")


def test_the_hold_limit_of_the_readers_category_is_enforced(library: HoldLibrary, uow: Uow) -> None:
    with uow() as work:
        senior = work.session.scalars(
            select(PatronCategory).where(PatronCategory.code == "SENIOR")
        ).one()
        set_rule(work.session, category=senior, terms={"hold_limit": 1})
        work.commit()
    place(uow, SENIOR, barcode="ZC01000001", pickup="ZC")
    with pytest.raises(HoldLimitReached) as refused:
        place(uow, SENIOR, barcode="ZC01000003", pickup="ZC")
    assert "上限 1" in refused.value.message_zh


def test_holds_can_be_switched_off_by_the_policy_matrix(library: HoldLibrary, uow: Uow) -> None:
    with uow() as work:
        senior = work.session.scalars(
            select(PatronCategory).where(PatronCategory.code == "SENIOR")
        ).one()
        set_rule(work.session, category=senior, terms={"holds_allowed": False})
        work.commit()
    with pytest.raises(HoldsNotAllowed):
        place(uow, SENIOR, barcode="ZC01000001", pickup="ZC")


def test_a_point_that_is_not_a_pickup_point_is_refused(library: HoldLibrary, uow: Uow) -> None:
    with pytest.raises(PickupPointNotAvailable) as refused:
        place(uow, ADULT, record=library.santi_record, pickup="ZC-V01")
    assert "取书点" in refused.value.message_zh
    assert "pickup point" in refused.value.message_en


def test_a_blocked_reader_cannot_place_a_hold(library: HoldLibrary, uow: Uow) -> None:
    with uow() as work:
        patron = work.session.get(Patron, library.patrons[ADULT])
        assert patron is not None
        block_patron(work.session, patron=patron, reason="损坏图书未赔偿", at=circ.day(3, 1))
        work.commit()
    with pytest.raises(PatronBlocked):
        place(uow, ADULT, record=library.santi_record, pickup="ZC")


def test_a_hold_names_a_record_or_an_item_not_both(library: HoldLibrary, uow: Uow) -> None:
    with uow() as work, pytest.raises(HoldNeedsOneTarget):
        place_hold(
            work.session,
            card_number=ADULT,
            pickup="ZC",
            record=library.santi_record,
            barcode=SANTI,
            now=NOW,
        )


def test_placing_a_hold_is_written_to_the_log(library: HoldLibrary, uow: Uow) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    with uow(readonly=True) as work:
        actions = work.session.scalars(
            select(CirculationEvent.action).where(
                CirculationEvent.patron_id == library.patrons[ADULT]
            )
        ).all()
        hold = work.session.get(Hold, placed.hold_id)
        assert hold is not None
        assert hold.placed_at == NOW
    assert "hold_placed" in actions
