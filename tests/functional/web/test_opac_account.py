"""The reader's own pages: sign in with card and PIN, renew, holds, fines, history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from support import load_test_module
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.circulation.services import checkout
from wenjin.config import Settings
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.holds.models import Hold
from wenjin.patrons.models import Patron
from wenjin.web.app import create_app
from wenjin.web.sessions import READER_COOKIE

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def kiosks() -> ModuleType:
    return load_test_module("integration/sip2/kiosk_library.py", "wenjin_opac_kiosk_library")


@pytest.fixture
def lending(engine: Engine, kiosks: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Any:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("wenjin.patrons.identity._hasher", cheap)
    with UnitOfWork(engine) as uow:
        library = kiosks.build_kiosk_library(uow.session)
        uow.commit()
    # Lent four weeks ago: due soon, so that renewing extends the loan.
    lent = utcnow() - timedelta(days=28)
    with UnitOfWork(engine) as uow:
        for card, barcode in (
            (kiosks.ADULT, "ZC01000001"),
            (kiosks.ADULT, "ZC01000004"),
            (kiosks.SENIOR, "ZC01000003"),
        ):
            checkout(uow.session, at="ZC", card_number=card, barcode=barcode, now=lent)
        uow.commit()
    return library


@pytest.fixture
def opac(database_url: str, tmp_path: Path, lending: Any) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, data_dir=tmp_path / "var")
    with TestClient(create_app(settings)) as client:
        yield client


def _token(client: TestClient, path: str = "/login") -> str:
    found = _CSRF.search(client.get(path).text)
    assert found
    return found.group(1)


def _sign_in(client: TestClient, card: str, pin: str) -> Any:
    return client.post("/login", data={"card": card, "pin": pin, "csrf_token": _token(client)})


def test_my_account_needs_a_signed_in_reader(opac: TestClient) -> None:
    response = opac.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"


def test_a_reader_signs_in_with_card_and_pin_and_sees_their_loans(
    opac: TestClient, kiosks: ModuleType
) -> None:
    page = _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    assert page.status_code == 200
    assert "王小明" in page.text
    assert "平凡的世界" in page.text
    assert "围城" in page.text
    assert "活着" not in page.text  # 李娜's loan
    assert READER_COOKIE in opac.cookies


def test_a_wrong_pin_is_refused_and_five_lock_online_sign_in(
    opac: TestClient, kiosks: ModuleType, engine: Engine
) -> None:
    for _ in range(4):
        refused = _sign_in(opac, kiosks.ADULT, "000000")
        assert refused.status_code == 401
        assert "读者证号或密码不正确" in refused.text
    locked = _sign_in(opac, kiosks.ADULT, "000000")
    assert "不能在网上登录" in locked.text
    still = _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    assert still.status_code == 401
    assert READER_COOKIE not in opac.cookies
    unknown = _sign_in(opac, "ZC9999999999", "123456")
    assert "读者证号或密码不正确" in unknown.text


def test_renewing_a_loan_moves_its_due_date_and_says_so(
    opac: TestClient, kiosks: ModuleType, engine: Engine
) -> None:
    _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    with UnitOfWork(engine, readonly=True) as uow:
        before = uow.session.scalar(
            select(Loan.renewals).where(Loan.returned_at.is_(None)).limit(1)
        )
    page = opac.post(
        "/account/renew", data={"barcode": "ZC01000001", "csrf_token": _token(opac, "/account")}
    )
    assert page.status_code == 200
    assert 'id="flash"' in page.text
    assert "已续借" in page.text
    with UnitOfWork(engine, readonly=True) as uow:
        loan = uow.session.scalars(
            select(Loan).where(Loan.returned_at.is_(None), Loan.card_number == kiosks.ADULT)
        ).first()
        assert loan is not None
        event = uow.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "renew")
        ).one()
        assert event.actor == f"opac:{kiosks.ADULT}"
    assert before == 0
    # the message shows once, then is gone
    assert 'id="flash"' not in opac.get("/account").text


def test_a_reader_cannot_renew_someone_elses_loan(opac: TestClient, kiosks: ModuleType) -> None:
    _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    page = opac.post(
        "/account/renew", data={"barcode": "ZC01000003", "csrf_token": _token(opac, "/account")}
    )
    assert "不是您的" in page.text


def test_renew_all_reports_each_outcome(opac: TestClient, kiosks: ModuleType) -> None:
    _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    page = opac.post("/account/renew-all", data={"csrf_token": _token(opac, "/account")})
    assert "续借成功 2 册" in page.text


def test_a_hold_placed_from_the_record_page_shows_in_my_account_and_can_be_cancelled(
    opac: TestClient, kiosks: ModuleType, engine: Engine, lending: Any
) -> None:
    _sign_in(opac, kiosks.SENIOR, kiosks.SENIOR_PIN)
    with UnitOfWork(engine, readonly=True) as uow:
        from wenjin.catalog.models import Item

        record_id = uow.session.scalar(select(Item.bib_id).where(Item.barcode == "ZC01000001"))
    record = opac.get(f"/records/{record_id}")
    assert 'name="pickup"' in record.text
    page = opac.post(
        f"/records/{record_id}/hold",
        data={"pickup": "ZC", "csrf_token": _token(opac, f"/records/{record_id}")},
    )
    assert "预约成功" in page.text
    assert "排第 1 位" in page.text
    with UnitOfWork(engine, readonly=True) as uow:
        hold_id = uow.session.scalar(select(Hold.id))
    cancelled = opac.post(
        f"/account/holds/{hold_id}/cancel", data={"csrf_token": _token(opac, "/account")}
    )
    assert "预约已取消" in cancelled.text


def test_a_reader_cannot_touch_another_readers_hold(
    opac: TestClient, kiosks: ModuleType, engine: Engine
) -> None:
    _sign_in(opac, kiosks.SENIOR, kiosks.SENIOR_PIN)
    with UnitOfWork(engine, readonly=True) as uow:
        from wenjin.catalog.models import Item

        record_id = uow.session.scalar(select(Item.bib_id).where(Item.barcode == "ZC01000001"))
    opac.post(
        f"/records/{record_id}/hold",
        data={"pickup": "ZC", "csrf_token": _token(opac, f"/records/{record_id}")},
    )
    with UnitOfWork(engine, readonly=True) as uow:
        hold_id = uow.session.scalar(select(Hold.id))
    opac.post("/logout", data={"csrf_token": _token(opac, "/account")})
    _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    page = opac.post(
        f"/account/holds/{hold_id}/cancel", data={"csrf_token": _token(opac, "/account")}
    )
    assert "不是您的" in page.text


def test_a_reader_switches_the_loan_history_off_and_on(
    opac: TestClient, kiosks: ModuleType, engine: Engine, lending: Any
) -> None:
    _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    off = opac.post("/account/history", data={"keep": "no", "csrf_token": _token(opac, "/account")})
    assert "已停止保留借阅历史" in off.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(Patron, lending.patrons[kiosks.ADULT]).keep_history is False
    on = opac.post("/account/history", data={"keep": "yes", "csrf_token": _token(opac, "/account")})
    assert "已开始保留借阅历史" in on.text


def test_a_form_without_its_token_changes_nothing(
    opac: TestClient, kiosks: ModuleType, engine: Engine
) -> None:
    _sign_in(opac, kiosks.ADULT, kiosks.ADULT_PIN)
    refused = opac.post("/account/renew", data={"barcode": "ZC01000001"})
    assert refused.status_code == 403
    with UnitOfWork(engine, readonly=True) as uow:
        assert not uow.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "renew")
        ).all()


def test_the_record_page_says_until_when_a_copy_is_out(opac: TestClient, engine: Engine) -> None:
    with UnitOfWork(engine, readonly=True) as uow:
        from wenjin.catalog.models import Item

        record_id = uow.session.scalar(select(Item.bib_id).where(Item.barcode == "ZC01000004"))
    page = opac.get(f"/records/{record_id}")
    assert "到期" in page.text
    assert "登录后预约" in page.text


def test_the_home_page_lists_the_most_borrowed_titles(opac: TestClient) -> None:
    home = opac.get("/")
    assert 'id="popular"' in home.text
    popular = home.text.split('id="popular"')[1].split("</ol>")[0]
    assert "平凡的世界" in popular
    assert "额尔古纳河右岸" not in popular  # never borrowed
