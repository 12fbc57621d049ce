"""Signing a browser in and out, idle expiry, and forms that only this site can post."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient
from sample_library import SampleLibrary
from sqlalchemy import Engine, update

from wenjin.accounts.models import WebSession
from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.config import Settings
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app
from wenjin.web.sessions import (
    CSRF_COOKIE,
    STAFF_COOKIE,
    csrf_field,
    sign_in,
    sign_out,
    signed_in,
    verify_csrf,
)


def _probe_router(account_id: int) -> APIRouter:
    router = APIRouter(prefix="/probe", dependencies=[Depends(verify_csrf)])

    @router.get("/form")
    def form(request: Request) -> HTMLResponse:
        return HTMLResponse(f'<form method="post">{csrf_field(request)}</form>')

    @router.post("/login")
    def login(request: Request) -> PlainTextResponse:
        response = PlainTextResponse("signed in")
        sign_in(request, response, kind="staff", staff_account_id=account_id)
        return response

    @router.get("/whoami")
    def whoami(request: Request) -> PlainTextResponse:
        who = signed_in(request, kind="staff")
        return PlainTextResponse(str(who.staff_account_id) if who else "nobody")

    @router.post("/echo")
    def echo(note: Annotated[str, Form()]) -> PlainTextResponse:
        return PlainTextResponse(note)

    @router.post("/logout")
    def logout(request: Request) -> PlainTextResponse:
        response = PlainTextResponse("signed out")
        sign_out(request, response, kind="staff")
        return response

    return router


@pytest.fixture
def account_id(engine: Engine, library: SampleLibrary) -> int:
    with UnitOfWork(engine) as uow:
        account = create_account(
            uow.session,
            username="li.na",
            display_name="李娜",
            password="诸城图书馆借还书2026",
            role=Role.DESK,
        )
        uow.commit()
        return account.id


@pytest.fixture
def probe(settings: Settings, account_id: int) -> Iterator[TestClient]:
    app = create_app(settings)
    app.include_router(_probe_router(account_id))
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def _token(client: TestClient) -> str:
    page = client.get("/probe/form")
    assert page.status_code == 200
    return client.cookies[CSRF_COOKIE]


def test_a_page_with_a_form_gives_the_browser_its_csrf_token(probe: TestClient) -> None:
    token = _token(probe)
    assert f'name="csrf_token" value="{token}"' in probe.get("/probe/form").text
    cookie = probe.get("/probe/form")  # the browser already has it: not set again
    assert CSRF_COOKIE not in cookie.headers.get("set-cookie", "")


def test_a_form_with_the_token_is_accepted_and_one_without_it_refused(probe: TestClient) -> None:
    token = _token(probe)
    assert probe.post("/probe/echo", data={"note": "还书", "csrf_token": token}).text == "还书"
    refused = probe.post("/probe/echo", data={"note": "还书"})
    assert refused.status_code == 403
    assert "表单已过期" in refused.text
    wrong = probe.post("/probe/echo", data={"note": "还书", "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    assert (
        probe.post("/probe/echo", data={"note": "还书"}, headers={"X-CSRF-Token": token}).text
        == "还书"
    )


def test_a_form_posted_from_another_site_is_refused_even_with_the_token(probe: TestClient) -> None:
    token = _token(probe)
    foreign = probe.post(
        "/probe/echo",
        data={"note": "还书", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    same = probe.post(
        "/probe/echo",
        data={"note": "还书", "csrf_token": token},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 200


def test_sign_in_sets_an_http_only_cookie_and_logout_ends_it(
    probe: TestClient, account_id: int
) -> None:
    token = _token(probe)
    assert probe.get("/probe/whoami").text == "nobody"
    login = probe.post("/probe/login", data={"csrf_token": token})
    assert "httponly" in login.headers["set-cookie"].lower()
    assert "samesite=lax" in login.headers["set-cookie"].lower()
    cookie = probe.cookies[STAFF_COOKIE]
    assert probe.get("/probe/whoami").text == str(account_id)
    probe.post("/probe/logout", data={"csrf_token": token})
    assert probe.get("/probe/whoami").text == "nobody"
    probe.cookies.set(STAFF_COOKIE, cookie)  # a copy of the old cookie signs nobody in
    assert probe.get("/probe/whoami").text == "nobody"


def test_a_browser_idle_past_the_limit_is_signed_out(
    probe: TestClient, engine: Engine, account_id: int
) -> None:
    token = _token(probe)
    probe.post("/probe/login", data={"csrf_token": token})
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(WebSession).values(last_seen_at=utcnow() - timedelta(minutes=31))
        )
        uow.commit()
    assert probe.get("/probe/whoami").text == "nobody"


def test_signing_in_again_replaces_the_old_session(probe: TestClient, account_id: int) -> None:
    token = _token(probe)
    probe.post("/probe/login", data={"csrf_token": token})
    planted = probe.cookies[STAFF_COOKIE]
    probe.post("/probe/login", data={"csrf_token": token})
    assert probe.cookies[STAFF_COOKIE] != planted
    probe.cookies.delete(STAFF_COOKIE)
    probe.cookies.set(STAFF_COOKIE, planted)
    assert probe.get("/probe/whoami").text == "nobody"
