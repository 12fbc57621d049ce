"""Creating, changing, moving and deactivating service points; closed days; routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from wenjin.db.uow import UnitOfWork
from wenjin.network.errors import (
    DuplicatePointCode,
    InvalidPoint,
    InvalidRoute,
    ParentCycle,
    PointHasActiveChildren,
    PointNotFound,
    RouteNotFound,
)
from wenjin.network.io import NetworkData
from wenjin.network.queries import (
    calendar_for,
    get_point_by_code,
    network_tree,
    travel_days,
)
from wenjin.network.rules import public_holidays
from wenjin.network.services import (
    add_closed_days,
    add_holidays,
    add_route,
    create_point,
    deactivate_point,
    move_point,
    reactivate_point,
    remove_closed_days,
    remove_route,
    set_opening_hours,
    update_point,
)
from wenjin.network.states import PointKind

Uow = Callable[..., UnitOfWork]


def test_a_new_branch_under_the_network_is_found_by_its_code(uow: Uow) -> None:
    with uow() as work:
        root = create_point(work.session, code="ZC", name="诸城市图书馆总分馆", kind="network")
        create_point(
            work.session,
            code="JY",
            name="贾悦镇图书馆",
            kind=PointKind.BRANCH,
            parent=root,
            name_en="Jiayue Town Library",
            pickup=True,
            hours={"mon": "closed", "tue-sun": "09:00-17:00"},
        )
        work.commit()
    with uow(readonly=True) as work:
        branch = get_point_by_code(work.session, "JY")
        assert branch.parent is not None
        assert branch.parent.code == "ZC"
        assert branch.lends
        assert branch.is_pickup_point
        assert branch.opening_hours is not None
        assert branch.opening_hours["1"] == []
        assert get_point_by_code(work.session, "jy").code == "JY"
        root = get_point_by_code(work.session, "ZC")
        assert root.lends is False


def test_looking_up_an_unknown_code_says_how_to_list_the_codes(uow: Uow) -> None:
    with uow(readonly=True) as work, pytest.raises(PointNotFound) as error:
        get_point_by_code(work.session, "NOPE")
    assert "wenjin network show" in error.value.message_zh


def test_a_code_is_unique_whatever_its_letter_case(uow: Uow) -> None:
    with uow() as work:
        create_point(work.session, code="CC", name="昌城镇图书馆", kind="branch")
        with pytest.raises(DuplicatePointCode):
            create_point(work.session, code="CC", name="另一个", kind="branch")
        with pytest.raises(DuplicatePointCode):
            create_point(work.session, code="cc", name="另一个", kind="branch")


@pytest.mark.parametrize("code", ["", "昌城", "C C", "-CC", "X" * 33])
def test_a_code_that_a_scanner_or_file_would_mangle_is_refused(uow: Uow, code: str) -> None:
    with uow() as work, pytest.raises(InvalidPoint):
        create_point(work.session, code=code, name="昌城镇图书馆", kind="branch")


def test_the_network_root_may_not_lend_or_have_a_parent(uow: Uow) -> None:
    with uow() as work:
        with pytest.raises(InvalidPoint, match="不能外借"):
            create_point(work.session, code="ZC", name="总分馆", kind="network", lends=True)
        branch = create_point(work.session, code="CC", name="昌城镇图书馆", kind="branch")
        with pytest.raises(InvalidPoint, match="最顶层"):
            create_point(work.session, code="ZC", name="总分馆", kind="network", parent=branch)


def test_a_building_must_belong_to_a_library(uow: Uow) -> None:
    with uow() as work, pytest.raises(InvalidPoint, match="parent"):
        create_point(work.session, code="XG", name="新馆", kind="building")


def test_updating_a_point_changes_only_the_fields_given(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        branch = get_point_by_code(work.session, "CC")
        update_point(work.session, point=branch, phone="0536-6221234", name_en=None)
        work.commit()
    with uow(readonly=True) as work:
        branch = get_point_by_code(work.session, "CC")
        assert branch.phone == "0536-6221234"
        assert branch.name_en is None
        assert branch.name == "昌城镇图书馆"
        assert branch.is_pickup_point


def test_making_the_root_lend_is_refused_on_update(uow: Uow, example_network: NetworkData) -> None:
    with uow() as work, pytest.raises(InvalidPoint):
        update_point(work.session, point=get_point_by_code(work.session, "ZC"), lends=True)


def test_moving_a_village_to_another_town_moves_it_in_the_tree(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        village = get_point_by_code(work.session, "CC-V001")
        move_point(work.session, point=village, parent=get_point_by_code(work.session, "XZ"))
        work.commit()
    with uow(readonly=True) as work:
        (xz,) = network_tree(work.session, at=get_point_by_code(work.session, "XZ"))
        assert [c["code"] for c in xz["children"]] == ["CC-V001", "XZ-T01"]


def test_moving_a_point_under_its_own_descendant_is_refused(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        central = get_point_by_code(work.session, "ZX")
        with pytest.raises(ParentCycle) as error:
            move_point(work.session, point=central, parent=get_point_by_code(work.session, "ZX-XG"))
        assert "ZX" in error.value.message_zh
        assert "ZX-XG" in error.value.message_zh
        with pytest.raises(ParentCycle):
            move_point(work.session, point=central, parent=central)


def test_a_point_with_active_children_cannot_be_deactivated(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        with pytest.raises(PointHasActiveChildren) as error:
            deactivate_point(work.session, point=get_point_by_code(work.session, "CC"))
        assert "CC-S01" in error.value.message_zh
        deactivate_point(work.session, point=get_point_by_code(work.session, "CC-V001"))
        work.commit()
    with uow(readonly=True) as work:
        codes = [n["code"] for n in network_tree(work.session)[0]["children"][1]["children"]]
        assert codes == ["CC-S01"]
        everything = network_tree(work.session, active_only=False)
        assert "CC-V001" in str(everything)


def test_a_deactivated_point_leaves_the_courier_network_until_reactivated(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        station = get_point_by_code(work.session, "XZ-T01")
        deactivate_point(work.session, point=station)
        assert travel_days(work.session, get_point_by_code(work.session, "XZ"), station) is None
        reactivate_point(work.session, point=station)
        assert travel_days(work.session, get_point_by_code(work.session, "XZ"), station) == 1


def test_nothing_new_can_open_under_a_deactivated_point(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        village = get_point_by_code(work.session, "CC-V001")
        deactivate_point(work.session, point=village)
        with pytest.raises(InvalidPoint, match="已停用"):
            create_point(
                work.session, code="CC-V001-A", name="分点", kind="station", parent=village
            )


def test_a_range_of_closed_days_closes_the_point_and_can_be_reopened(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        branch = get_point_by_code(work.session, "CC")
        added = add_closed_days(
            work.session,
            point=branch,
            start=date(2026, 3, 10),
            end=date(2026, 3, 12),
            reason="盘点",
        )
        assert added == 3
        assert add_closed_days(work.session, point=branch, start=date(2026, 3, 10)) == 0
        work.commit()
    with uow() as work:
        branch = get_point_by_code(work.session, "CC")
        calendar = calendar_for(work.session, branch)
        assert calendar.closed[date(2026, 3, 11)] == "盘点"
        assert calendar.due_date(date(2026, 2, 10), 28) == date(2026, 3, 13)
        removed = remove_closed_days(
            work.session, point=branch, start=date(2026, 3, 11), end=date(2026, 3, 31)
        )
        assert removed == 2
        assert calendar_for(work.session, branch).is_open(date(2026, 3, 11))


def test_a_yearly_holiday_list_closes_the_point_on_every_holiday(uow: Uow) -> None:
    with uow() as work:
        root = create_point(
            work.session, code="ZC", name="总分馆", kind="network", hours={"mon-sun": "09:00-17:00"}
        )
        assert add_holidays(work.session, point=root, holidays=public_holidays(2026)) == 33
        assert add_holidays(work.session, point=root, holidays=public_holidays(2026)) == 0
        calendar = calendar_for(work.session, root)
        assert not calendar.is_open(date(2026, 10, 7))
        assert calendar.next_open_day(date(2026, 10, 1)) == date(2026, 10, 8)


def test_hours_set_to_none_fall_back_to_the_parents(uow: Uow, example_network: NetworkData) -> None:
    with uow() as work:
        old = get_point_by_code(work.session, "ZX-LG")
        assert not calendar_for(work.session, old).is_open(date(2026, 3, 2))  # own: closed Monday
        set_opening_hours(work.session, point=old, hours=None)
        assert calendar_for(work.session, old).is_open(date(2026, 3, 2))  # network: Monday 14:00


def test_a_two_way_route_can_be_added_changed_and_removed(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        s = work.session
        school, village = get_point_by_code(s, "CC-S01"), get_point_by_code(s, "CC-V001")
        assert travel_days(s, school, village) == 3
        legs = add_route(s, from_point=school, to_point=village, days=1, weekdays="周三")
        assert [leg.weekdays for leg in legs] == [[3], [3]]
        assert travel_days(s, village, school) == 1
        add_route(s, from_point=school, to_point=village, days=2, both_ways=False)
        assert travel_days(s, school, village) == 2
        assert travel_days(s, village, school) == 1
        assert remove_route(s, from_point=school, to_point=village) == 2
        assert travel_days(s, school, village) == 3
        with pytest.raises(RouteNotFound):
            remove_route(s, from_point=school, to_point=village)


def test_a_route_to_the_same_point_or_with_negative_days_is_refused(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        branch = get_point_by_code(work.session, "CC")
        with pytest.raises(InvalidRoute, match="相同"):
            add_route(work.session, from_point=branch, to_point=branch, days=1)
        with pytest.raises(InvalidRoute, match="-1"):
            add_route(
                work.session,
                from_point=branch,
                to_point=get_point_by_code(work.session, "XZ"),
                days=-1,
            )
