"""``/api/v1/sip2/accounts``: kiosk accounts added, listed and changed through the API,
never showing a password; network.write over the whole network."""

from __future__ import annotations

from api_tokens import Tokens
from fastapi.testclient import TestClient


def test_a_kiosk_is_added_listed_moved_and_switched_off(api: TestClient) -> None:
    added = api.post(
        "/api/v1/sip2/accounts",
        json={"login": "cc-self-01", "password": "cc-kiosk-2026", "point": "ZC-CC"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["account"]["encoding"] == "utf-8"
    assert "cc-kiosk-2026" not in added.text
    listed = api.get("/api/v1/sip2/accounts").json()["accounts"]
    assert [k["login"] for k in listed] == ["cc-self-01"]
    moved = api.patch(
        "/api/v1/sip2/accounts/cc-self-01",
        json={"point": "ZC-XX", "encoding": "gb18030", "active": False},
    )
    assert moved.status_code == 200, moved.text
    account = moved.json()["account"]
    assert (account["point"], account["encoding"], account["active"]) == (
        "ZC-XX",
        "gb18030",
        False,
    )


def test_an_unknown_kiosk_is_a_404_and_a_taken_login_a_409(api: TestClient) -> None:
    assert api.patch("/api/v1/sip2/accounts/nobody", json={"active": False}).status_code == 404
    body = {"login": "cc-self-02", "password": "cc-kiosk-2026", "point": "ZC-CC"}
    assert api.post("/api/v1/sip2/accounts", json=body).status_code == 201
    again = api.post("/api/v1/sip2/accounts", json=body)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "sip2_login_taken"


def test_a_village_desk_may_not_manage_kiosks(api: TestClient, tokens: Tokens) -> None:
    refused = api.get("/api/v1/sip2/accounts", headers=tokens.header(tokens.village_desk))
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["permission"] == "network.write"
