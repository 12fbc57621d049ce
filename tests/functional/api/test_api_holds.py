"""``/api/v1/holds``, a point's pull list and hold shelf, and ``/api/v1/notices`` on the holds
tests' network (三体 has copies at ZC, ZC-CC and ZC-XX; those three take holds)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from support import load_test_module
from wenjin.db.uow import UnitOfWork
from wenjin.holds.models import Hold

ADULT, SENIOR, DOCTOR = "ZC00012345", "ZC00012346", "ZC00020001"
SANTI_CC, SANTI_XX = "ZC01000012", "ZC01000022"


@pytest.fixture
def library(engine: Engine) -> Any:
    holds_lib: ModuleType = load_test_module(
        "integration/holds/hold_library.py", "wenjin_api_hold_library"
    )
    with UnitOfWork(engine) as uow:
        built = holds_lib.build_hold_library(uow.session)
        uow.commit()
    return built


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _place(api: TestClient, patron: str, record: int, pickup: str) -> dict[str, Any]:
    body = {"patron": patron, "record": str(record), "pickup": pickup}
    return _ok(api.post("/api/v1/holds", json=body), 201)


def test_a_hold_placed_over_the_api_gets_its_copy_and_shows_in_the_lists(
    api: TestClient, library: Any
) -> None:
    placed = _place(api, ADULT, library.santi_record, "ZC-CC")
    assert (placed["status"], placed["title"], placed["pickup"]) == ("waiting", "三体", "ZC-CC")
    assert placed["targeted_item"] == SANTI_CC
    assert placed["queue_position"] == 1
    hold = placed["hold_id"]
    assert _ok(api.get(f"/api/v1/holds/{hold}"))["patron"] == ADULT
    mine = _ok(api.get("/api/v1/holds", params={"patron": ADULT}))
    assert (mine["total"], mine["items"][0]["hold_id"]) == (1, hold)
    at_cc = _ok(api.get("/api/v1/holds", params={"point": "ZC-CC", "status": "waiting"}))
    assert [line["hold_id"] for line in at_cc["items"]] == [hold]
    at_xx = _ok(api.get("/api/v1/holds", params={"point": "ZC-XX"}))
    assert at_xx["total"] == 0
    explained = _ok(api.get(f"/api/v1/holds/{hold}/explain"))
    assert explained["copies"][0]["barcode"] == SANTI_CC
    assert explained["copies"][0]["chosen"] is True
    pull = _ok(api.get("/api/v1/points/ZC-CC/pull-list"))
    assert [line["barcode"] for line in pull["lines"]] == [SANTI_CC]


def test_suspend_resume_move_and_cancel_name_the_acting_account(
    api: TestClient, library: Any, engine: Engine
) -> None:
    hold = _place(api, SENIOR, library.santi_record, "ZC")["hold_id"]
    suspended = _ok(api.post(f"/api/v1/holds/{hold}/suspend", json={"until": "2099-01-01"}))
    assert suspended["suspended_until"] == "2099-01-01"
    assert _ok(api.post(f"/api/v1/holds/{hold}/resume"))["suspended_until"] is None
    moved = _ok(api.patch(f"/api/v1/holds/{hold}", json={"pickup": "ZC-CC"}))
    assert (moved["pickup"], moved["targeted_item"]) == ("ZC-CC", SANTI_CC)
    cancelled = _ok(api.post(f"/api/v1/holds/{hold}/cancel", json={"reason": "staff"}))
    assert cancelled["status"] == "cancelled"
    again = api.post(f"/api/v1/holds/{hold}/cancel")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "hold_not_active"
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalar(select(Hold.status).where(Hold.id == hold)) == "cancelled"
    log = _ok(api.get("/api/v1/circulation/log", params={"patron": SENIOR}))
    assert log["items"]
    assert {line["actor"] for line in log["items"]} == {"admin"}


def test_a_hold_refused_by_the_rules_is_409_with_the_reason_in_both_languages(
    api: TestClient, library: Any
) -> None:
    refused = api.post(
        "/api/v1/holds", json={"patron": ADULT, "item": "ZC04000001", "pickup": "ZC"}
    )
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "nothing_to_hold"
    assert "不能预约" in error["message"]
    assert "cannot be held" in error["message_en"]
    not_pickup = api.post(
        "/api/v1/holds", json={"patron": ADULT, "item": "ZC01000002", "pickup": "ZC-V01"}
    )
    assert not_pickup.status_code == 409
    assert not_pickup.json()["error"]["code"] == "pickup_point_not_available"
    both = api.post(
        "/api/v1/holds",
        json={"patron": ADULT, "item": "ZC01000002", "record": "1", "pickup": "ZC"},
    )
    assert both.status_code == 422
    assert api.get("/api/v1/holds/999999").status_code == 404
    for record in ("99999999999999999999999", "²"):
        unknown = api.post(
            "/api/v1/holds", json={"patron": ADULT, "record": record, "pickup": "ZC"}
        )
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "record_not_found")


def test_a_village_desk_may_not_handle_holds_for_another_point(
    api: TestClient, anonymous: TestClient, tokens: Tokens, library: Any
) -> None:
    desk = tokens.header(tokens.village_desk)
    body = {"patron": ADULT, "record": str(library.santi_record), "pickup": "ZC"}
    refused = anonymous.post("/api/v1/holds", json=body, headers=desk)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert (error["code"], error["details"]["permission"]) == ("permission_denied", "holds.place")
    assert "无权办理预约" in error["message"]
    hold = _place(api, ADULT, library.santi_record, "ZC")["hold_id"]
    cancel = anonymous.post(f"/api/v1/holds/{hold}/cancel", headers=desk)
    assert cancel.status_code == 403
    shelf = anonymous.get("/api/v1/points/ZC/hold-shelf", headers=desk)
    assert shelf.status_code == 403
    assert anonymous.post("/api/v1/holds/expire", headers=desk).status_code == 403
    assert anonymous.post("/api/v1/holds/target", headers=desk).status_code == 403


def test_a_captured_hold_is_on_the_shelf_and_the_reader_gets_a_notice(
    api: TestClient, anonymous: TestClient, tokens: Tokens, library: Any
) -> None:
    hold = _place(api, ADULT, library.santi_record, "ZC-XX")["hold_id"]
    back = _ok(api.post("/api/v1/circulation/checkin", json={"point": "ZC-XX", "item": SANTI_XX}))
    assert back["slip"].startswith("预约保留")
    shelf = _ok(api.get("/api/v1/points/ZC-XX/hold-shelf"))
    assert [(line["hold_id"], line["barcode"]) for line in shelf["lines"]] == [(hold, SANTI_XX)]
    assert _ok(api.get("/api/v1/points/ZC-XX/hold-shelf", params={"expired": True}))["lines"] == []
    notices = _ok(api.get("/api/v1/notices", params={"status": "queued", "patron": ADULT}))
    assert notices["total"] == 1
    [notice] = notices["items"]
    assert notice["kind"] == "hold_ready"
    assert "辛兴镇图书馆" in notice["text_zh"]
    desk = anonymous.get("/api/v1/notices", headers=tokens.header(tokens.village_desk))
    assert desk.status_code == 200
    unknown = api.get("/api/v1/notices", params={"patron": "ZC99999999"})
    assert unknown.status_code == 404


def test_expiry_and_targeting_run_over_the_api(api: TestClient, library: Any) -> None:
    _place(api, DOCTOR, library.santi_record, "ZC")
    summary = _ok(api.post("/api/v1/holds/target"))
    assert (summary["holds"], summary["kept"]) == (1, 1)
    expired = _ok(api.post("/api/v1/holds/expire", json={"as_of": "2026-12-31"}))
    assert expired == {"date": "2026-12-31", "expired": []}
    bad = api.post("/api/v1/holds/expire", json={"as_of": "31/12/2026"})
    assert bad.status_code == 422
