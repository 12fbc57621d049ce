"""The pure rules of holds: eligibility, ranking, capture order, hold shelf expiry, slips."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.rules import PolicyRule
from wenjin.holds.rules import (
    CopyFacts,
    PointLoad,
    Rejection,
    WaitingHold,
    can_fill,
    capture_order,
    copy_rejection,
    hold_shelf_slip,
    hold_transit_slip,
    is_suspended,
    mask_card,
    rank_key,
    shelf_expiry,
)
from wenjin.network.rules import OpeningCalendar, WeeklyHours

CENTRAL, TOWN, VILLAGE, FAR = 1, 2, 3, 4
LENDING = PolicyRule(id=1)


def copy(barcode: str, point: int, status: ItemStatus = ItemStatus.AVAILABLE) -> CopyFacts:
    return CopyFacts(
        item_id=int(barcode[-3:]),
        barcode=barcode,
        bib_id=7,
        status=status,
        point_id=point,
        owning_point_id=point,
        item_type_id=1,
        type_lendable=True,
    )


def judge(c: CopyFacts, **changes: object) -> Rejection | None:
    facts: dict[str, object] = {
        "targeted_for_another": False,
        "point_active": True,
        "point_open_today": True,
        "rule": LENDING,
    }
    facts.update(changes)
    return copy_rejection(c, **facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "status",
    [
        ItemStatus.ON_LOAN,
        ItemStatus.IN_TRANSIT,
        ItemStatus.ON_HOLD_SHELF,
        ItemStatus.MISSING,
        ItemStatus.LOST,
        ItemStatus.DAMAGED,
        ItemStatus.WITHDRAWN,
    ],
)
def test_only_a_copy_on_the_shelf_can_fill_a_hold(status: ItemStatus) -> None:
    assert judge(copy("ZC0012001", CENTRAL, status)) is Rejection.NOT_ON_SHELF


def test_a_copy_on_the_shelf_at_an_open_point_under_a_lending_rule_can_fill_a_hold() -> None:
    assert judge(copy("ZC0012001", CENTRAL)) is None


def test_a_copy_chosen_for_another_hold_or_at_a_closed_point_is_rejected() -> None:
    c = copy("ZC0012001", CENTRAL)
    assert judge(c, targeted_for_another=True) is Rejection.TARGETED_FOR_ANOTHER
    assert judge(c, point_open_today=False) is Rejection.POINT_CLOSED_TODAY
    assert judge(c, point_active=False) is Rejection.POINT_INACTIVE


def test_the_policy_matrix_can_keep_a_copy_out_of_holds() -> None:
    c = copy("ZC0012001", CENTRAL)
    assert judge(c, rule=None) is Rejection.NO_RULE
    assert judge(c, rule=PolicyRule(id=2, lendable=False)) is Rejection.RULE_DOES_NOT_LEND
    assert judge(c, rule=PolicyRule(id=3, holds_allowed=False)) is Rejection.RULE_EXCLUDES_HOLDS
    reference = CopyFacts(**{**c.__dict__, "type_lendable": False})
    assert judge(reference) is Rejection.TYPE_NOT_LENDABLE


def test_an_item_hold_rejects_every_other_copy() -> None:
    assert judge(copy("ZC0012001", CENTRAL), held_item_id=2) is Rejection.NOT_THE_HELD_COPY
    assert judge(copy("ZC0012002", CENTRAL), held_item_id=2) is None


def ranked(
    copies: list[CopyFacts], pickup: int, days: dict[int, int], load: dict[int, PointLoad]
) -> list[str]:
    return [
        c.barcode
        for c in sorted(
            copies, key=lambda c: rank_key(c, pickup_point_id=pickup, travel_days=days, load=load)
        )
    ]


def test_a_copy_at_the_pickup_point_ranks_before_any_other() -> None:
    copies = [copy("ZC0012001", CENTRAL), copy("ZC0012002", TOWN)]
    assert ranked(copies, TOWN, {CENTRAL: 1}, {})[0] == "ZC0012002"


def test_then_the_nearest_by_courier_travel_time() -> None:
    copies = [copy("ZC0012001", FAR), copy("ZC0012002", CENTRAL)]
    assert ranked(copies, VILLAGE, {FAR: 3, CENTRAL: 1}, {}) == ["ZC0012002", "ZC0012001"]


def test_a_point_with_no_courier_route_ranks_last() -> None:
    copies = [copy("ZC0012001", FAR), copy("ZC0012002", CENTRAL)]
    assert ranked(copies, VILLAGE, {CENTRAL: 5}, {}) == ["ZC0012002", "ZC0012001"]


def test_among_equally_near_points_the_fuller_shelf_gives_the_copy() -> None:
    copies = [copy("ZC0012001", TOWN), copy("ZC0012002", CENTRAL)]
    load = {TOWN: PointLoad(available_left=1), CENTRAL: PointLoad(available_left=4)}
    assert ranked(copies, VILLAGE, {TOWN: 1, CENTRAL: 1}, load)[0] == "ZC0012002"


def test_then_the_point_that_gave_fewer_copies_to_holds_today() -> None:
    copies = [copy("ZC0012001", TOWN), copy("ZC0012002", CENTRAL)]
    load = {
        TOWN: PointLoad(available_left=2, targeted_today=0),
        CENTRAL: PointLoad(available_left=2, targeted_today=9),
    }
    assert ranked(copies, VILLAGE, {TOWN: 1, CENTRAL: 1}, load)[0] == "ZC0012001"


def test_a_returned_copy_goes_to_the_hold_picked_up_here_then_to_the_earliest_placed() -> None:
    early = datetime(2026, 3, 1, 9, tzinfo=UTC)
    late = datetime(2026, 3, 2, 9, tzinfo=UTC)
    holds = [
        WaitingHold(1, 100, pickup_point_id=TOWN, placed_at=early, item_id=None),
        WaitingHold(2, 101, pickup_point_id=CENTRAL, placed_at=late, item_id=None),
        WaitingHold(3, 102, pickup_point_id=CENTRAL, placed_at=early, item_id=None),
    ]
    order = sorted(holds, key=lambda h: capture_order(h, CENTRAL))
    assert [h.hold_id for h in order] == [3, 2, 1]


def test_an_item_hold_is_filled_only_by_its_copy() -> None:
    hold = WaitingHold(1, 100, TOWN, datetime(2026, 3, 1, tzinfo=UTC), item_id=5)
    assert can_fill(hold, 5)
    assert not can_fill(hold, 6)


def test_the_hold_shelf_keeps_a_copy_for_open_days_of_the_pickup_point() -> None:
    closed_mondays = OpeningCalendar(
        WeeklyHours.parse({str(d): ["09:00-17:00"] for d in range(2, 8)}),
        {date(2026, 3, 7): "盘点"},
    )
    # Tuesday 3 March: Wed 4, Thu 5, Fri 6, (Sat 7 closed), Sun 8, (Mon 9), Tue 10, Wed 11, Thu 12.
    assert shelf_expiry(closed_mondays, date(2026, 3, 3), 7) == date(2026, 3, 12)


def test_a_suspended_hold_waits_again_from_its_date() -> None:
    assert is_suspended(date(2026, 4, 1), date(2026, 3, 31))
    assert not is_suspended(date(2026, 4, 1), date(2026, 4, 1))
    assert not is_suspended(None, date(2026, 4, 1))


def test_slips_mask_the_card_and_say_where_the_copy_goes() -> None:
    assert mask_card("ZC00012345") == "ZC****2345"
    shelf = hold_shelf_slip("王小明", mask_card("ZC00012345"), date(2026, 3, 11))
    assert shelf.zh.startswith("预约保留：王小明 ZC****2345，取书截止 2026-03-11")
    assert "2026-03-11" in shelf.en
    transit = hold_transit_slip("昌城镇图书馆", "ZC-CC")
    assert transit.zh.startswith("送往 昌城镇图书馆（预约）")
    assert "ZC-CC" in transit.en
