"""Courier routing: shortest travel days, unreachable points, courier weekdays."""

from __future__ import annotations

from datetime import date

import pytest

from wenjin.network.rules import Leg, RouteMap, find_cycle, tree_order


def two_way(a: str, b: str, days: int, weekdays: frozenset[int] | None = None) -> list[Leg[str]]:
    return [Leg(a, b, days, weekdays), Leg(b, a, days, weekdays)]


@pytest.fixture
def county() -> RouteMap[str]:
    return RouteMap(
        [
            *two_way("ZX", "CC", 1),
            *two_way("ZX", "XZ", 1),
            *two_way("CC", "CC-V001", 2),
            *two_way("XZ", "XZ-T01", 1),
            *two_way("CC", "XZ", 3),  # a slow direct road between the two towns
            Leg("ZX", "BM", 1),  # the bookmobile only receives
        ]
    )


def test_the_shortest_route_goes_through_the_central_library(county: RouteMap[str]) -> None:
    route = county.shortest("CC-V001", "XZ-T01")
    assert route is not None
    assert route.days == 5
    assert route.path == ("CC-V001", "CC", "ZX", "XZ", "XZ-T01")


def test_a_tie_prefers_fewer_legs() -> None:
    routes = RouteMap([Leg("A", "B", 1), Leg("B", "C", 1), Leg("A", "C", 2)])
    route = routes.shortest("A", "C")
    assert route is not None
    assert route.path == ("A", "C")


def test_a_point_is_zero_days_from_itself(county: RouteMap[str]) -> None:
    route = county.shortest("CC", "CC")
    assert route is not None
    assert (route.days, route.path) == (0, ("CC",))


def test_an_unreachable_point_has_no_route(county: RouteMap[str]) -> None:
    assert county.shortest("BM", "ZX") is None
    assert county.travel_days("ZX", "NOWHERE") is None


def test_travel_days_from_one_point_reach_every_connected_point(county: RouteMap[str]) -> None:
    assert county.distances_from("CC") == {
        "CC": 0,
        "ZX": 1,
        "CC-V001": 2,
        "XZ": 2,
        "BM": 2,
        "XZ-T01": 3,
    }


def test_the_nearest_candidate_wins_and_the_first_wins_a_tie(county: RouteMap[str]) -> None:
    assert county.nearest("CC-V001", ["XZ-T01", "ZX", "XZ"]) == ("ZX", 3)
    assert county.nearest("ZX", ["XZ", "CC"]) == ("XZ", 1)
    assert county.nearest("BM", ["ZX"]) is None


def test_the_quicker_of_two_legs_between_the_same_points_counts() -> None:
    routes = RouteMap([Leg("A", "B", 3), Leg("A", "B", 1)])
    assert routes.travel_days("A", "B") == 1


def test_a_negative_leg_is_refused() -> None:
    with pytest.raises(ValueError, match="-1"):
        RouteMap([Leg("A", "B", -1)])


def test_arrival_waits_for_the_courier_weekday() -> None:
    tue_fri = frozenset({2, 5})
    routes = RouteMap([*two_way("ZX", "CC", 1, tue_fri), *two_way("CC", "CC-V001", 2)])
    found = routes.earliest_arrival("ZX", "CC-V001", date(2026, 3, 2))  # Monday
    assert found is not None
    arrival, route = found
    assert arrival == date(2026, 3, 6)  # leaves Tuesday, at CC Wednesday, two days on
    assert route.days == 4
    assert route.path == ("ZX", "CC", "CC-V001")


def test_a_slower_leg_that_leaves_sooner_can_arrive_first() -> None:
    routes = RouteMap([Leg("A", "B", 1, frozenset({5})), Leg("A", "C", 1), Leg("C", "B", 1)])
    found = routes.earliest_arrival("A", "B", date(2026, 3, 2))  # Monday; direct leg Fridays
    assert found is not None
    assert found[0] == date(2026, 3, 4)
    assert found[1].path == ("A", "C", "B")
    assert routes.earliest_arrival("B", "A", date(2026, 3, 2)) is None


def test_a_cycle_of_parents_is_found() -> None:
    assert find_cycle({"A": None, "B": "A", "C": "B"}) is None
    cycle = find_cycle({"A": "C", "B": "A", "C": "B", "D": None})
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"A", "B", "C"}
    assert find_cycle({"A": "A"}) == ["A", "A"]


def test_the_tree_order_lists_each_parent_before_its_children() -> None:
    parents = {"CC": "ZC", "ZC": None, "ZX": "ZC", "CC-V1": "CC", "ZX-XG": "ZX"}
    order = tree_order(parents, {code: code for code in parents})
    assert order == [("ZC", 0), ("CC", 1), ("CC-V1", 2), ("ZX", 1), ("ZX-XG", 2)]
