"""Rotation rules without a database: the next station, the due-back date, who travels."""

from __future__ import annotations

from datetime import date

from wenjin.catalog.states import ItemStatus
from wenjin.rotation.rules import Disposition, due_back_on, item_move, next_stop, stay_is_over
from wenjin.rotation.states import COLLECTION_TRANSITIONS, CollectionStatus

STATIONS = [11, 12, 13]


def test_the_next_station_follows_the_current_one_in_the_plan() -> None:
    assert next_stop(STATIONS, 11) == 12
    assert next_stop(STATIONS, 12) == 13


def test_after_the_last_station_the_cycle_starts_again() -> None:
    assert next_stop(STATIONS, 13) == 11


def test_a_collection_new_to_the_plan_starts_at_its_first_station() -> None:
    assert next_stop(STATIONS, None) == 11
    assert next_stop(STATIONS, 99) == 11


def test_a_plan_without_stations_has_no_next_station() -> None:
    assert next_stop([], 11) is None


def test_a_collection_is_due_back_after_the_stay_of_the_plan() -> None:
    assert due_back_on(date(2026, 3, 5), 90) == date(2026, 6, 3)
    assert not stay_is_over(date(2026, 6, 3), date(2026, 6, 2))
    assert stay_is_over(date(2026, 6, 3), date(2026, 6, 3))
    assert not stay_is_over(None, date(2026, 6, 3))


def test_an_item_on_the_shelf_where_the_batch_leaves_goes_with_it() -> None:
    assert item_move(ItemStatus.AVAILABLE, 1, 1).disposition is Disposition.SEND


def test_an_item_on_loan_follows_the_batch_when_returned() -> None:
    assert item_move(ItemStatus.ON_LOAN, 1, 1).disposition is Disposition.FOLLOW


def test_an_item_on_a_shelf_elsewhere_or_in_another_state_cannot_go_and_says_why() -> None:
    elsewhere = item_move(ItemStatus.AVAILABLE, 2, 1)
    assert elsewhere.disposition is Disposition.HOLD_BACK
    assert "调拨回来" in elsewhere.why_zh
    damaged = item_move(ItemStatus.DAMAGED, 1, 1)
    assert damaged.disposition is Disposition.HOLD_BACK
    assert damaged.why_en == "it is damaged"


def test_a_collection_reaches_a_station_only_by_way_of_a_transit_or_a_placement() -> None:
    assert CollectionStatus.AT_STATION not in COLLECTION_TRANSITIONS[CollectionStatus.RECALLED]
    assert CollectionStatus.AT_HOME in COLLECTION_TRANSITIONS[CollectionStatus.RECALLED]
    assert set(COLLECTION_TRANSITIONS) == set(CollectionStatus)
