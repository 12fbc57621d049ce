"""The demo network as data: the report's points, names, hours, routes and collection sizes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from wenjin.demo.names import SCHOOLS, STATIONS, TOWNS
from wenjin.demo.network import (
    CENTRAL,
    NEW_BUILDING,
    OLD_BUILDING,
    REPORT_VOLUMES,
    ROOT,
    SCENIC,
    SELF_SERVICE,
    DemoNetwork,
    demo_network,
    village_names,
)
from wenjin.network.rules import WeeklyHours
from wenjin.network.states import PointKind


@pytest.fixture(scope="module")
def network() -> DemoNetwork:
    return demo_network(2020)


def test_the_network_has_the_reports_points_of_every_kind(network: DemoNetwork) -> None:
    assert network.points_by_kind() == {
        "network": 1,
        "central": 1,
        "building": 2,
        "self_service": 1,
        "scenic": 1,
        "branch": 13,
        "school": 16,
        "village": 237,
        "station": 32,
    }


def test_codes_and_names_are_unique_and_every_point_has_an_english_name(
    network: DemoNetwork,
) -> None:
    points = network.data.points
    assert len({p.code for p in points}) == len(points)
    assert len({p.name for p in points}) == len(points)
    assert all(p.name_en and p.name_en.isascii() for p in points)
    assert all(re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)?", p.code) for p in points)


def test_branches_are_named_after_zhuchengs_subdistricts_and_towns(network: DemoNetwork) -> None:
    branches = {p.code: p for p in network.data.points if p.kind is PointKind.BRANCH}
    assert branches["CC"].name == "昌城镇图书馆"
    assert branches["CC"].name_en == "Changcheng Town Library"
    assert branches["LD"].name_en == "Longdu Subdistrict Library"
    assert {p.parent for p in branches.values()} == {ROOT}
    assert all(p.pickup for p in branches.values())
    assert [t.name for t in TOWNS][:3] == ["密州街道", "龙都街道", "舜王街道"]


def test_parents_follow_the_report_tree(network: DemoNetwork) -> None:
    by_code = {p.code: p for p in network.data.points}
    assert by_code[ROOT].parent is None
    assert not by_code[ROOT].lends
    assert by_code[CENTRAL].parent == ROOT
    for code in (NEW_BUILDING, OLD_BUILDING, SELF_SERVICE, SCENIC):
        assert by_code[code].parent == CENTRAL
    assert by_code[NEW_BUILDING].pickup
    assert by_code[OLD_BUILDING].pickup
    for school in SCHOOLS:
        expected = CENTRAL if school.in_city else school.town
        assert by_code[school.code].parent == expected
    for point in network.data.points:
        if point.kind in (PointKind.VILLAGE, PointKind.STATION):
            assert by_code[point.parent or ""].kind is PointKind.BRANCH
            assert point.code.startswith(f"{point.parent}-")


def test_villages_are_spread_over_the_thirteen_towns_with_unique_names(
    network: DemoNetwork,
) -> None:
    villages = [p for p in network.data.points if p.kind is PointKind.VILLAGE]
    per_town = Counter(p.parent for p in villages)
    assert per_town == {t.code: t.villages for t in TOWNS}
    assert all(p.name.endswith("村农家书屋") for p in villages)
    assert all(p.name_en.endswith(" Village Reading Room") for p in villages if p.name_en)


def test_village_names_are_the_same_for_the_same_seed_and_differ_for_another() -> None:
    assert village_names(2020, 50) == village_names(2020, 50)
    assert village_names(2020, 50) != village_names(7, 50)
    names = village_names(2020, 237)
    assert len({v.name for v in names}) == 237
    assert all(v.pinyin.isascii() and v.pinyin[0].isupper() for v in names)


def test_seven_of_the_thirty_two_stations_are_new_in_2020(network: DemoNetwork) -> None:
    assert len(STATIONS) == 32
    assert len(network.new_in_2020) == 7
    new = [s for s in network.shelves if s.code in network.new_in_2020]
    assert sum(s.report_volumes for s in new) == 798  # 新建图书流动站流通图书798册


def test_collection_sizes_add_up_to_the_reports_volumes(network: DemoNetwork) -> None:
    shelves = {s.code: s for s in network.shelves}
    assert sum(s.report_volumes for s in network.shelves) == REPORT_VOLUMES
    central = shelves[NEW_BUILDING].report_volumes + shelves[OLD_BUILDING].report_volumes
    assert central > REPORT_VOLUMES / 2  # the central library holds most volumes
    stations = sum(s.report_volumes for s in network.shelves if s.kind is PointKind.STATION)
    assert 20_000 <= stations < 25_000  # 流通图书2万余册
    villages = [s.report_volumes for s in network.shelves if s.kind is PointKind.VILLAGE]
    assert min(villages) >= 500
    assert max(villages) <= 2_000
    assert 1_000 <= shelves[SELF_SERVICE].report_volumes <= 10_000
    assert 100 <= shelves[SCENIC].report_volumes < 1_000
    # a rotating station's books belong to the central library
    assert {s.owner for s in network.shelves if s.kind is PointKind.STATION} == {NEW_BUILDING}


def test_opening_hours_are_those_of_each_kind_of_point(network: DemoNetwork) -> None:
    by_code = {p.code: p for p in network.data.points}
    central = by_code[CENTRAL].hours
    assert isinstance(central, WeeklyHours)
    assert [str(p) for p in central.on(1)] == ["14:00-20:30"]  # Monday: afternoons only
    assert [str(p) for p in central.on(3)] == ["09:00-20:30"]
    assert by_code[NEW_BUILDING].hours is None  # keeps the central library's
    assert by_code["CC"].hours is not None
    assert by_code["CC"].hours.on(1) == ()
    assert by_code[SELF_SERVICE].hours == WeeklyHours.every_day()
    assert not by_code[SELF_SERVICE].inherit_closed_days
    school = by_code["MZ-S01"].hours
    assert school is not None
    assert school.open_weekdays == (1, 2, 3, 4, 5)
    for village in (p for p in network.data.points if p.kind is PointKind.VILLAGE):
        assert village.hours is not None
        assert 2 <= len(village.hours.open_weekdays) <= 4


def test_public_holidays_of_2020_and_2026_are_on_the_root(network: DemoNetwork) -> None:
    root = next(p for p in network.data.points if p.code == ROOT)
    closed = root.closed_days()
    assert closed[date(2020, 1, 25)] == "春节"
    assert closed[date(2026, 2, 17)] == "春节"
    assert date(2026, 10, 1) in closed
    school = next(p for p in network.data.points if p.code == "MZ-S01")
    assert school.closed_days()[date(2026, 8, 1)] == "暑假"


def test_courier_routes_link_every_point_to_its_library(network: DemoNetwork) -> None:
    legs = {(r.from_code, r.to_code): r for r in network.data.routes}
    assert all(r.both_ways for r in network.data.routes)
    for town in TOWNS:
        assert legs[(CENTRAL, town.code)].days == 1
    for point in network.data.points:
        if point.code in (ROOT, CENTRAL):
            continue
        library = CENTRAL if point.kind is PointKind.BRANCH else point.parent
        assert (library, point.code) in legs, point.code
    villages = [r for r in network.data.routes if "-V" in r.to_code]
    assert {r.days for r in villages} == {2}
    assert legs[(CENTRAL, SELF_SERVICE)].days == 0
