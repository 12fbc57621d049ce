"""Reading the network: the tree, ancestors and descendants, calendars, travel days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from wenjin.db.uow import UnitOfWork
from wenjin.network.io import NetworkData
from wenjin.network.queries import (
    ancestors,
    calendar_for,
    descendant_ids,
    flatten_tree,
    get_point_by_code,
    list_points,
    network_tree,
    points_by_kind,
    route_map,
    shortest_route,
    travel_days,
)
from wenjin.network.services import create_point, import_network

Uow = Callable[..., UnitOfWork]


def test_points_are_listed_in_tree_order_central_library_first(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        codes = [p.code for p in list_points(work.session)]
    assert codes == [
        "ZC",
        "ZX",
        "ZX-LG",
        "ZX-XG",
        "ZX-24H",
        "CC",
        "CC-S01",
        "CC-V001",
        "XZ",
        "XZ-T01",
    ]


def test_the_descendants_of_a_town_are_its_school_and_village(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        s = work.session
        town = get_point_by_code(s, "CC")
        ids = descendant_ids(s, town.id)
        assert {p.code for p in list_points(s) if p.id in ids} == {"CC", "CC-S01", "CC-V001"}
        assert len(descendant_ids(s, get_point_by_code(s, "ZC").id)) == 10
        assert descendant_ids(s, get_point_by_code(s, "XZ-T01").id) == {
            get_point_by_code(s, "XZ-T01").id
        }


def test_ancestors_run_from_the_parent_to_the_root(uow: Uow, example_network: NetworkData) -> None:
    with uow(readonly=True) as work:
        s = work.session
        assert [p.code for p in ancestors(s, get_point_by_code(s, "ZX-XG"))] == ["ZX", "ZC"]
        assert ancestors(s, get_point_by_code(s, "ZC")) == []


def test_a_building_without_hours_keeps_the_networks_hours_and_holidays(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        calendar = calendar_for(work.session, get_point_by_code(work.session, "ZX-XG"))
    assert calendar.hours_configured
    assert [str(p) for p in calendar.hours_on(date(2026, 3, 2))] == ["14:00-20:30"]
    assert not calendar.is_open(date(2026, 2, 17))
    assert calendar.closed[date(2026, 2, 17)] == "春节"
    assert calendar.due_date(date(2026, 1, 20), 28) == date(2026, 2, 24)


def test_a_school_observes_its_own_vacations_and_the_networks_holidays(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        calendar = calendar_for(work.session, get_point_by_code(work.session, "CC-S01"))
    assert calendar.closed[date(2026, 8, 1)] == "暑假"
    assert calendar.closed[date(2026, 10, 2)] == "国庆节"
    assert not calendar.is_open(date(2026, 3, 7))  # Saturday
    assert calendar.next_open_day(date(2026, 7, 11)) == date(2026, 9, 1)


def test_the_24_hour_library_does_not_inherit_the_holidays(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        calendar = calendar_for(work.session, get_point_by_code(work.session, "ZX-24H"))
    assert calendar.is_open(date(2026, 2, 17))
    assert calendar.closed == {}


def test_the_nearest_level_gives_the_reason_of_a_day_closed_twice(uow: Uow) -> None:
    with uow() as work:
        net = NetworkData()
        net.point(
            "ZC",
            "总分馆",
            "network",
            hours={"mon-sun": "09:00-17:00"},
            closed=["2026-05-01:劳动节"],
        )
        net.point("CC", "昌城镇图书馆", "branch", parent="ZC", closed=["2026-05-01:馆内活动"])
        net.point("CC-V1", "村书屋", "village", parent="CC", inherit_closed_days=False)
        net.point("CC-V2", "村书屋二", "village", parent="CC")
        import_network(work.session, net)
        s = work.session
        assert calendar_for(s, get_point_by_code(s, "CC")).closed[date(2026, 5, 1)] == "馆内活动"
        assert calendar_for(s, get_point_by_code(s, "CC-V1")).is_open(date(2026, 5, 1))
        assert calendar_for(s, get_point_by_code(s, "CC-V2")).closed[date(2026, 5, 1)] == "馆内活动"


def test_inheritance_of_closed_days_stops_at_a_point_that_does_not_inherit(uow: Uow) -> None:
    with uow() as work:
        net = NetworkData()
        net.point(
            "ZC", "总分馆", "network", hours={"mon-sun": "09:00-17:00"}, closed=["2026-05-01"]
        )
        net.point("ZX", "中心馆", "central", parent="ZC", inherit_closed_days=False)
        net.point("ZX-24H", "自助馆", "self_service", parent="ZX")
        import_network(work.session, net)
        calendar = calendar_for(work.session, get_point_by_code(work.session, "ZX-24H"))
        assert calendar.is_open(date(2026, 5, 1))


def test_a_network_without_any_hours_counts_as_open_every_day(uow: Uow) -> None:
    with uow() as work:
        root = create_point(work.session, code="ZC", name="总分馆", kind="network")
        calendar = calendar_for(work.session, root)
        assert not calendar.hours_configured
        assert calendar.is_open(date(2026, 3, 2))


def test_travel_days_follow_the_shortest_courier_route(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        s = work.session
        village, station = get_point_by_code(s, "CC-V001"), get_point_by_code(s, "XZ-T01")
        assert travel_days(s, village, station) == 5
        assert travel_days(s, village, village) == 0
        route = shortest_route(s, village, station)
        assert route is not None
        assert [p.code for p in route.path] == ["CC-V001", "CC", "ZX-XG", "XZ", "XZ-T01"]
        assert travel_days(s, get_point_by_code(s, "ZX-XG"), get_point_by_code(s, "ZX-24H")) == 0


def test_a_point_without_routes_is_unreachable(uow: Uow, example_network: NetworkData) -> None:
    with uow(readonly=True) as work:
        s = work.session
        assert travel_days(s, get_point_by_code(s, "ZC"), get_point_by_code(s, "CC")) is None
        assert shortest_route(s, get_point_by_code(s, "ZX"), get_point_by_code(s, "CC")) is None


def test_the_route_map_finds_the_nearest_of_several_copies(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        s = work.session
        ids = {
            code: get_point_by_code(s, code).id for code in ("CC-V001", "ZX-LG", "XZ-T01", "CC-S01")
        }
        routes = route_map(s)
    nearest = routes.nearest(ids["CC-V001"], [ids["XZ-T01"], ids["ZX-LG"], ids["CC-S01"]])
    assert nearest == (ids["CC-S01"], 3)


def test_the_tree_nests_children_and_flattens_with_child_counts(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow(readonly=True) as work:
        tree = network_tree(work.session)
        (town,) = network_tree(work.session, at=get_point_by_code(work.session, "CC"))
        counts = points_by_kind(work.session)
    (root,) = tree
    assert root["code"] == "ZC"
    assert root["parent"] is None
    assert root["kind"] == "network"
    assert [c["code"] for c in root["children"]] == ["ZX", "CC", "XZ"]
    assert town["depth"] == 0
    assert town["parent"] == "ZC"
    rows = flatten_tree(tree)
    assert len(rows) == 10
    central = next(r for r in rows if r["code"] == "ZX")
    assert central["children"] == 3
    assert central["depth"] == 1
    assert {"code", "name", "name_en", "kind", "parent", "lends", "pickup", "address"} <= set(
        central
    )
    assert counts == {
        "branch": 2,
        "building": 2,
        "central": 1,
        "network": 1,
        "school": 1,
        "self_service": 1,
        "station": 1,
        "village": 1,
    }
