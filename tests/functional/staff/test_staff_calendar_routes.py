"""Calendars, courier routes, new and moved points in the staff client: each change needs
network.write over the whole network; a desk account reads calendars and routes only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import csrf_of

from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ClosedDay, CourierRoute
from wenjin.network.queries import get_point_by_code

CALENDAR = "/staff/network/points/ZC-XZ/calendar"


def _post(client: TestClient, page_url: str, url: str, data: dict[str, str]) -> Any:
    page = client.get(page_url)
    return client.post(url, data={"csrf_token": csrf_of(page.text), **data})


def _closed_days(engine: Engine, code: str) -> dict[date, str | None]:
    with UnitOfWork(engine, readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        rows = uow.session.execute(
            select(ClosedDay.day, ClosedDay.reason).where(ClosedDay.point_id == point.id)
        )
        return dict(rows.all())


def test_the_calendar_page_shows_the_observed_hours_and_the_closed_days(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    page = signed_in_as("admin").get(CALENDAR)
    assert page.status_code == 200
    assert "开放日历" in page.text
    assert 'id="inherits-hours"' in page.text  # the town branch keeps the central library's
    assert "09:00-17:00" in page.text
    assert "设备检修" in page.text  # closed today, in the sample library


def test_an_administrator_sets_the_weekly_hours_and_goes_back_to_the_parents(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    hours = {f"hours_{key}": "08:30-12:00, 14:00-17:30" for key in ("tue", "wed", "thu", "fri")}
    saved = _post(
        client,
        CALENDAR,
        "/staff/network/points/ZC-XZ/hours",
        {**hours, "hours_sat": "09:00-12:00", "hours_mon": "", "hours_sun": ""},
    )
    assert "ZC-XZ 的开放时间已保存" in saved.text
    with UnitOfWork(engine, readonly=True) as uow:
        stored = get_point_by_code(uow.session, "ZC-XZ").opening_hours
        assert stored is not None
        assert stored["1"] == []
        assert stored["2"] == ["08:30-12:00", "14:00-17:30"]
    inherited = _post(client, CALENDAR, "/staff/network/points/ZC-XZ/hours", {"inherit": "on"})
    assert "改为沿用上级的开放时间" in inherited.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert get_point_by_code(uow.session, "ZC-XZ").opening_hours is None


def test_hours_a_librarian_cannot_mean_are_refused_in_words(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    refused = _post(
        signed_in_as("admin"),
        CALENDAR,
        "/staff/network/points/ZC-XZ/hours",
        {"hours_mon": "9点到5点"},
    )
    assert "开放时间" in refused.text
    assert 'role="alert"' in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert get_point_by_code(uow.session, "ZC-XZ").opening_hours is None


def test_closed_days_are_added_as_a_span_and_removed(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    year = date.today().year + 1
    added = _post(
        client,
        CALENDAR,
        "/staff/network/points/ZC-XZ/closed-days",
        {"start": f"{year}-07-01", "end": f"{year}-07-03", "reason": "馆舍维修"},
    )
    assert "已添加 3 个闭馆日" in added.text
    assert "馆舍维修" in added.text
    assert _closed_days(engine, "ZC-XZ")[date(year, 7, 2)] == "馆舍维修"
    removed = _post(
        client,
        CALENDAR,
        "/staff/network/points/ZC-XZ/closed-days/remove",
        {"start": f"{year}-07-01", "end": f"{year}-07-03"},
    )
    assert "已取消 3 个闭馆日" in removed.text
    assert date(year, 7, 2) not in _closed_days(engine, "ZC-XZ")


def test_a_span_that_ends_before_it_starts_is_refused(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    refused = _post(
        signed_in_as("admin"),
        CALENDAR,
        "/staff/network/points/ZC-XZ/closed-days",
        {"start": "2026-07-03", "end": "2026-07-01"},
    )
    assert "结束日期早于开始日期" in refused.text
    assert date(2026, 7, 2) not in _closed_days(engine, "ZC-XZ")


def test_a_date_that_is_not_a_date_is_refused(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    refused = _post(
        signed_in_as("admin"),
        CALENDAR,
        "/staff/network/points/ZC-XZ/closed-days",
        {"start": "下周一"},
    )
    assert "日期 下周一 无效" in refused.text


def test_the_public_holidays_of_a_year_are_imported(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    imported = _post(
        signed_in_as("admin"), CALENDAR, "/staff/network/points/ZC-XZ/holidays", {"year": "2026"}
    )
    assert "已按 2026 年法定节假日添加" in imported.text
    assert _closed_days(engine, "ZC-XZ")[date(2026, 2, 17)] == "春节"


def test_a_desk_account_reads_the_calendar_but_may_not_change_it(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    page = client.get(CALENDAR)
    assert page.status_code == 200
    assert "hours_mon" not in page.text
    refused = client.post(
        "/staff/network/points/ZC-XZ/closed-days",
        data={"csrf_token": csrf_of(client.get("/staff/").text), "start": "2026-07-01"},
    )
    assert refused.status_code == 403
    assert "network.write" in refused.text
    assert date(2026, 7, 1) not in _closed_days(engine, "ZC-XZ")


def test_an_administrator_adds_changes_and_removes_a_courier_route(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    routes = "/staff/network/routes"
    form = {"from": "ZC-CEN", "to": "ZC-XZ", "days": "1", "day_tue": "on", "day_fri": "on"}
    saved = _post(client, routes, routes, {**form, "both_ways": "on", "note": "每周二、五"})
    assert "物流线路 ZC-CEN → ZC-XZ 已保存" in saved.text
    assert 'id="leg-ZC-CEN-ZC-XZ"' in saved.text
    assert 'id="leg-ZC-XZ-ZC-CEN"' in saved.text
    changed = _post(client, routes, routes, {**form, "days": "2", "both_ways": "on"})
    assert "2 天" in changed.text
    with UnitOfWork(engine, readonly=True) as uow:
        legs = uow.session.scalars(select(CourierRoute)).all()
        assert {(leg.travel_days, tuple(leg.weekdays or ())) for leg in legs} == {(2, (2, 5))}
    removed = _post(
        client,
        routes,
        "/staff/network/routes/remove",
        {"from": "ZC-CEN", "to": "ZC-XZ", "both_ways": "on"},
    )
    assert "已删除物流线路 ZC-CEN → ZC-XZ（2 段）" in removed.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert not uow.session.scalars(select(CourierRoute)).all()


def test_a_route_with_days_that_are_not_a_number_is_refused(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    routes = "/staff/network/routes"
    refused = _post(
        signed_in_as("admin"), routes, routes, {"from": "ZC-CEN", "to": "ZC-XZ", "days": "一天"}
    )
    assert "路上天数 一天 无效" in refused.text


def test_a_desk_account_sees_the_routes_but_may_not_add_one(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    page = client.get("/staff/network/routes")
    assert page.status_code == 200
    assert 'name="days"' not in page.text
    refused = client.post(
        "/staff/network/routes",
        data={
            "csrf_token": csrf_of(client.get("/staff/").text),
            "from": "ZC-XZ",
            "to": "XZ-WJZ",
            "days": "1",
        },
    )
    assert refused.status_code == 403
    with UnitOfWork(engine, readonly=True) as uow:
        assert not uow.session.scalars(select(CourierRoute)).all()


def test_an_administrator_creates_a_village_reading_room_and_moves_it(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    new = "/staff/network/new-point"
    created = _post(
        client,
        new,
        new,
        {
            "code": "XZ-LJZ",
            "name": "李家庄村农家书屋",
            "kind": "village",
            "parent": "ZC-XZ",
            "lends": "on",
        },
    )
    assert "服务点 XZ-LJZ 已新建" in created.text
    moved = _post(
        client,
        "/staff/network/points/XZ-LJZ",
        "/staff/network/points/XZ-LJZ/move",
        {"parent": "ZC-CEN"},
    )
    assert "服务点 XZ-LJZ 已移到 ZC-CEN 之下" in moved.text
    with UnitOfWork(engine, readonly=True) as uow:
        point = get_point_by_code(uow.session, "XZ-LJZ")
        assert point.parent is not None
        assert point.parent.code == "ZC-CEN"


def test_a_point_cannot_be_moved_under_a_point_below_it(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    refused = _post(
        signed_in_as("admin"),
        "/staff/network/points/ZC-XZ",
        "/staff/network/points/ZC-XZ/move",
        {"parent": "XZ-WJZ"},
    )
    assert "上级关系形成了环" in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        parent = get_point_by_code(uow.session, "ZC-XZ").parent
        assert parent is not None
        assert parent.code == "ZC-CEN"


def test_a_taken_code_is_refused_when_creating_a_point(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    new = "/staff/network/new-point"
    refused = _post(
        signed_in_as("admin"), new, new, {"code": "zc-xz", "name": "重复", "kind": "branch"}
    )
    assert "已被使用" in refused.text


def test_a_desk_account_may_not_create_or_move_points(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("wang.li")
    assert client.get("/staff/network/new-point").status_code == 403
    token = csrf_of(client.get("/staff/").text)
    refused = client.post(
        "/staff/network/points/XZ-WJZ/move", data={"csrf_token": token, "parent": "ZC-CEN"}
    )
    assert refused.status_code == 403
    assert "network.write" in refused.text


def test_the_network_pages_read_in_english_too(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    routes = "/staff/network/routes"
    _post(client, routes, routes, {"from": "ZC-CEN", "to": "ZC-XZ", "days": "1", "day_tue": "on"})
    for url, words in (
        (f"{CALENDAR}?lang=en", "Weekly opening hours"),
        (f"{routes}?lang=en", "Courier routes"),
        ("/staff/network/new-point?lang=en", "New service point"),
        ("/staff/network/points/ZC-XZ?lang=en", "Move under another parent"),
        ("/staff/transits/manifest?at=ZC-XZ&lang=en", "Courier manifest"),
        ("/staff/transits?at=ZC-XZ&lang=en", "Send an item to another point"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert words in page.text
