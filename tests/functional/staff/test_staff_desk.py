"""The circulation desk in the staff client: find a reader, lend, return (with the slip),
renew, take a payment with a receipt, waive; each refusal said in words; each write
logged under the signed-in account; a desk account only at its own point."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import STAFF_PASSWORD, csrf_of

from support import load_test_module
from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.circulation.services import checkout
from wenjin.config import Settings
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.fees.models import Fee
from wenjin.web.app import create_app


@pytest.fixture
def kiosks() -> ModuleType:
    return load_test_module("integration/sip2/kiosk_library.py", "wenjin_desk_kiosk_library")


@pytest.fixture
def desk_library(engine: Engine, kiosks: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Any:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("wenjin.patrons.identity._hasher", cheap)
    monkeypatch.setattr("wenjin.accounts.services._hasher", cheap)
    with UnitOfWork(engine) as uow:
        library = kiosks.build_kiosk_library(uow.session)
        for username, role, scope in (
            ("admin", Role.ADMIN, None),
            ("zhang.desk", Role.DESK, "ZC"),
            ("cc.desk", Role.DESK, "ZC-CC"),
            ("reports", Role.REPORTS, None),
        ):
            create_account(
                uow.session,
                username=username,
                display_name=username,
                password=STAFF_PASSWORD,
                role=role,
                scope=scope,
            )
        uow.commit()
    # 王小明 borrowed 活着 seven weeks ago: it is overdue and has a fine when it comes back.
    with UnitOfWork(engine) as uow:
        checkout(
            uow.session,
            at="ZC",
            card_number=kiosks.ADULT,
            barcode="ZC01000003",
            now=utcnow() - timedelta(days=50),
        )
        uow.commit()
    return library


@pytest.fixture
def staff(database_url: str, tmp_path: Path, desk_library: Any) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, data_dir=tmp_path / "var")
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def sign_in(staff: TestClient) -> Callable[[str], TestClient]:
    def signed(username: str) -> TestClient:
        page = staff.get("/staff/login")
        response = staff.post(
            "/staff/login",
            data={
                "username": username,
                "password": STAFF_PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
        )
        assert response.status_code == 200, response.text
        return staff

    return signed


def _flash(html: str) -> str:
    found = re.search(r'id="flash">([^<]*)<', html)
    return found.group(1) if found else ""


def test_a_desk_lends_to_a_scanned_reader_and_logs_the_account(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("zhang.desk")
    page = desk.get("/staff/desk", params={"card": kiosks.SENIOR})
    assert "李娜" in page.text
    assert 'id="lend-barcode"' in page.text
    lent = desk.post(
        "/staff/desk/checkout",
        data={
            "at": "ZC",
            "card": kiosks.SENIOR,
            "barcode": "ZC01000002",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert "借出《三体》" in _flash(lent.text)
    with UnitOfWork(engine, readonly=True) as uow:
        event = uow.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "checkout")
        ).all()[-1]
        assert event.actor == "zhang.desk"


def test_a_refused_loan_says_why_in_words(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("zhang.desk")
    page = desk.get("/staff/desk", params={"card": kiosks.CHILD})
    assert 'id="reader-blocks"' in page.text  # 孙小雨 is blocked by staff
    refused = desk.post(
        "/staff/desk/checkout",
        data={
            "at": "ZC",
            "card": kiosks.CHILD,
            "barcode": "ZC01000002",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert 'role="alert" id="flash"' in refused.text
    assert "损坏图书未赔偿" in _flash(refused.text)
    wrong = desk.post(
        "/staff/desk/checkout",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "barcode": "NOSUCH01",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert "NOSUCH01" in _flash(wrong.text)


def test_an_unknown_card_is_reported_on_the_desk(
    sign_in: Callable[[str], TestClient],
) -> None:
    page = sign_in("zhang.desk").get("/staff/desk", params={"card": "ZC99999999"})
    assert 'id="reader-problem"' in page.text
    assert "ZC99999999" in page.text


def test_a_return_at_a_branch_says_where_the_book_goes_and_charges_the_fine(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    admin = sign_in("admin")
    page = admin.get("/staff/desk", params={"at": "ZC-CC"})
    back = admin.post(
        "/staff/desk/checkin",
        data={"at": "ZC-CC", "barcode": "ZC01000003", "csrf_token": csrf_of(page.text)},
    )
    message = _flash(back.text)
    assert "已还《活着》" in message
    assert "逾期罚款" in message
    assert "诸城市图书馆" in message  # the slip: send it home
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalar(select(Fee.amount_fen)) > 0


def test_payment_gives_a_printable_receipt_and_waiving_needs_a_reason(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    admin = sign_in("admin")
    page = admin.get("/staff/desk", params={"at": "ZC"})
    admin.post(
        "/staff/desk/checkin",
        data={"at": "ZC", "barcode": "ZC01000003", "csrf_token": csrf_of(page.text)},
    )
    reader = admin.get("/staff/desk", params={"at": "ZC", "card": kiosks.ADULT})
    owed = re.search(
        r'id="amount" name="amount" inputmode="decimal" value="([0-9.]+)"', reader.text
    )
    assert owed
    receipt = admin.post(
        "/staff/desk/pay",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "amount": "0.10",
            "method": "cash",
            "csrf_token": csrf_of(reader.text),
        },
    )
    assert "收款收据" in receipt.text
    assert "¥0.10" in receipt.text
    too_much = admin.post(
        "/staff/desk/pay",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "amount": "9999",
            "csrf_token": csrf_of(reader.text),
        },
    )
    assert 'role="alert" id="flash"' in too_much.text
    with UnitOfWork(engine, readonly=True) as uow:
        fee_id = uow.session.scalar(select(Fee.id))
    waived = admin.post(
        "/staff/desk/waive",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "fee_id": str(fee_id),
            "reason": "读者家中有困难",
            "csrf_token": csrf_of(reader.text),
        },
    )
    assert "已减免" in _flash(waived.text)


def test_renewing_at_the_desk_moves_the_due_date(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("zhang.desk")
    page = desk.get("/staff/desk", params={"card": kiosks.ADULT})
    renewed = desk.post(
        "/staff/desk/renew",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "barcode": "ZC01000003",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert renewed.status_code == 200
    assert _flash(renewed.text)


def test_a_desk_account_cannot_lend_at_another_point(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("cc.desk")
    page = desk.get("/staff/desk")
    assert 'value="ZC-CC" selected' in page.text
    refused = desk.post(
        "/staff/desk/checkout",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "barcode": "ZC01000002",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert refused.status_code == 403
    assert "circulation.lend" in refused.text
    assert desk.get("/staff/desk", params={"at": "ZC"}).status_code == 403


def test_a_reports_viewer_cannot_lend(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    viewer = sign_in("reports")
    page = viewer.get("/staff/")
    refused = viewer.post(
        "/staff/desk/checkout",
        data={
            "at": "ZC",
            "card": kiosks.ADULT,
            "barcode": "ZC01000002",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert refused.status_code == 403


def test_the_loan_count_after_a_desk_loan_is_one_open_loan_per_item(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("zhang.desk")
    page = desk.get("/staff/desk", params={"card": kiosks.SENIOR})
    for _ in range(2):  # the same scan twice: the second is refused
        desk.post(
            "/staff/desk/checkout",
            data={
                "at": "ZC",
                "card": kiosks.SENIOR,
                "barcode": "ZC01000005",
                "csrf_token": csrf_of(page.text),
            },
        )
    with UnitOfWork(engine, readonly=True) as uow:
        open_loans = uow.session.scalars(
            select(Loan).where(Loan.returned_at.is_(None), Loan.card_number == kiosks.SENIOR)
        ).all()
        assert sum(1 for loan in open_loans if loan.item_id == desk_item(uow, "ZC01000005")) == 1


def desk_item(uow: UnitOfWork, barcode: str) -> int:
    from wenjin.catalog.models import Item

    return int(uow.session.scalar(select(Item.id).where(Item.barcode == barcode)))


def test_a_book_returned_at_a_branch_is_boxed_sent_and_received_at_home(
    sign_in: Callable[[str], TestClient], engine: Engine
) -> None:
    admin = sign_in("admin")
    page = admin.get("/staff/desk", params={"at": "ZC-CC"})
    admin.post(
        "/staff/desk/checkin",
        data={"at": "ZC-CC", "barcode": "ZC01000003", "csrf_token": csrf_of(page.text)},
    )
    boxes = admin.get("/staff/transits", params={"at": "ZC-CC"})
    assert "待发出（1）" in boxes.text
    assert "ZC01000003" in boxes.text
    sent = admin.post(
        "/staff/transits/sent", data={"at": "ZC-CC", "csrf_token": csrf_of(boxes.text)}
    )
    assert "已登记发出 1 册" in _flash(sent.text)
    home = admin.get("/staff/transits", params={"at": "ZC"})
    assert "待接收（1）" in home.text
    received = admin.post(
        "/staff/transits/receive",
        data={"at": "ZC", "barcode": "ZC01000003", "csrf_token": csrf_of(home.text)},
    )
    assert "已接收《活着》" in _flash(received.text)
    assert "待接收（0）" in received.text


def test_the_holds_page_lists_the_pull_list_and_the_hold_shelf(
    sign_in: Callable[[str], TestClient],
) -> None:
    desk = sign_in("zhang.desk")
    page = desk.get("/staff/holds")
    assert "取书单（0）" in page.text
    assert "预约架（0）" in page.text
