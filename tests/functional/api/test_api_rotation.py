"""``/api/v1/rotation``: plans and rotating collections on the rotation tests' network
(stations ZC-L01 … ZC-L03 under the central library, a batch of six books at ZC)."""

from __future__ import annotations

from typing import Any

import pytest
from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def network() -> Any:
    """``rotation_library.py``: the stations, courier routes and the batch of books."""
    return load_test_module(
        "integration/rotation/rotation_library.py", "wenjin_api_rotation_library"
    )


@pytest.fixture
def library(engine: Engine, network: Any) -> Any:
    with UnitOfWork(engine) as uow:
        built = network.build_rotation_library(uow.session)
        uow.commit()
    return built


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_collection_goes_round_its_plan_over_the_api(
    api: TestClient, library: Any, network: Any
) -> None:
    plan = _ok(
        api.post(
            "/api/v1/rotation/plans",
            json={
                "code": "LDZ",
                "name": "流动站轮换",
                "stations": ["ZC-L01", "ZC-L02"],
                "stay_days": 60,
            },
        ),
        201,
    )
    assert [stop["point"] for stop in plan["stops"]] == ["ZC-L01", "ZC-L02"]
    created = _ok(
        api.post(
            "/api/v1/rotation/collections",
            json={"code": "LD-001", "name": "第一流动书箱", "home": "ZC", "plan": "LDZ"},
        ),
        201,
    )
    assert (created["collection"]["status"], created["collection"]["plan"]) == ("at_home", "LDZ")
    items = {"items": network.BATCH_BARCODES}
    added = _ok(api.post("/api/v1/rotation/collections/LD-001/add", json=items))
    assert added["added"] == network.BATCH_BARCODES
    removed = _ok(
        api.post("/api/v1/rotation/collections/LD-001/remove", json={"items": ["ZC08000006"]})
    )
    assert removed["removed"] == ["ZC08000006"]

    sent = _ok(api.post("/api/v1/rotation/collections/LD-001/send"))
    assert (sent["destination"], len(sent["sent"])) == ("ZC-L01", 5)
    received = _ok(api.post("/api/v1/rotation/collections/LD-001/receive", json={"at": "ZC-L01"}))
    assert (received["status"], len(received["received"])) == ("at_station", 5)
    shown = _ok(api.get("/api/v1/rotation/collections/LD-001"))
    assert shown["collection"]["station"] == "ZC-L01"
    assert shown["items_by_status"] == {"available": 5}
    listed = _ok(api.get("/api/v1/rotation/collections", params={"point": "ZC-L01"}))
    assert (listed["total"], listed["items"][0]["code"]) == (1, "LD-001")
    due = _ok(api.get("/api/v1/rotation/due", params={"date": "2099-01-01", "plan": "LDZ"}))
    assert [line["code"] for line in due["due"]] == ["LD-001"]

    recalled = _ok(api.post("/api/v1/rotation/collections/LD-001/recall", json={"next": True}))
    assert recalled["destination"] == "ZC-L02"
    plans = _ok(api.get("/api/v1/rotation/plans"))
    assert [(p["code"], p["collections"]) for p in plans["items"]] == [("LDZ", 1)]
    assert _ok(api.get("/api/v1/rotation/plans/LDZ"))["collections"][0]["code"] == "LD-001"


def test_rotation_refusals_say_why_in_both_languages(api: TestClient, library: Any) -> None:
    body = {"code": "LD-001", "name": "第一流动书箱", "home": "ZC"}
    _ok(api.post("/api/v1/rotation/collections", json=body), 201)
    empty = api.post("/api/v1/rotation/collections/LD-001/send", json={"to": "ZC-L01"})
    assert empty.status_code == 409
    error = empty.json()["error"]
    assert error["code"] == "collection_empty"
    assert error["message"]
    assert error["message_en"]
    unknown = api.get("/api/v1/rotation/collections/LD-999")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "collection_not_found")
    bad_kind = api.post("/api/v1/rotation/collections", json=body | {"kind": "box"})
    assert bad_kind.status_code == 422
    assert api.get("/api/v1/rotation/plans/NOPE").status_code == 404


def test_a_village_desk_may_not_manage_a_collection_at_home_elsewhere(
    api: TestClient, anonymous: TestClient, tokens: Tokens, library: Any
) -> None:
    desk = tokens.header(tokens.village_desk)
    body = {"code": "LD-001", "name": "第一流动书箱", "home": "ZC"}
    refused = anonymous.post("/api/v1/rotation/collections", json=body, headers=desk)
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["permission"] == "rotation.manage"
    _ok(api.post("/api/v1/rotation/collections", json=body), 201)
    _ok(api.post("/api/v1/rotation/collections/LD-001/add", json={"items": ["ZC08000001"]}))
    send = anonymous.post(
        "/api/v1/rotation/collections/LD-001/send", json={"to": "ZC-L01"}, headers=desk
    )
    assert send.status_code == 403
    _ok(api.post("/api/v1/rotation/collections/LD-001/send", json={"to": "ZC-L01"}))
    receive = anonymous.post(
        "/api/v1/rotation/collections/LD-001/receive", json={"at": "ZC-L01"}, headers=desk
    )
    assert receive.status_code == 403
    assert receive.json()["error"]["details"] == {"permission": "transfers.send", "point": "ZC-L01"}
