"""Staff accounts in the staff client: an administrator of the network opens, changes,
resets and disables accounts and issues tokens (shown once); every member of staff
changes their own password; a desk account is refused the whole page."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from staff_helpers import STAFF_PASSWORD, csrf_of

NEW_PASSWORD = "相州镇借还书Zc2027"


def _flash(html: str) -> str:
    found = re.search(r'id="flash">([^<]*)<', html)
    return found.group(1) if found else ""


def _token(client: TestClient) -> str:
    return csrf_of(client.get("/staff/more").text)


def _login(client: TestClient, username: str, password: str) -> int:
    client.cookies.clear()
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    return response.status_code


def _create(client: TestClient, **fields: str) -> object:
    data = {
        "username": "liu.yang",
        "display_name": "刘洋",
        "role": "desk",
        "scope": "ZC-XZ",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        **fields,
        "csrf_token": _token(client),
    }
    return client.post("/staff/accounts", data=data)


def test_an_administrator_opens_an_account_that_can_sign_in(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    listed = admin.get("/staff/accounts")
    assert "wang.li" in listed.text
    created = _create(admin)
    assert "已开通员工账户 liu.yang" in _flash(created.text)
    assert created.url.path == "/staff/accounts/liu.yang"
    assert "相州镇图书馆" in created.text
    assert NEW_PASSWORD not in created.text
    assert _login(admin, "liu.yang", NEW_PASSWORD) == 200


def test_a_weak_password_or_a_taken_username_is_refused_with_the_reason(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    weak = _create(admin, password="123", password_again="123")
    assert weak.status_code == 422
    assert "至少需要10个字符" in weak.text
    assert 'value="123"' not in weak.text
    taken = _create(admin, username="wang.li")
    assert "已被使用" in taken.text
    differ = _create(admin, password_again=NEW_PASSWORD + "x")
    assert "两次输入的新密码不一致" in differ.text


def test_role_and_scope_change_a_password_reset_and_disabling(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    token = _token(admin)
    moved = admin.post(
        "/staff/accounts/wang.li/role",
        data={"role": "branch_librarian", "scope": "ZC-CEN", "csrf_token": token},
    )
    assert "已更改 wang.li 的角色和范围" in _flash(moved.text)
    assert "分馆馆员" in moved.text
    reset = admin.post(
        "/staff/accounts/wang.li/password",
        data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "csrf_token": token},
    )
    assert "已重设 wang.li 的密码" in _flash(reset.text)
    disabled = admin.post("/staff/accounts/wang.li/disable", data={"csrf_token": token})
    assert "已停用账户 wang.li" in _flash(disabled.text)
    myself = admin.post("/staff/accounts/admin/disable", data={"csrf_token": token})
    assert "不能停用自己" in _flash(myself.text)
    last = admin.post(
        "/staff/accounts/admin/role", data={"role": "desk", "scope": "", "csrf_token": token}
    )
    assert "最后一个" in _flash(last.text)
    assert _login(admin, "wang.li", NEW_PASSWORD) == 401


def test_a_token_is_shown_once_works_and_stops_when_revoked(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    issued = admin.post(
        "/staff/accounts/wang.li/tokens",
        data={"name": "自助借还机", "days": "30", "csrf_token": _token(admin)},
    )
    assert issued.status_code == 201
    found = re.search(r'id="new-token-value">(wj_[^<]+)<', issued.text)
    assert found
    clear = found.group(1)
    me = admin.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"})
    assert me.json()["username"] == "wang.li"
    again = admin.get("/staff/accounts/wang.li")
    assert clear not in again.text
    assert clear[:10] in again.text
    token_id = re.search(r"/staff/accounts/wang.li/tokens/(\d+)/revoke", again.text)
    assert token_id
    revoked = admin.post(token_id.group(0), data={"csrf_token": csrf_of(again.text)})
    assert "已吊销令牌" in _flash(revoked.text)
    gone = admin.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"})
    assert gone.status_code == 401


def test_a_desk_account_is_refused_account_administration(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    desk = signed_in_as("wang.li")
    page = desk.get("/staff/accounts")
    assert page.status_code == 403
    assert "accounts.manage" in page.text
    refused = _create(desk)
    assert refused.status_code == 403
    assert desk.get("/staff/accounts/admin").status_code == 403
    assert "员工账户" not in desk.get("/staff/more").text


def test_a_member_of_staff_changes_their_own_password(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    desk = signed_in_as("wang.li")
    page = desk.get("/staff/me/password")
    token = csrf_of(page.text)
    wrong = desk.post(
        "/staff/me/password",
        data={
            "current": "不对的密码123456",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert "当前密码不正确" in _flash(wrong.text)
    changed = desk.post(
        "/staff/me/password",
        data={
            "current": STAFF_PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert "密码已修改" in _flash(changed.text)
    assert changed.url.path == "/staff/me/password"  # still signed in
    assert _login(desk, "wang.li", STAFF_PASSWORD) == 401
    assert _login(desk, "wang.li", NEW_PASSWORD) == 200
