"""Importing and exporting the whole network: upserts, round trips, all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from wenjin.db.uow import UnitOfWork
from wenjin.network.errors import NetworkFileInvalid
from wenjin.network.io import (
    NetworkData,
    dump_network_csv,
    dump_network_yaml,
    parse_network_csv,
    parse_network_yaml,
)
from wenjin.network.models import ClosedDay, CourierRoute, ServicePoint
from wenjin.network.queries import calendar_for, get_point_by_code, list_points
from wenjin.network.services import ImportResult, export_network, import_network

Uow = Callable[..., UnitOfWork]


def by_code(data: NetworkData) -> dict[str, Any]:
    return {p.code: replace(p, line=None) for p in data.points}


def legs(data: NetworkData) -> set[tuple[str, str, int, tuple[int, ...] | None, str | None]]:
    out = set()
    for r in data.routes:
        out.add((r.from_code, r.to_code, r.days, r.weekdays, r.note))
        if r.both_ways:
            out.add((r.to_code, r.from_code, r.days, r.weekdays, r.note))
    return out


def counts(uow: Uow) -> tuple[int, int, int]:
    with uow(readonly=True) as work:
        s = work.session
        return (
            s.scalar(select(func.count()).select_from(ServicePoint)) or 0,
            s.scalar(select(func.count()).select_from(ClosedDay)) or 0,
            s.scalar(select(func.count()).select_from(CourierRoute)) or 0,
        )


def test_importing_the_example_creates_every_point_closed_day_and_route(
    uow: Uow, example_data: NetworkData
) -> None:
    with uow() as work:
        result = import_network(work.session, example_data)
        work.commit()
    assert result == ImportResult(created=10, closed_days_added=129, routes_added=14)
    assert counts(uow) == (10, 129, 14)


def test_importing_the_same_network_again_changes_nothing(
    uow: Uow, example_network: NetworkData
) -> None:
    with uow() as work:
        result = import_network(work.session, example_network)
        work.commit()
    assert result == ImportResult(unchanged=10)
    assert result.routes == 0


def test_export_then_import_gives_the_same_network(uow: Uow, example_network: NetworkData) -> None:
    with uow(readonly=True) as work:
        exported = export_network(work.session)
    assert by_code(exported) == by_code(example_network)
    assert legs(exported) == legs(example_network)
    for text, parse in (
        (dump_network_yaml(exported), parse_network_yaml),
        (dump_network_csv(exported), parse_network_csv),
    ):
        with uow() as work:
            result = import_network(work.session, parse(text), replace=True)
            work.commit()
        assert result == ImportResult(unchanged=10)
        with uow(readonly=True) as work:
            assert dump_network_yaml(export_network(work.session)) == dump_network_yaml(exported)


def test_a_point_may_come_before_its_parent_in_the_file(uow: Uow) -> None:
    net = NetworkData()
    net.point("CC-V001", "后凉台村农家书屋", "village", parent="CC")
    net.point("CC", "昌城镇图书馆", "branch", parent="ZC")
    net.point("ZC", "诸城市图书馆总分馆", "network")
    with uow() as work:
        import_network(work.session, net)
        work.commit()
    with uow(readonly=True) as work:
        assert [p.code for p in list_points(work.session)] == ["ZC", "CC", "CC-V001"]


def test_editing_the_file_updates_the_points_that_changed(
    uow: Uow, example_network: NetworkData
) -> None:
    edited = parse_network_yaml(dump_network_yaml(example_network))
    branch = edited.get("CC")
    assert branch is not None
    branch.phone = "0536-6221234"
    school = edited.get("CC-S01")
    assert school is not None
    school.closed = school.closed[:1]  # the summer holiday is dropped from the file
    edited.route("CC", "XZ", 2)
    with uow() as work:
        result = import_network(work.session, edited)
        work.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 2, 8)
    assert result.closed_days_removed == 52
    assert result.routes_added == 2
    with uow(readonly=True) as work:
        calendar = calendar_for(work.session, get_point_by_code(work.session, "CC-S01"))
        assert calendar.is_open(date(2026, 8, 3))


def test_without_replace_points_and_routes_not_in_the_file_stay(
    uow: Uow, example_network: NetworkData
) -> None:
    partial = NetworkData()
    partial.point("CC", "昌城镇图书馆（新址）", "branch", parent="ZC", pickup=True)
    with uow() as work:
        result = import_network(work.session, partial)
        work.commit()
    assert (result.updated, result.deactivated, result.routes_removed) == (1, 0, 0)
    with uow(readonly=True) as work:
        assert len(list_points(work.session, active_only=True)) == 10
        assert get_point_by_code(work.session, "CC").opening_hours is None  # absent: inherit
    assert counts(uow)[2] == 14


def test_with_replace_what_is_not_in_the_file_is_deactivated_or_removed(
    uow: Uow, example_network: NetworkData
) -> None:
    smaller = NetworkData(
        points=[p for p in example_network.points if not p.code.startswith("XZ")],
        routes=[r for r in example_network.routes if "XZ" not in (r.from_code + r.to_code)],
    )
    with uow() as work:
        result = import_network(work.session, smaller, replace=True)
        work.commit()
    assert (result.deactivated, result.routes_removed) == (2, 4)
    with uow(readonly=True) as work:
        assert not get_point_by_code(work.session, "XZ").active
        assert len(list_points(work.session, active_only=True)) == 8
        exported = export_network(work.session)
    xz = exported.get("XZ")
    assert xz is not None
    assert xz.active is False


def test_a_bad_network_imports_nothing(uow: Uow) -> None:
    net = NetworkData()
    net.point("ZC", "诸城市图书馆总分馆", "network")
    net.point("CC", "昌城镇图书馆", "branch", parent="ZC")
    net.point("CC-V001", "后凉台村农家书屋", "village", parent="CX")
    with uow() as work:
        with pytest.raises(NetworkFileInvalid) as error:
            import_network(work.session, net, source="towns.yaml")
        work.commit()
    assert counts(uow) == (0, 0, 0)
    (problem,) = error.value.problems
    assert problem.zh.startswith("服务点 CC-V001：上级 CX 不存在")
    assert error.value.message_zh.startswith("towns.yaml 有 1 处问题，未导入任何内容")


def test_problems_found_in_the_whole_file_name_their_lines(uow: Uow) -> None:
    text = """\
points:
  - {code: ZC, name: 总分馆, kind: network, lends: true}
  - {code: A, name: 甲, kind: branch, parent: B}
  - {code: B, name: 乙, kind: branch, parent: A}
  - {code: A, name: 甲二, kind: branch}
  - {code: XG, name: 新馆, kind: building}
routes:
  - {from: A, to: NOWHERE, days: 1}
  - {from: A, to: A, days: 1}
  - {from: A, to: B, days: 1}
  - {from: B, to: A, days: 2}
"""
    with uow() as work, pytest.raises(NetworkFileInvalid) as error:
        import_network(work.session, parse_network_yaml(text))
    found = [p.zh for p in error.value.problems]
    assert any(p.startswith("第 2 行（服务点 ZC）") and "不能外借" in p for p in found)
    assert any(
        p.startswith("第 5 行（服务点 A）") and "代码重复（第 3 行已有 A）" in p for p in found
    )
    assert any(p.startswith("第 6 行（服务点 XG）") and "parent" in p for p in found)
    assert any("形成了环" in p and "A" in p and "B" in p for p in found)
    assert any(p.startswith("第 8 行") and "NOWHERE 不存在" in p for p in found)
    assert any(p.startswith("第 9 行") and "起点和终点相同" in p for p in found)
    assert any(p.startswith("第 11 行") and "第 10 行" in p for p in found)


def test_a_code_differing_only_in_case_from_a_stored_one_is_refused(
    uow: Uow, example_network: NetworkData
) -> None:
    net = NetworkData()
    net.point("cc", "昌城镇图书馆", "branch", parent="ZC")
    with uow() as work, pytest.raises(NetworkFileInvalid, match="大小写"):
        import_network(work.session, net)


def test_with_replace_a_parent_must_be_in_the_file(uow: Uow, example_network: NetworkData) -> None:
    net = NetworkData()
    net.point("CC", "昌城镇图书馆", "branch", parent="ZC")
    with uow() as work, pytest.raises(NetworkFileInvalid, match="--replace"):
        import_network(work.session, net, replace=True)


def test_deactivating_a_point_in_the_file_while_its_children_stay_active_is_refused(
    uow: Uow, example_network: NetworkData
) -> None:
    net = NetworkData()
    net.point("CC", "昌城镇图书馆", "branch", parent="ZC", active=False)
    with uow() as work, pytest.raises(NetworkFileInvalid) as error:
        import_network(work.session, net)
    found = [p.zh for p in error.value.problems]
    assert any(p.startswith("服务点 CC-S01") and "已停用" in p for p in found)
    assert any(p.startswith("服务点 CC-V001") and "已停用" in p for p in found)
