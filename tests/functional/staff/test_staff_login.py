"""Signing in to the staff client: pages need a member of staff, logins are kept honest."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from staff_helpers import csrf_of

from wenjin.web.sessions import STAFF_COOKIE


def test_a_staff_page_sends_a_stranger_to_the_login_page_and_back(staff_client: TestClient) -> None:
    response = staff_client.get("/staff/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=/staff/"
    page = staff_client.get("/staff/login?next=/staff/")
    signed = staff_client.post(
        "/staff/login",
        data={
            "username": "wang.li",
            "password": "诸城图书馆借还书2026",
            "next": "/staff/",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/staff/"
    assert "王丽" in staff_client.get("/staff/").text


def test_a_wrong_password_is_refused_in_words_and_five_lock_the_account(
    staff_client: TestClient,
) -> None:
    token = csrf_of(staff_client.get("/staff/login").text)
    for _ in range(4):
        refused = staff_client.post(
            "/staff/login", data={"username": "wang.li", "password": "wrong", "csrf_token": token}
        )
        assert refused.status_code == 401
        assert "用户名或密码不正确" in refused.text
    locked = staff_client.post(
        "/staff/login", data={"username": "wang.li", "password": "wrong", "csrf_token": token}
    )
    assert "锁定" in locked.text
    still = staff_client.post(
        "/staff/login",
        data={"username": "wang.li", "password": "诸城图书馆借还书2026", "csrf_token": token},
    )
    assert still.status_code == 401
    assert STAFF_COOKIE not in staff_client.cookies


def test_login_never_redirects_to_another_site(staff_client: TestClient) -> None:
    token = csrf_of(staff_client.get("/staff/login").text)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        signed = staff_client.post(
            "/staff/login",
            data={
                "username": "admin",
                "password": "诸城图书馆借还书2026",
                "next": target,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert signed.headers["location"] == "/staff/"


def test_a_login_form_without_its_token_is_refused(staff_client: TestClient) -> None:
    refused = staff_client.post(
        "/staff/login", data={"username": "admin", "password": "诸城图书馆借还书2026"}
    )
    assert refused.status_code == 403
    assert STAFF_COOKIE not in staff_client.cookies


def test_signing_out_ends_the_session(signed_in_as: Callable[[str], TestClient]) -> None:
    client = signed_in_as("admin")
    home = client.get("/staff/")
    assert home.status_code == 200
    client.post("/staff/logout", data={"csrf_token": csrf_of(home.text)})
    assert client.get("/staff/", follow_redirects=False).status_code == 303


def test_too_many_failed_sign_ins_from_one_address_are_refused_for_a_while(
    staff_client: TestClient,
) -> None:
    token = csrf_of(staff_client.get("/staff/login").text)
    for n in range(20):  # different names: no single account locks itself
        refused = staff_client.post(
            "/staff/login",
            data={"username": f"guess{n:02d}", "password": "wrong", "csrf_token": token},
        )
        assert refused.status_code == 401
    blocked = staff_client.post(
        "/staff/login",
        data={"username": "wang.li", "password": "诸城图书馆借还书2026", "csrf_token": token},
        follow_redirects=False,
    )
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.text
