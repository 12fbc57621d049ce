"""How a waiting item leaves: the first courier leg of its quickest route, on the leg's day."""

from __future__ import annotations

from datetime import date

from wenjin.network.rules import Leg, RouteMap
from wenjin.transfers.rules import dispatch, next_departure

TUESDAY = date(2026, 3, 3)
ROUTES = RouteMap(
    [
        Leg("ZX", "MZ", 1, frozenset({2, 5})),  # Tuesdays and Fridays
        Leg("ZX", "LD", 1, None),  # every day
        Leg("LD", "LD-V01", 2, frozenset({4})),  # Thursdays
        Leg("ZX", "MZ-L01", 1, frozenset({3})),  # Wednesdays
    ]
)


def test_a_courier_that_runs_every_day_leaves_the_same_day() -> None:
    assert next_departure(Leg("ZX", "LD", 1, None), TUESDAY) == TUESDAY


def test_a_courier_with_weekdays_leaves_on_its_next_weekday() -> None:
    assert next_departure(Leg("ZX", "MZ-L01", 1, frozenset({3})), TUESDAY) == date(2026, 3, 4)
    assert next_departure(Leg("ZX", "MZ", 1, frozenset({2, 5})), date(2026, 3, 4)) == date(
        2026, 3, 6
    )


def test_an_item_for_a_village_leaves_on_the_first_leg_and_arrives_after_the_last() -> None:
    way = dispatch(ROUTES, "ZX", "LD-V01", TUESDAY)
    assert way is not None
    assert (way.next_stop, way.leaves_on, way.arrives_on) == ("LD", TUESDAY, date(2026, 3, 7))
    assert way.path == ("ZX", "LD", "LD-V01")


def test_an_item_with_no_courier_route_has_no_way_out() -> None:
    assert dispatch(ROUTES, "LD-V01", "MZ", TUESDAY) is None
    assert dispatch(ROUTES, "ZX", "ZX", TUESDAY) is None
