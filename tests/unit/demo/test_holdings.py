"""Spreading copies over the network: sizes per point, what each kind of point holds, barcodes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from wenjin.demo.holdings import Holding, HoldingsPlanner, scaled_volumes
from wenjin.demo.network import NEW_BUILDING, OLD_BUILDING, SCENIC, DemoNetwork, demo_network
from wenjin.demo.scales import SCALES
from wenjin.demo.titles import Title, TitleStream
from wenjin.network.states import PointKind

SMALL = SCALES["small"]


@pytest.fixture(scope="module")
def network() -> DemoNetwork:
    return demo_network(2020)


@pytest.fixture(scope="module")
def planned(network: DemoNetwork) -> list[tuple[Title, list[Holding]]]:
    planner = HoldingsPlanner(network, scale=SMALL, seed=2020)
    return [(title, planner.plan(title)) for title in TitleStream(2020).titles(SMALL.titles)]


def _kinds(network: DemoNetwork) -> dict[str, PointKind]:
    return {p.code: p.kind for p in network.data.points}


def test_small_scale_holds_about_eight_thousand_volumes_on_every_lending_point(
    network: DemoNetwork, planned: list[tuple[Title, list[Holding]]]
) -> None:
    holdings = [h for _, hs in planned for h in hs]
    assert 7_000 <= len(holdings) <= 9_000
    assert all(hs for _, hs in planned)  # every title has a copy somewhere
    kinds = _kinds(network)
    held_at = {h.current for h in holdings}
    assert {kinds[c] for c in held_at} == {
        PointKind.BUILDING,
        PointKind.BRANCH,
        PointKind.SCHOOL,
        PointKind.VILLAGE,
        PointKind.STATION,
        PointKind.SELF_SERVICE,
        PointKind.SCENIC,
    }
    assert {h.current for h in holdings} <= set(kinds)


def test_the_central_library_holds_most_volumes(
    network: DemoNetwork, planned: list[tuple[Title, list[Holding]]]
) -> None:
    at = Counter(h.current for _, hs in planned for h in hs)
    central = at[NEW_BUILDING] + at[OLD_BUILDING]
    assert central > sum(at.values()) / 2
    assert at[NEW_BUILDING] > at[OLD_BUILDING]


def test_village_rooms_hold_mostly_farming_health_childrens_books_and_fiction(
    network: DemoNetwork, planned: list[tuple[Title, list[Holding]]]
) -> None:
    kinds = _kinds(network)
    groups = Counter(
        title.profile.group
        for title, hs in planned
        for h in hs
        if kinds[h.current] is PointKind.VILLAGE
    )
    wanted = (
        groups["farming"]
        + groups["health"]
        + groups["children"]
        + groups["fiction"]
        + groups["rural"]
    )
    assert wanted > 0.7 * sum(groups.values())


def test_primary_schools_hold_mostly_childrens_books(
    network: DemoNetwork, planned: list[tuple[Title, list[Holding]]]
) -> None:
    primary = {s.code for s in network.shelves if s.profile == "school_primary"}
    audiences = Counter(t.profile.audience for t, hs in planned for h in hs if h.current in primary)
    assert audiences["child"] > 0.6 * sum(audiences.values())


def test_item_types_follow_the_book_and_the_local_collection_stays_at_the_central_library(
    planned: list[tuple[Title, list[Holding]]],
) -> None:
    for title, holdings in planned:
        types = Counter(h.item_type for h in holdings)
        if title.profile.reference:
            assert set(types) == {"REF"}
            central = [h for h in holdings if h.current in (NEW_BUILDING, OLD_BUILDING)]
            assert 1 <= len(central) <= 2
        elif title.profile.local:
            assert types["LOCAL"] == 1
        elif title.profile.audience == "child":
            assert set(types) == {"CHILD"}
        for holding in holdings:
            if holding.item_type == "LOCAL":
                assert (holding.current, holding.location) == (NEW_BUILDING, "地方文献室")


def test_station_copies_belong_to_the_central_library(
    network: DemoNetwork, planned: list[tuple[Title, list[Holding]]]
) -> None:
    kinds = _kinds(network)
    for _, holdings in planned:
        for h in holdings:
            if kinds[h.current] is PointKind.STATION:
                assert h.home == NEW_BUILDING
                assert h.barcode.startswith("A")
            else:
                assert h.home == h.current


def test_barcodes_are_unique_and_look_printed(planned: list[tuple[Title, list[Holding]]]) -> None:
    barcodes = [h.barcode for _, hs in planned for h in hs]
    assert len(barcodes) == len(set(barcodes))
    patterns = (
        r"A\d{7}",  # the central library (and its books at the stations)
        r"Z\d{7}",  # the 24-hour library
        r"J\d{7}",  # the scenic-spot reading room
        r"[A-Z]{2}\d{7}",  # a town branch: CC0001234
        r"[A-Z]{2}S\d{2}\d{6}",  # a school: MZS01000123
        r"[A-Z]{2}V\d{3}\d{4}",  # a village room: CCV0120007
    )
    for barcode in barcodes:
        assert any(re.fullmatch(p, barcode) for p in patterns), barcode


def test_copies_are_acquired_after_publication_and_by_the_end_of_2020(
    network: DemoNetwork, planned: list[tuple[Title, list[Holding]]]
) -> None:
    opened = {s.code: s.opened for s in network.shelves}
    for title, holdings in planned:
        for h in holdings:
            assert date(title.year, 1, 1) <= h.acquired_on <= date(2020, 12, 31)
            assert h.call_number == title.call_number
            assert h.price_fen == title.price_fen
            if h.current == SCENIC:
                assert h.acquired_on.year >= opened[SCENIC]


def test_planning_is_the_same_for_the_same_seed(network: DemoNetwork) -> None:
    def plan() -> list[Holding]:
        planner = HoldingsPlanner(network, scale=SMALL, seed=2020)
        return [h for t in TitleStream(2020).titles(200) for h in planner.plan(t)]

    assert plan() == plan()


def test_scaled_volumes_keep_a_few_books_everywhere_and_the_rest_at_the_centre(
    network: DemoNetwork,
) -> None:
    for scale in SCALES.values():
        volumes = scaled_volumes(network.shelves, scale)
        assert abs(sum(volumes.values()) - scale.volumes) <= len(volumes)
        assert min(volumes.values()) >= scale.min_per_point
    report = scaled_volumes(network.shelves, SCALES["report"])
    assert report == {s.code: s.report_volumes for s in network.shelves}
