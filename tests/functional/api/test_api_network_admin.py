"""The API's network administration: deleting a rule of the policy matrix, creating and
moving points, opening hours, closed days, holidays and courier routes; network-wide
settings refused to a desk account of one village reading room."""

from __future__ import annotations

from typing import Any

from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from wenjin.circulation.models import CirculationEvent, CirculationRule
from wenjin.circulation.states import CirculationAction
from wenjin.db.uow import UnitOfWork


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _rule_id(engine: Engine, note: str) -> int:
    with UnitOfWork(engine, readonly=True) as uow:
        return uow.session.scalars(
            select(CirculationRule.id).where(CirculationRule.note == note)
        ).one()


def test_a_rule_is_deleted_over_the_api_and_logged_under_the_account(
    api: TestClient, engine: Engine
) -> None:
    rule_id = _rule_id(engine, "工具书仅限馆内阅览，不外借")
    body = _ok(api.delete(f"/api/v1/policy/rules/{rule_id}"))
    assert (body["deleted"]["rule_id"], body["deleted"]["item_type"]) == (rule_id, "REF")
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(CirculationRule, rule_id) is None
        event = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.RULE_DELETED
            )
        ).one()
        assert event.actor == "admin"
    gone = api.delete(f"/api/v1/policy/rules/{rule_id}")
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "rule_not_found"


def test_the_last_catch_all_rule_is_refused_with_409(api: TestClient, engine: Engine) -> None:
    rule_id = _rule_id(engine, "成人读者默认规则：5册30天，可续借1次30天")
    refused = api.delete(f"/api/v1/policy/rules/{rule_id}")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "rule_last_catch_all"


def test_a_desk_account_may_not_delete_a_rule(
    api: TestClient, tokens: Tokens, engine: Engine
) -> None:
    rule_id = _rule_id(engine, "工具书仅限馆内阅览，不外借")
    refused = api.delete(
        f"/api/v1/policy/rules/{rule_id}", headers=tokens.header(tokens.village_desk)
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["permission"] == "policy.write"


def test_a_village_reading_room_is_created_changed_and_moved_over_the_api(
    api: TestClient,
) -> None:
    created = _ok(
        api.post(
            "/api/v1/network/points",
            json={"code": "CC-LJZ", "name": "李家庄村农家书屋", "kind": "village", "parent": "ZC"},
        ),
        201,
    )
    assert (created["parent"], created["lends"], created["kind"]) == ("ZC", True, "village")
    changed = _ok(
        api.patch(
            "/api/v1/network/points/CC-LJZ",
            json={"address": "诸城市昌城镇李家庄村", "phone": "0536-6311234", "name": None},
        )
    )
    assert (changed["address"], changed["name"]) == ("诸城市昌城镇李家庄村", "李家庄村农家书屋")
    moved = _ok(api.post("/api/v1/network/points/CC-LJZ/move", json={"parent": "ZC-CC"}))
    assert moved["parent"] == "ZC-CC"
    closed = _ok(api.patch("/api/v1/network/points/CC-LJZ", json={"active": False}))
    assert closed["active"] is False


def test_a_point_code_already_used_is_refused(api: TestClient) -> None:
    taken = api.post(
        "/api/v1/network/points", json={"code": "zc-cc", "name": "重复", "kind": "branch"}
    )
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "point_code_taken"


def test_a_point_cannot_move_under_its_own_branch(api: TestClient) -> None:
    refused = api.post("/api/v1/network/points/ZC/move", json={"parent": "ZC-CC"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "point_parent_cycle"


def test_opening_hours_are_set_and_inherited_again(api: TestClient) -> None:
    before = _ok(api.get("/api/v1/network/points/ZC-CC/hours"))
    assert before["inherits"] is True
    assert before["observed"]["mon"] == []  # the central library closes on Mondays
    set_ = _ok(
        api.put(
            "/api/v1/network/points/ZC-CC/hours",
            json={"mon": "08:30-12:00, 14:00-17:30", "tue": "08:30-17:30", "sun": ""},
        )
    )
    assert set_["own"]["mon"] == ["08:30-12:00", "14:00-17:30"]
    assert set_["own"]["sun"] == []
    back = _ok(api.put("/api/v1/network/points/ZC-CC/hours", json={"inherit": True}))
    assert back["inherits"] is True


def test_hours_that_overlap_are_refused_in_words(api: TestClient) -> None:
    refused = api.put(
        "/api/v1/network/points/ZC-CC/hours", json={"mon": "09:00-12:00, 11:00-17:00"}
    )
    assert refused.status_code == 409
    assert "重叠" in refused.json()["error"]["message"]


def test_closed_days_and_holidays_are_added_and_removed(api: TestClient) -> None:
    added = _ok(
        api.post(
            "/api/v1/network/points/ZC-CC/closed-days",
            json={"start": "2026-07-01", "end": "2026-07-03", "reason": "馆舍维修"},
        ),
        201,
    )
    assert added["added"] == 3
    assert added["closed"] == [{"start": "2026-07-01", "end": "2026-07-03", "reason": "馆舍维修"}]
    holidays = _ok(api.post("/api/v1/network/points/ZC-CC/holidays", json={"year": 2026}))
    assert holidays["added"] > 20
    listed = _ok(api.get("/api/v1/network/points/ZC-CC/closed-days"))
    assert {"start": "2026-02-15", "end": "2026-02-23", "reason": "春节"} in listed["closed"]
    removed = _ok(
        api.delete(
            "/api/v1/network/points/ZC-CC/closed-days",
            params={"start": "2026-07-01", "end": "2026-07-03"},
        )
    )
    assert removed["removed"] == 3
    unknown_year = api.post("/api/v1/network/points/ZC-CC/holidays", json={"year": 2031})
    assert unknown_year.status_code == 409
    assert "没有 2031 年的法定节假日表" in unknown_year.json()["error"]["message"]


def test_a_courier_route_is_added_changed_listed_and_removed(api: TestClient) -> None:
    body = {"from": "ZC", "to": "ZC-CC", "days": 1, "weekdays": ["tue", "fri"], "note": "周二周五"}
    legs = _ok(api.put("/api/v1/network/courier-routes", json=body))["legs"]
    assert len(legs) == 2
    assert all(leg["weekdays"] == [2, 5] for leg in legs)
    changed = _ok(api.put("/api/v1/network/courier-routes", json={**body, "days": 2}))["legs"]
    assert {leg["days"] for leg in changed} == {2}
    listed = _ok(api.get("/api/v1/network/courier-routes", params={"point": "ZC-CC"}))
    assert listed["total"] == 2
    assert listed["items"][0]["both_ways"] is True
    removed = _ok(
        api.delete("/api/v1/network/courier-routes", params={"from": "ZC", "to": "ZC-CC"})
    )
    assert removed["removed"] == 2
    again = api.delete("/api/v1/network/courier-routes", params={"from": "ZC", "to": "ZC-CC"})
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "route_not_found"


def test_a_route_that_starts_and_ends_at_one_point_is_refused(api: TestClient) -> None:
    refused = api.put("/api/v1/network/courier-routes", json={"from": "ZC", "to": "ZC", "days": 1})
    assert refused.status_code == 409
    assert "起点和终点相同" in refused.json()["error"]["message"]


def test_a_desk_account_may_not_change_network_wide_settings(
    api: TestClient, tokens: Tokens
) -> None:
    desk = tokens.header(tokens.village_desk)
    attempts = [
        api.post(
            "/api/v1/network/points",
            json={"code": "X-1", "name": "新馆", "kind": "branch"},
            headers=desk,
        ),
        api.patch("/api/v1/network/points/ZC-V01", json={"phone": "110"}, headers=desk),
        api.put("/api/v1/network/points/ZC-V01/hours", json={"inherit": True}, headers=desk),
        api.post(
            "/api/v1/network/points/ZC-V01/closed-days", json={"start": "2026-07-01"}, headers=desk
        ),
        api.put(
            "/api/v1/network/courier-routes",
            json={"from": "ZC", "to": "ZC-V01", "days": 1},
            headers=desk,
        ),
    ]
    for refused in attempts:
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["details"]["permission"] == "network.write"
