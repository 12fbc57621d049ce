"""Capture at checkin, the hold shelf, transits for holds, fulfilment, and the races."""

from __future__ import annotations

from datetime import date

import pytest
from hold_library import SANTI, SANTI_CC, SANTI_XX, SANTI_ZC2, HoldLibrary, circ
from holds_helpers import NOW, Uow, give_back, hold_row, item_row, lend, notices_of, place
from sqlalchemy import update

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import ItemOnHoldShelf, ReaderWaitingForTitle
from wenjin.circulation.services import receive_transit, renew
from wenjin.holds.models import Hold
from wenjin.holds.queries import hold_shelf, list_holds, pull_list
from wenjin.holds.services import (
    cancel_hold,
    change_pickup,
    expire_hold_shelf,
    report_copy_missing,
    resume_hold,
    suspend_hold,
)
from wenjin.holds.states import CancelReason, HoldStatus
from wenjin.holds.targeting import target_all_waiting
from wenjin.notices.states import NoticeKind

ADULT, SENIOR, DOCTOR, CREDIT = circ.ADULT, circ.SENIOR, circ.DOCTOR, circ.CREDIT
day = circ.day


def _everything_out(uow: Uow) -> None:
    """Every copy of 三体 on loan, so that holds wait for a return."""
    lend(uow, SANTI, SENIOR, at="ZC")
    lend(uow, SANTI_ZC2, CREDIT, at="ZC")
    lend(uow, SANTI_CC, SENIOR, at="ZC-CC")
    lend(uow, SANTI_XX, CREDIT, at="ZC-XX")


def test_a_copy_returned_at_the_pickup_point_goes_on_its_hold_shelf(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    returned = give_back(uow, SANTI, at="ZC", now=day(3, 3, 15))
    assert returned.hold_id == placed.hold_id
    assert returned.transit_id is None
    # 7 open days of the central library (closed on Mondays): Wed 4 … Wed 11 March.
    assert returned.slip.zh.startswith("预约保留：王小明 ZC****2345，取书截止 2026-03-11")
    assert item_row(uow, SANTI).status is ItemStatus.ON_HOLD_SHELF
    hold = hold_row(uow, placed.hold_id)
    assert hold.status is HoldStatus.READY
    assert hold.expires_on == date(2026, 3, 11)
    assert hold.shelf_point_id == library.points["ZC"]
    [notice] = notices_of(uow, library.patrons[ADULT])
    assert notice["kind"] == NoticeKind.HOLD_READY
    assert notice["status"] == "queued"
    assert "三体" in notice["zh"]
    assert "2026-03-11" in notice["en"]
    with uow(readonly=True) as work:
        [line] = hold_shelf(work.session, at="ZC", today=circ.TODAY)
    assert line.barcode == SANTI
    assert line.card_masked == "ZC****2345"


def test_a_copy_returned_elsewhere_travels_to_the_pickup_point_and_is_ready_on_receipt(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX")
    returned = give_back(uow, SANTI_CC, at="ZC-CC")
    assert returned.hold_id == placed.hold_id
    assert returned.destination_code == "ZC-XX"
    assert returned.slip.zh.startswith("送往 辛兴镇图书馆（预约）")
    assert item_row(uow, SANTI_CC).status is ItemStatus.IN_TRANSIT
    assert hold_row(uow, placed.hold_id).status is HoldStatus.IN_TRANSIT
    assert hold_row(uow, placed.hold_id).transit_id == returned.transit_id
    with uow() as work:
        received = receive_transit(work.session, at="ZC-XX", barcode=SANTI_CC, now=day(3, 4))
        work.commit()
    assert received.hold_id == placed.hold_id
    assert received.slip.zh.startswith("预约保留：王小明")
    assert hold_row(uow, placed.hold_id).status is HoldStatus.READY
    assert item_row(uow, SANTI_CC).status is ItemStatus.ON_HOLD_SHELF
    assert item_row(uow, SANTI_CC).current_point_id == library.points["ZC-XX"]


def test_the_hold_picked_up_here_wins_over_an_earlier_hold_elsewhere(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    earlier = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX", now=day(3, 3, 9))
    here = place(uow, DOCTOR, record=library.santi_record, pickup="ZC", now=day(3, 3, 10))
    returned = give_back(uow, SANTI, at="ZC", now=day(3, 3, 11))
    assert returned.hold_id == here.hold_id
    # The next copy back goes to the earlier hold, wherever it is returned.
    again = give_back(uow, SANTI_ZC2, at="ZC", now=day(3, 3, 12))
    assert again.hold_id == earlier.hold_id
    assert again.destination_code == "ZC-XX"


def test_the_pull_list_shows_the_chosen_copy_and_scanning_it_fills_the_hold(
    library: HoldLibrary, uow: Uow
) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX")
    assert placed.targeted_barcode == SANTI_XX
    with uow(readonly=True) as work:
        [line] = pull_list(work.session, at="ZC-XX")
    assert (line.barcode, line.hold_id, line.call_number) == (
        SANTI_XX,
        placed.hold_id,
        "I247.55/42",
    )
    scanned = give_back(uow, SANTI_XX, at="ZC-XX")
    assert scanned.hold_id == placed.hold_id
    assert hold_row(uow, placed.hold_id).status is HoldStatus.READY
    with uow(readonly=True) as work:
        assert pull_list(work.session, at="ZC-XX") == []


def test_the_chosen_copy_lent_to_a_walk_in_reader_first_gets_the_hold_another_copy(
    library: HoldLibrary, uow: Uow
) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    assert placed.targeted_barcode == SANTI_CC
    # A second before the page reaches the shelf, a walk-in reader borrows that copy.
    lend(uow, SANTI_CC, SENIOR, at="ZC-CC")
    retargeted = hold_row(uow, placed.hold_id)
    assert retargeted.status is HoldStatus.WAITING
    assert retargeted.targeted_item_id in (library.items[SANTI], library.items[SANTI_ZC2])


def test_a_copy_found_missing_is_recorded_and_the_hold_gets_another(
    library: HoldLibrary, uow: Uow
) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    with uow() as work:
        chosen = report_copy_missing(work.session, hold_id=placed.hold_id, now=NOW)
        work.commit()
    assert item_row(uow, SANTI_CC).status is ItemStatus.MISSING
    assert chosen is not None
    assert chosen.barcode in (SANTI, SANTI_ZC2)


def test_a_hold_cancelled_while_its_copy_is_in_transit_passes_the_copy_to_the_next_hold(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    first = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX", now=day(3, 3, 9))
    second = place(uow, DOCTOR, record=library.santi_record, pickup="ZC-XX", now=day(3, 3, 10))
    give_back(uow, SANTI, at="ZC", now=day(3, 3, 11))
    with uow() as work:
        cancel_hold(work.session, hold_id=first.hold_id, now=day(3, 3, 12))
        work.commit()
    with uow() as work:
        received = receive_transit(work.session, at="ZC-XX", barcode=SANTI, now=day(3, 4))
        work.commit()
    assert received.hold_id == second.hold_id
    assert hold_row(uow, first.hold_id).status is HoldStatus.CANCELLED
    assert hold_row(uow, second.hold_id).status is HoldStatus.READY


def test_a_hold_cancelled_in_transit_with_no_one_waiting_sends_the_copy_home(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX")
    give_back(uow, SANTI, at="ZC")
    with uow() as work:
        cancel_hold(work.session, hold_id=placed.hold_id, now=NOW)
        work.commit()
    with uow() as work:
        received = receive_transit(work.session, at="ZC-XX", barcode=SANTI, now=day(3, 4))
        work.commit()
    assert received.hold_id is None
    assert received.destination_code == "ZC"
    assert item_row(uow, SANTI).status is ItemStatus.IN_TRANSIT


def test_a_copy_on_the_hold_shelf_is_not_lent_to_another_reader(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    place(uow, ADULT, record=library.santi_record, pickup="ZC")
    give_back(uow, SANTI, at="ZC")
    with pytest.raises(ItemOnHoldShelf) as refused:
        lend(uow, SANTI, DOCTOR, at="ZC")
    assert "预约架" in refused.value.message_zh
    assert "hold shelf" in refused.value.message_en


def test_the_reader_it_waits_for_checks_it_out_and_the_hold_is_fulfilled(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    give_back(uow, SANTI, at="ZC")
    loan = lend(uow, SANTI, ADULT, at="ZC")
    hold = hold_row(uow, placed.hold_id)
    assert hold.status is HoldStatus.FULFILLED
    assert hold.loan_id == loan.loan_id
    assert item_row(uow, SANTI).status is ItemStatus.ON_LOAN


def test_borrowing_another_copy_of_the_title_fulfils_the_readers_waiting_hold(
    library: HoldLibrary, uow: Uow
) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    assert placed.targeted_barcode == SANTI_CC
    lend(uow, SANTI, ADULT, at="ZC")
    hold = hold_row(uow, placed.hold_id)
    assert hold.status is HoldStatus.FULFILLED
    with uow(readonly=True) as work:
        assert pull_list(work.session, at="ZC-CC") == []


def test_a_loan_is_not_renewed_while_another_reader_waits_for_the_title(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    place(uow, ADULT, record=library.santi_record, pickup="ZC")
    with uow() as work, pytest.raises(ReaderWaitingForTitle) as refused:
        renew(work.session, at="ZC", barcode=SANTI, now=day(3, 20))
    assert "预约" in refused.value.message_zh


def test_a_suspended_hold_does_not_block_a_renewal_or_take_a_copy(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    with uow() as work:
        suspend_hold(work.session, hold_id=placed.hold_id, until=date(2026, 4, 30), now=NOW)
        work.commit()
    with uow() as work:
        renew(work.session, at="ZC", barcode=SANTI, now=day(3, 20))
        work.commit()
    returned = give_back(uow, SANTI_ZC2, at="ZC", now=day(3, 21))
    assert returned.hold_id is None
    with uow() as work:
        resume_hold(work.session, hold_id=placed.hold_id, now=day(3, 22))
        work.commit()
    assert hold_row(uow, placed.hold_id).targeted_item_id == library.items[SANTI_ZC2]


def test_changing_the_pickup_point_chooses_the_copy_again(library: HoldLibrary, uow: Uow) -> None:
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    with uow() as work:
        change_pickup(work.session, hold_id=placed.hold_id, pickup="ZC-XX", now=NOW)
        work.commit()
    hold = hold_row(uow, placed.hold_id)
    assert hold.pickup_point_id == library.points["ZC-XX"]
    assert hold.targeted_item_id == library.items[SANTI_XX]


def test_an_expired_hold_passes_its_copy_to_the_next_hold_and_tells_the_reader(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    first = place(uow, ADULT, record=library.santi_record, pickup="ZC", now=day(3, 3, 9))
    second = place(uow, DOCTOR, record=library.santi_record, pickup="ZC", now=day(3, 3, 10))
    give_back(uow, SANTI, at="ZC")
    with uow() as work:
        assert expire_hold_shelf(work.session, today=date(2026, 3, 11), now=day(3, 11)) == []
        expired = expire_hold_shelf(work.session, today=date(2026, 3, 12), now=day(3, 12))
        work.commit()
    assert [e.hold_id for e in expired] == [first.hold_id]
    assert expired[0].next_hold_id == second.hold_id
    assert hold_row(uow, first.hold_id).status is HoldStatus.EXPIRED
    assert hold_row(uow, second.hold_id).status is HoldStatus.READY
    kinds = [n["kind"] for n in notices_of(uow, library.patrons[ADULT])]
    assert kinds == [NoticeKind.HOLD_READY, NoticeKind.HOLD_EXPIRED]


def test_an_expired_hold_with_no_one_waiting_sends_its_copy_home(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX")
    give_back(uow, SANTI, at="ZC")
    with uow() as work:
        receive_transit(work.session, at="ZC-XX", barcode=SANTI, now=day(3, 4))
        work.commit()
    with uow() as work:
        [expired] = expire_hold_shelf(work.session, today=date(2026, 4, 1), now=day(4, 1))
        work.commit()
    assert expired.hold_id == placed.hold_id
    assert expired.next_hold_id is None
    assert "周转箱" in expired.slip.zh
    assert item_row(uow, SANTI).status is ItemStatus.IN_TRANSIT


def test_cancelling_a_ready_hold_puts_the_copy_back_on_the_shelf_at_home(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC")
    give_back(uow, SANTI, at="ZC")
    with uow() as work:
        cancel_hold(work.session, hold_id=placed.hold_id, reason=CancelReason.STAFF, now=NOW)
        work.commit()
    assert item_row(uow, SANTI).status is ItemStatus.AVAILABLE
    kinds = [n["kind"] for n in notices_of(uow, library.patrons[ADULT])]
    assert kinds[-1] == NoticeKind.HOLD_CANCELLED


def test_targeting_every_waiting_hold_gives_distinct_copies_earliest_hold_first(
    library: HoldLibrary, uow: Uow
) -> None:
    readers = (
        (ADULT, "ZC-CC", 9),
        (DOCTOR, "ZC", 10),
        (circ.CHILD, "ZC", 11),
        (CREDIT, "ZC-CC", 12),
    )
    holds = [
        place(uow, card, record=library.santi_record, pickup=pickup, now=day(3, 3, hour)).hold_id
        for card, pickup, hour in readers
    ]
    with uow() as work:  # as if the holds came from an older system, with no copy chosen
        work.session.execute(update(Hold).values(targeted_item_id=None, targeted_at=None))
        work.commit()
    with uow() as work:
        summary = target_all_waiting(work.session, now=NOW)
        work.commit()
    assert (summary.holds, summary.targeted, summary.without_copy) == (4, 4, 0)
    chosen = [hold_row(uow, hold_id).targeted_item_id for hold_id in holds]
    items = library.items
    assert chosen[0] == items[SANTI_CC]  # at its pickup point
    assert {chosen[1], chosen[2]} == {items[SANTI], items[SANTI_ZC2]}
    assert chosen[3] == items[SANTI_XX]  # the central copies are taken: three days away
    with uow() as work:
        again = target_all_waiting(work.session, now=NOW)
        work.commit()
    assert (again.kept, again.targeted) == (4, 0)
    with uow(readonly=True) as work:
        lines = list_holds(work.session, record_id=library.santi_record)
    assert [line.queue_position for line in lines] == [1, 2, 3, 4]


def test_a_copy_for_a_hold_that_arrives_at_the_wrong_point_is_sent_on_and_the_hold_follows(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-XX")
    first = give_back(uow, SANTI, at="ZC")
    with uow() as work:
        rerouted = receive_transit(work.session, at="ZC-CC", barcode=SANTI, now=day(3, 4))
        work.commit()
    assert rerouted.destination_code == "ZC-XX"
    hold = hold_row(uow, placed.hold_id)
    assert hold.status is HoldStatus.IN_TRANSIT
    assert hold.transit_id == rerouted.transit_id != first.transit_id
    with uow() as work:
        received = receive_transit(work.session, at="ZC-XX", barcode=SANTI, now=day(3, 5))
        work.commit()
    assert received.hold_id == placed.hold_id
    assert hold_row(uow, placed.hold_id).status is HoldStatus.READY


def test_a_copy_back_home_from_a_transit_fills_a_waiting_hold(
    library: HoldLibrary, uow: Uow
) -> None:
    _everything_out(uow)
    returned = give_back(uow, SANTI_CC, at="ZC")  # 昌城's copy returned at the central library
    assert returned.destination_code == "ZC-CC"
    placed = place(uow, ADULT, record=library.santi_record, pickup="ZC-CC")
    with uow() as work:
        received = receive_transit(work.session, at="ZC-CC", barcode=SANTI_CC, now=day(3, 4))
        work.commit()
    assert received.hold_id == placed.hold_id
    assert item_row(uow, SANTI_CC).status is ItemStatus.ON_HOLD_SHELF
