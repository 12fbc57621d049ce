"""``/api/v1/transits/…`` and a point's courier manifest on the rotation tests' network
(courier routes from ZC to its branches and stations)."""

from __future__ import annotations

from typing import Any

import pytest
from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork
from wenjin.patrons.queries import network_today

BOOK, OTHER_BOOK = "ZC01000001", "ZC01000003"


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


def _send(api: TestClient, item: str, to: str) -> dict[str, Any]:
    body = {"at": "ZC", "item": item, "to": to, "note": "读者预借"}
    return _ok(api.post("/api/v1/transits/send", json=body), 201)


def test_a_transfer_is_sent_listed_on_the_manifest_dispatched_and_received(
    api: TestClient, library: Any
) -> None:
    sent = _send(api, BOOK, "ZC-XX")
    assert (sent["status"], sent["from"], sent["to"], sent["item_status"]) == (
        "in_transit",
        "ZC",
        "ZC-XX",
        "in_transit",
    )
    assert "周转箱" in sent["slip"]
    outgoing = _ok(api.get("/api/v1/transits", params={"point": "ZC"}))
    assert [line["barcode"] for line in outgoing["items"]] == [BOOK]
    today = network_today().isoformat()
    manifest = _ok(api.get("/api/v1/points/ZC/manifest", params={"date": today}))
    assert (manifest["leaving"], manifest["date"]) == (1, today)
    (leg,) = manifest["legs"]
    assert (leg["next_stop"], leg["items"][0]["barcode"]) == ("ZC-XX", BOOK)
    one_leg = _ok(api.get("/api/v1/points/ZC/manifest", params={"route": "ZC-CC"}))
    assert one_leg["legs"] == []
    dispatched = _ok(api.post("/api/v1/points/ZC/dispatch", json={}))
    assert (dispatched["sent"], dispatched["transit_ids"]) == (1, [sent["transit_id"]])
    received = _ok(api.post("/api/v1/transits/receive", json={"point": "ZC-XX", "item": BOOK}))
    assert received["outcome"] == "received"


def test_a_transit_cancelled_by_its_number_goes_back_on_the_shelf_once(
    api: TestClient, library: Any
) -> None:
    transit = _send(api, BOOK, "ZC-CC")["transit_id"]
    cancelled = _ok(api.post(f"/api/v1/transits/{transit}/cancel", json={"reason": "送错了"}))
    assert (cancelled["status"], cancelled["item_status"], cancelled["item_point"]) == (
        "cancelled",
        "available",
        "ZC",
    )
    again = api.post(f"/api/v1/transits/{transit}/cancel")
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "transit_not_under_way"
    assert "已取消" in error["message"]
    assert "cancelled" in error["message_en"]
    assert api.post("/api/v1/transits/999999/cancel").status_code == 404


def test_a_transit_lost_marks_the_item_and_refusals_say_why(api: TestClient, library: Any) -> None:
    transit = _send(api, BOOK, "ZC-CC")["transit_id"]
    wrong = api.post(f"/api/v1/transits/{transit}/lost", json={"status": "damaged"})
    assert wrong.status_code == 422
    lost = _ok(api.post(f"/api/v1/transits/{transit}/lost", json={"status": "lost"}))
    assert (lost["status"], lost["item_status"]) == ("lost", "lost")
    same = api.post("/api/v1/transits/send", json={"at": "ZC", "item": OTHER_BOOK, "to": "ZC"})
    assert same.status_code == 409
    error = same.json()["error"]
    assert error["code"] == "transfer_to_same_point"
    assert "同一个服务点" in error["message"]
    assert "another point" in error["message_en"]


def test_a_village_desk_may_not_send_or_dispatch_for_another_point(
    api: TestClient, anonymous: TestClient, tokens: Tokens, library: Any
) -> None:
    desk = tokens.header(tokens.village_desk)
    body = {"at": "ZC", "item": BOOK, "to": "ZC-V01"}
    refused = anonymous.post("/api/v1/transits/send", json=body, headers=desk)
    assert refused.status_code == 403
    assert refused.json()["error"]["details"] == {"permission": "transfers.send", "point": "ZC"}
    transit = _send(api, BOOK, "ZC-CC")["transit_id"]
    cancel = anonymous.post(f"/api/v1/transits/{transit}/cancel", headers=desk)
    assert cancel.status_code == 403
    lost = anonymous.post(f"/api/v1/transits/{transit}/lost", headers=desk)
    assert lost.status_code == 403
    assert anonymous.post("/api/v1/points/ZC/dispatch", headers=desk).status_code == 403
    assert anonymous.get("/api/v1/points/ZC/manifest", headers=desk).status_code == 403
    own = anonymous.get("/api/v1/points/ZC-V01/manifest", headers=desk)
    assert own.status_code == 200
    assert own.json()["leaving"] == 0
