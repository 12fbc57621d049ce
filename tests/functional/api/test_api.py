"""The REST API end to end: each area once, and the refusals (401, 403, 409, 422)."""

from __future__ import annotations

from typing import Any

from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from wenjin.circulation.models import CirculationEvent
from wenjin.db.uow import UnitOfWork

ADULT, SENIOR = "ZC00012345", "ZC00012346"
BOOK, OTHER_BOOK = "ZC01000001", "ZC01000002"
ID_NUMBER = "11010519491231002X"


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_without_a_token_the_api_answers_401_in_chinese_and_english(
    anonymous: TestClient,
) -> None:
    response = anonymous.get("/api/v1/me")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert "令牌" in error["message"]
    assert "token" in error["message_en"]
    bad = anonymous.get("/api/v1/me", headers={"Authorization": "Bearer wj_nope"})
    assert bad.status_code == 401


def test_me_names_the_account_its_role_and_permissions(api: TestClient) -> None:
    me = _ok(api.get("/api/v1/me"))
    assert me["username"] == "admin"
    assert me["role"] == "admin"
    assert "circulation.lend" in me["permissions"]
    tokens = _ok(api.get("/api/v1/me/tokens"))
    assert tokens[0]["prefix"].startswith("wj_")  # type: ignore[index]


def test_the_openapi_document_and_swagger_ui_are_served(anonymous: TestClient) -> None:
    document = _ok(anonymous.get("/api/v1/openapi.json"))
    assert "/circulation/checkout" in document["paths"]
    assert anonymous.get("/api/v1/docs").status_code == 200
    assert anonymous.get("/openapi.json").status_code == 404


def test_checkout_checkin_and_the_log_name_the_acting_account(
    api: TestClient, engine: Engine
) -> None:
    lent = _ok(
        api.post(
            "/api/v1/circulation/checkout", json={"point": "ZC", "patron": ADULT, "item": BOOK}
        ),
        201,
    )
    assert lent["title"] == "平凡的世界"
    assert "应还日期" in lent["slip"]
    loans = _ok(api.get("/api/v1/loans", params={"patron": ADULT}))
    assert loans["total"] == 1
    assert loans["items"][0]["barcode"] == BOOK
    item = _ok(api.get(f"/api/v1/items/{BOOK}"))
    assert item["loan"]["due_on"] == lent["due_on"]
    back = _ok(api.post("/api/v1/circulation/checkin", json={"point": "ZC", "item": BOOK}))
    assert back["returned"] is True
    assert back["slip"]
    assert back["slip_en"]
    log = _ok(api.get("/api/v1/circulation/log", params={"item": BOOK}))
    assert [line["actor"] for line in log["items"]][:2] == ["admin", "admin"]
    with UnitOfWork(engine, readonly=True) as uow:
        actors = set(uow.session.scalars(select(CirculationEvent.actor)))
    assert actors == {"admin"}


def test_lending_an_item_already_on_loan_is_refused_with_409_and_the_reason(
    api: TestClient,
) -> None:
    body = {"point": "ZC", "patron": ADULT, "item": BOOK}
    _ok(api.post("/api/v1/circulation/checkout", json=body), 201)
    again = api.post("/api/v1/circulation/checkout", json={**body, "patron": SENIOR})
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "item_on_loan"
    assert "平凡的世界" in error["message"]
    assert error["message_en"]


def test_a_village_desk_may_not_lend_at_another_point(api: TestClient, tokens: Tokens) -> None:
    body = {"point": "ZC-CC", "patron": ADULT, "item": "ZC02000001"}
    refused = api.post(
        "/api/v1/circulation/checkout", json=body, headers=tokens.header(tokens.village_desk)
    )
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "permission_denied"
    assert "ZC-CC" in error["message"]
    assert "circulation.lend" in error["message_en"]
    assert error["details"] == {"permission": "circulation.lend", "point": "ZC-CC"}
    policy = api.put(
        "/api/v1/policy/rules", json={"loan_days": 10}, headers=tokens.header(tokens.village_desk)
    )
    assert policy.status_code == 403


def test_an_invalid_body_is_422_with_the_fields_in_both_languages(api: TestClient) -> None:
    response = api.post("/api/v1/circulation/checkout", json={"point": "ZC"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert "patron" in error["message"]
    assert "patron" in error["message_en"]
    assert error["details"]


def test_a_reader_is_registered_with_a_masked_id_and_changed_blocked_and_unblocked(
    api: TestClient,
) -> None:
    created = _ok(
        api.post(
            "/api/v1/patrons",
            json={
                "card": "ZC00099001",
                "name": "周晓梅",
                "category": "SENIOR",
                "home": "ZC-XX",
                "id_number": ID_NUMBER,
                "phone": "13805361234",
            },
        ),
        201,
    )
    assert ID_NUMBER not in str(created)
    assert created["patron"]["id_masked"].startswith("1101")
    assert created["patron"]["phone"] == "13805361234"  # the admin may see personal data
    found = _ok(api.get("/api/v1/patrons", params={"q": "周晓梅"}))
    assert found["total"] == 1
    assert found["items"][0]["card"] == "ZC00099001"
    changed = _ok(api.patch("/api/v1/patrons/ZC00099001", json={"phone": "13905367777"}))
    assert changed["changed"] is True
    blocked = _ok(api.post("/api/v1/patrons/ZC00099001/block", json={"reason": "污损图书未赔"}))
    assert blocked["patron"]["may_borrow"] is False
    _ok(api.post("/api/v1/patrons/ZC00099001/unblock", json={}))
    shown = _ok(api.get("/api/v1/patrons/ZC00099001"))
    assert shown["patron"]["may_borrow"] is True
    assert shown["patron"]["fees_owed_fen"] == 0
    assert shown["patron"]["loans"]["count"] == 0
    history = _ok(api.get("/api/v1/patrons/ZC00099001/history"))
    assert history["total"] == 0


def test_a_patron_file_is_imported_with_the_rejects_by_line(api: TestClient) -> None:
    csv = ("card,name,category,home\nZC00099101,刘洋,ADULT,ZC\nZC00099102,,ADULT,ZC\n").encode()
    result = _ok(
        api.post(
            "/api/v1/patrons/import",
            files={"file": ("readers.csv", csv, "text/csv")},
            data={"waive_deposit_reason": "学校统一担保"},
        )
    )
    assert result["imported"] == 1
    assert result["rejected"] == 1
    assert result["rejects"][0]["row"] == 3


def test_fees_are_paid_with_a_receipt_after_a_lost_item(api: TestClient) -> None:
    _ok(
        api.post(
            "/api/v1/circulation/checkout", json={"point": "ZC", "patron": ADULT, "item": BOOK}
        ),
        201,
    )
    lost = _ok(api.post("/api/v1/circulation/lost", json={"point": "ZC", "item": BOOK}))
    owed = _ok(api.get(f"/api/v1/fees/patron/{ADULT}"))
    assert owed["outstanding_fen"] == lost["charged_fen"]
    paid = _ok(
        api.post(
            "/api/v1/fees/pay",
            json={"patron": ADULT, "amount_fen": 1000, "method": "cash", "point": "ZC"},
        ),
        201,
    )
    assert paid["receipt_number"]
    assert paid["outstanding_fen"] == lost["charged_fen"] - 1000
    waived = _ok(api.post(f"/api/v1/fees/{lost['fee_id']}/waive", json={"reason": "读者家庭困难"}))
    assert waived["fee"]["balance_fen"] == 0
    assert waived["outstanding_fen"] < paid["outstanding_fen"]
    takings = _ok(api.get("/api/v1/fees/takings", params={"point": "ZC"}))
    assert takings["total"]["taken_fen"] == 1000
    window = _ok(
        api.post(
            "/api/v1/fees/amnesty",
            json={
                "name": "世界读书日特别还书日",
                "starts_on": "2026-04-23",
                "ends_on": "2026-04-23",
            },
        ),
        201,
    )
    listed = _ok(api.get("/api/v1/fees/amnesty"))
    assert listed["items"][0]["id"] == window["id"]


def test_policy_rules_are_listed_set_and_explained(api: TestClient) -> None:
    rules = _ok(api.get("/api/v1/policy/rules", params={"per_page": 5}))
    assert rules["per_page"] == 5
    assert rules["total"] >= len(rules["items"])
    rule = _ok(api.put("/api/v1/policy/rules", json={"point": "ZC-V01", "loan_days": 45}))
    assert rule["rule"]["terms"]["loan_days"] == 45
    explained = _ok(
        api.get("/api/v1/policy/explain", params={"patron": ADULT, "item": BOOK, "at": "ZC-V01"})
    )
    assert explained["winner"]["id"] == rule["rule"]["id"]


def test_the_network_points_calendar_route_and_transits(api: TestClient) -> None:
    points = _ok(api.get("/api/v1/network/points"))
    assert {p["code"] for p in points["items"]} >= {"ZC", "ZC-CC", "ZC-V01"}
    one = _ok(api.get("/api/v1/network/points/ZC-CC"))
    assert one["name"] == "昌城镇图书馆"
    calendar = _ok(api.get("/api/v1/network/points/ZC/calendar", params={"days": 7}))
    assert len(calendar["days"]) == 7
    assert any(not d["open"] for d in calendar["days"])  # closed on Mondays
    _ok(api.get("/api/v1/network/routes", params={"from": "ZC", "to": "ZC-CC"}))
    missing = api.get("/api/v1/network/points/NOPE")
    assert missing.status_code == 404
    assert missing.json()["error"]["message_en"]
    transits = _ok(api.get("/api/v1/transits", params={"point": "ZC", "direction": "incoming"}))
    assert transits["total"] == 0
    sent = _ok(api.post("/api/v1/transits/sent", json={"point": "ZC"}))
    assert sent["sent"] == 0


def test_renew_all_answers_with_the_renewed_and_the_refused(api: TestClient) -> None:
    for barcode in (BOOK, OTHER_BOOK):
        _ok(
            api.post(
                "/api/v1/circulation/checkout",
                json={"point": "ZC", "patron": ADULT, "item": barcode},
            ),
            201,
        )
    body = _ok(api.post("/api/v1/circulation/renew-all", json={"point": "ZC", "patron": ADULT}))
    assert body["patron"] == ADULT
    assert body["renewed"] == []  # lent a minute ago: renewing now would not extend the loan
    assert {line["item"] for line in body["refused"]} == {BOOK, OTHER_BOOK}
    assert all(line["code"] == "renewal_too_early" for line in body["refused"])
    assert all(line["message"] and line["message_en"] for line in body["refused"])


def test_a_nul_character_in_the_query_is_refused_with_422_on_either_database(
    api: TestClient,
) -> None:
    response = api.get("/api/v1/transits", params={"point": "ZC\x00"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
