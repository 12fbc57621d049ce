"""The REST API for the rest of the desk and for staff accounts: items with their holds,
a reader's deposit refund, closing and reopening, fees charged by hand, amnesty windows
ended, notices filtered by kind and point, and /accounts for an administrator of the
network; a desk account is refused account administration and amnesty (403)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from wenjin.db.uow import UnitOfWork
from wenjin.fees.models import Fee

ADULT, SENIOR, LAPSED = "ZC00012345", "ZC00012346", "ZC00030002"
PASSWORD = "诸城图书馆借还书2026"
NEW_PASSWORD = "辛兴镇借还书Zx2027"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _refused(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["message"]
    assert error["message_en"]
    return error


def test_an_item_shows_its_loan_and_the_holds_on_its_title(api: TestClient) -> None:
    _ok(
        api.post(
            "/api/v1/circulation/checkout",
            json={"point": "ZC", "patron": ADULT, "item": "ZC01000001"},
        ),
        201,
    )
    item = _ok(api.get("/api/v1/items/ZC01000001"))
    assert item["loan"]["status"] == "open"
    assert item["holds"] == []
    _refused(api.get("/api/v1/items/NOSUCH01"), 404)


def test_a_deposit_is_refunded_an_account_closed_and_reopened(api: TestClient) -> None:
    still_needed = _refused(api.post(f"/api/v1/patrons/{ADULT}/deposits/refund"), 409)
    assert still_needed["code"]
    _ok(
        api.put(
            f"/api/v1/patrons/{LAPSED}/credit",
            json={
                "source": "诸城市信用中心",
                "verified_on": date.today().isoformat(),
                "expires_on": (date.today() + timedelta(days=300)).isoformat(),
            },
        )
    )
    refunded = _ok(api.post(f"/api/v1/patrons/{LAPSED}/deposits/refund", json={"method": "cash"}))
    assert refunded["amount_fen"] > 0
    closed = _ok(api.post(f"/api/v1/patrons/{SENIOR}/close"))
    assert closed["action"] == "closed"
    reopened = _ok(api.post(f"/api/v1/patrons/{SENIOR}/reopen", json={"new_card": "ZC00012399"}))
    assert reopened["patron"]["card_number"] == "ZC00012399"
    _refused(api.post("/api/v1/patrons/ZC00012399/reopen", json={"new_card": "ZC00012398"}), 409)


def test_an_account_with_a_loan_is_not_closed(api: TestClient) -> None:
    _ok(
        api.post(
            "/api/v1/circulation/checkout",
            json={"point": "ZC", "patron": ADULT, "item": "ZC01000002"},
        ),
        201,
    )
    error = _refused(api.post(f"/api/v1/patrons/{ADULT}/close"), 409)
    assert error["code"] == "account_has_obligations"


def test_a_fee_is_charged_by_hand_under_the_acting_account(
    api: TestClient, engine: Engine, tokens: Tokens
) -> None:
    charged = _ok(
        api.post(
            "/api/v1/fees/charge",
            json={
                "patron": SENIOR,
                "kind": "damaged",
                "amount_fen": 1250,
                "point": "ZC",
                "item": "ZC01000004",
                "note": "封面撕破",
            },
        ),
        201,
    )
    assert charged["outstanding_fen"] == 1250
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalars(select(Fee.created_by)).one() == "admin"
    _refused(
        api.post(
            "/api/v1/fees/charge",
            json={"patron": SENIOR, "kind": "overdue", "amount_fen": 100, "point": "ZC"},
        ),
        422,
    )
    desk = api.post(
        "/api/v1/fees/charge",
        json={"patron": SENIOR, "kind": "other", "amount_fen": 100, "point": "ZC"},
        headers=tokens.header(tokens.village_desk),
    )
    assert _refused(desk, 403)["code"] == "permission_denied"


def test_an_amnesty_window_is_ended_and_a_desk_account_may_not(
    api: TestClient, tokens: Tokens
) -> None:
    today = date.today().isoformat()
    window = {"name": "世界读书日", "starts_on": today, "ends_on": today, "points": []}
    added = _ok(api.post("/api/v1/fees/amnesty", json=window), 201)
    desk = tokens.header(tokens.village_desk)
    _refused(api.post("/api/v1/fees/amnesty", json=window, headers=desk), 403)
    _refused(api.post(f"/api/v1/fees/amnesty/{added['id']}/end", headers=desk), 403)
    ended = _ok(api.post(f"/api/v1/fees/amnesty/{added['id']}/end"))
    assert ended["window"]["active"] is False
    _refused(api.post("/api/v1/fees/amnesty/999999/end"), 404)


def test_notices_filter_by_kind_and_point(api: TestClient, tokens: Tokens) -> None:
    listed = _ok(api.get("/api/v1/notices", params={"kind": "hold_ready", "point": "ZC"}))
    assert listed["total"] == 0
    desk = api.get(
        "/api/v1/notices", params={"point": "ZC"}, headers=tokens.header(tokens.village_desk)
    )
    _refused(desk, 403)


def test_an_administrator_manages_accounts_and_tokens(api: TestClient) -> None:
    created = _ok(
        api.post(
            "/api/v1/accounts",
            json={
                "username": "li.na",
                "display_name": "李娜",
                "role": "desk",
                "scope": "ZC-XX",
                "password": NEW_PASSWORD,
            },
        ),
        201,
    )
    assert (created["role"], created["scope"], created["active"]) == ("desk", "ZC-XX", True)
    assert [a["username"] for a in _ok(api.get("/api/v1/accounts"))] == [
        "admin",
        "li.na",
        "wjz.desk",
    ]
    changed = _ok(
        api.patch("/api/v1/accounts/li.na", json={"role": "branch_librarian", "scope": "ZC-XX"})
    )
    assert changed["role"] == "branch_librarian"
    issued = _ok(api.post("/api/v1/accounts/li.na/tokens", json={"name": "报表脚本"}), 201)
    assert issued["token"].startswith("wj_")
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert _ok(api.get("/api/v1/me", headers=headers))["username"] == "li.na"
    listed = _ok(api.get("/api/v1/accounts/li.na/tokens"))
    assert issued["token"] not in str(listed)
    _ok(api.post(f"/api/v1/accounts/li.na/tokens/{issued['id']}/revoke"))
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    _ok(api.put("/api/v1/accounts/li.na/password", json={"password": PASSWORD + "新"}))
    assert _ok(api.post("/api/v1/accounts/li.na/disable"))["active"] is False
    _refused(api.post("/api/v1/accounts/li.na/disable"), 409)


def test_account_refusals_say_why(api: TestClient) -> None:
    weak = _refused(
        api.post(
            "/api/v1/accounts",
            json={"username": "zhou.min", "display_name": "周敏", "role": "desk", "password": "1"},
        ),
        409,
    )
    assert weak["code"] == "password_too_weak"
    _refused(api.get("/api/v1/accounts/nobody"), 404)
    assert _refused(api.post("/api/v1/accounts/admin/disable"), 409)["code"] == "own_account"
    last = _refused(api.patch("/api/v1/accounts/admin", json={"role": "desk"}), 409)
    assert last["code"] == "last_administrator"


def test_a_desk_account_is_refused_account_administration(api: TestClient, tokens: Tokens) -> None:
    desk = tokens.header(tokens.village_desk)
    error = _refused(api.get("/api/v1/accounts", headers=desk), 403)
    assert error["details"]["permission"] == "accounts.manage"
    _refused(
        api.post(
            "/api/v1/accounts",
            json={"username": "x.y", "display_name": "某", "role": "admin", "password": PASSWORD},
            headers=desk,
        ),
        403,
    )
    _refused(api.post("/api/v1/accounts/admin/tokens", json={"name": "偷"}, headers=desk), 403)


def test_a_member_of_staff_changes_their_own_password(api: TestClient, tokens: Tokens) -> None:
    desk = tokens.header(tokens.village_desk)
    wrong = _refused(
        api.put(
            "/api/v1/me/password",
            json={"current": "不对的密码123456", "password": NEW_PASSWORD},
            headers=desk,
        ),
        409,
    )
    assert wrong["code"] == "password_wrong"
    changed = _ok(
        api.put(
            "/api/v1/me/password",
            json={"current": PASSWORD, "password": NEW_PASSWORD},
            headers=desk,
        )
    )
    assert changed["username"] == "wjz.desk"


def test_a_deposit_is_waived_with_a_reason(api: TestClient, tokens: Tokens) -> None:
    waived = _ok(api.post(f"/api/v1/patrons/{ADULT}/deposits/waive", json={"reason": "学校担保"}))
    assert waived["action"] == "deposit_waived"
    _refused(api.post(f"/api/v1/patrons/{ADULT}/deposits/waive", json={"reason": "再免"}), 409)
    desk = tokens.header(tokens.village_desk)
    _refused(
        api.post(f"/api/v1/patrons/{SENIOR}/deposits/waive", json={"reason": "x"}, headers=desk),
        403,
    )
