"""The rest of the desk in the staff client: an item's troubles (lost, claimed returned,
found, damaged, repaired) and its lookup; holds for the reader at the counter; the
reader's card and account (lost card, renewal, PIN, 信易阅, deposit, closing); fees
charged and cancelled by hand, the day's takings, amnesty windows; the notices outbox.
Each refusal said in words, each write logged under the signed-in account, a desk only
at its own point, and a reader's PIN never shown or logged."""

from __future__ import annotations

import logging
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
from wenjin.circulation.models import CirculationEvent
from wenjin.circulation.services import checkout
from wenjin.config import Settings
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.fees.models import Fee
from wenjin.fees.states import FeeKind
from wenjin.holds.models import Hold
from wenjin.notices.models import Notice
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import network_today
from wenjin.patrons.states import PatronStatus
from wenjin.web.app import create_app

NEW_PIN = "864209"


@pytest.fixture
def kiosks() -> ModuleType:
    return load_test_module("integration/sip2/kiosk_library.py", "wenjin_desk2_kiosk_library")


@pytest.fixture
def desk_library(engine: Engine, kiosks: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Any:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("wenjin.patrons.identity._hasher", cheap)
    monkeypatch.setattr("wenjin.accounts.services._hasher", cheap)
    with UnitOfWork(engine) as uow:
        library = kiosks.build_kiosk_library(uow.session)
        for username, role, scope in (
            ("admin", Role.ADMIN, None),
            ("wang.li", Role.DESK, "ZC"),  # the central desk, where the readers live
            ("cc.desk", Role.DESK, "ZC-CC"),
            ("reports", Role.REPORTS, None),
            ("zhao.min", Role.CATALOGUER, None),
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
    # 王小明 borrowed 活着 seven weeks ago: it is still out.
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
        staff.cookies.clear()
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


def _post(client: TestClient, url: str, **data: Any) -> Any:
    token = csrf_of(client.get("/staff/more").text)
    return client.post(url, data={**data, "csrf_token": token})


def _last_actor(engine: Engine, action: str) -> str | None:
    """Who did the latest ``action`` in the circulation log."""
    with UnitOfWork(engine, readonly=True) as uow:
        return uow.session.scalars(
            select(CirculationEvent.actor)
            .where(CirculationEvent.action == action)
            .order_by(CirculationEvent.id.desc())
        ).first()


# --- items ---


def test_the_item_lookup_shows_status_loan_and_borrower(
    sign_in: Callable[[str], TestClient],
) -> None:
    desk = sign_in("wang.li")
    found = desk.get("/staff/items", params={"barcode": "ZC01000003", "at": "ZC"})
    assert found.url.path == "/staff/items/ZC01000003"
    assert "活着" in found.text
    assert "王小明" in found.text
    assert 'id="item-action-form"' in found.text
    missing = desk.get("/staff/items/NOSUCH01")
    assert missing.status_code == 404
    assert "NOSUCH01" in missing.text


def test_a_desk_declares_a_lost_item_and_the_replacement_is_charged_under_its_name(
    sign_in: Callable[[str], TestClient], engine: Engine
) -> None:
    desk = sign_in("wang.li")
    page = desk.get("/staff/desk", params={"at": "ZC"})
    assert 'id="lookup-form"' in page.text
    lost = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000003", action="lost")
    assert "《活着》已报失" in _flash(lost.text)
    with UnitOfWork(engine, readonly=True) as uow:
        fee = uow.session.scalars(select(Fee).where(Fee.kind == FeeKind.LOST_ITEM)).one()
        assert fee.created_by == "wang.li"
    found = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000003", action="found")
    assert "《活着》已找回" in _flash(found.text)
    assert _last_actor(engine, "found") == "wang.li"


def test_a_claimed_return_stops_the_fine_and_a_second_claim_is_refused_in_words(
    sign_in: Callable[[str], TestClient],
) -> None:
    desk = sign_in("wang.li")
    claimed = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000003", action="claimed")
    assert "不计逾期" in _flash(claimed.text)
    again = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000003", action="claimed")
    assert 'role="alert" id="flash"' in again.text
    assert _flash(again.text)


def test_damage_needs_a_note_and_a_repaired_item_goes_back_to_the_shelf(
    sign_in: Callable[[str], TestClient],
) -> None:
    desk = sign_in("wang.li")
    bare = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000004", action="damaged")
    assert 'role="alert" id="flash"' in bare.text
    damaged = _post(
        desk,
        "/staff/desk/item",
        at="ZC",
        barcode="ZC01000004",
        action="damaged",
        note="封面撕破",
        back_to="item",
    )
    assert damaged.url.path == "/staff/items/ZC01000004"
    assert "已登记破损" in _flash(damaged.text)
    repaired = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000004", action="repaired")
    assert "《围城》已修复" in _flash(repaired.text)


def test_a_desk_of_another_branch_cannot_record_a_loss_at_the_centre(
    sign_in: Callable[[str], TestClient],
) -> None:
    desk = sign_in("cc.desk")
    refused = _post(desk, "/staff/desk/item", at="ZC", barcode="ZC01000003", action="lost")
    assert refused.status_code == 403
    assert "circulation.lend" in refused.text


# --- holds ---


def test_a_hold_is_found_by_isbn_placed_suspended_resumed_and_cancelled(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("wang.li")
    search = desk.get(
        "/staff/desk/hold", params={"at": "ZC", "card": kiosks.SENIOR, "q": "978-7-5366-9293-0"}
    )
    assert "三体" in search.text
    record_id = re.search(r'name="record" value="(\d+)"', search.text)
    assert record_id
    placed = desk.post(
        "/staff/desk/holds",
        data={
            "at": "ZC",
            "card": kiosks.SENIOR,
            "record": record_id.group(1),
            "pickup": "ZC",
            "csrf_token": csrf_of(search.text),
        },
    )
    assert "已预约《三体》" in _flash(placed.text)
    assert 'id="reader-holds"' in placed.text
    with UnitOfWork(engine, readonly=True) as uow:
        hold_id = uow.session.scalars(select(Hold.id)).one()
    token = csrf_of(placed.text)
    twice = desk.post(
        "/staff/desk/holds",
        data={
            "at": "ZC",
            "card": kiosks.SENIOR,
            "record": record_id.group(1),
            "pickup": "ZC",
            "csrf_token": token,
        },
    )
    assert 'role="alert" id="flash"' in twice.text
    until = (network_today() + timedelta(days=30)).isoformat()
    base = {"at": "ZC", "card": kiosks.SENIOR, "csrf_token": token}
    suspended = desk.post(f"/staff/desk/holds/{hold_id}/suspend", data={**base, "until": until})
    assert "已暂停《三体》的预约" in _flash(suspended.text), _flash(suspended.text)
    resumed = desk.post(f"/staff/desk/holds/{hold_id}/resume", data=base)
    assert "已恢复《三体》的预约" in _flash(resumed.text), _flash(resumed.text)
    moved = desk.post(f"/staff/desk/holds/{hold_id}/pickup", data={**base, "pickup": "ZC-CC"})
    assert 'role="alert" id="flash"' in moved.text  # the branch takes no holds
    assert "ZC-CC" in _flash(moved.text) or "昌城镇" in _flash(moved.text)
    cancelled = desk.post(f"/staff/desk/holds/{hold_id}/cancel", data=base)
    assert "已取消《三体》的预约" in _flash(cancelled.text)


def test_a_title_search_with_no_match_says_so(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    page = sign_in("wang.li").get(
        "/staff/desk/hold", params={"at": "ZC", "card": kiosks.SENIOR, "q": "没有这本书"}
    )
    assert 'id="hold-none"' in page.text


def test_a_reports_account_cannot_place_a_hold(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    viewer = sign_in("reports")
    refused = _post(
        viewer, "/staff/desk/holds", card=kiosks.SENIOR, record="1", pickup="ZC", at="ZC"
    )
    assert refused.status_code == 403
    assert "holds.place" in refused.text


def test_a_ready_hold_is_in_the_notices_outbox_filtered_by_point_and_kind(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("wang.li")
    search = desk.get("/staff/desk/hold", params={"at": "ZC", "card": kiosks.SENIOR, "q": "活着"})
    record_id = re.search(r'name="record" value="(\d+)"', search.text)
    assert record_id
    desk.post(
        "/staff/desk/holds",
        data={
            "at": "ZC",
            "card": kiosks.SENIOR,
            "record": record_id.group(1),
            "pickup": "ZC",
            "csrf_token": csrf_of(search.text),
        },
    )
    back = _post(desk, "/staff/desk/checkin", at="ZC", barcode="ZC01000003")
    assert "已还《活着》" in _flash(back.text)
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalars(select(Notice)).all()
    listed = desk.get("/staff/notices", params={"point": "ZC", "kind": "hold_ready"})
    assert 'id="notices"' in listed.text
    assert "李娜" in listed.text
    elsewhere = desk.get("/staff/notices", params={"point": "ZC", "kind": "hold_expired"})
    assert 'id="notices"' not in elsewhere.text
    assert sign_in("cc.desk").get("/staff/notices", params={"point": "ZC"}).status_code == 403
    assert sign_in("zhao.min").get("/staff/notices").status_code == 403


# --- the reader's card and account ---


def test_a_card_is_reported_lost_and_renewed(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("wang.li")
    page = desk.get(f"/staff/readers/{kiosks.SENIOR}")
    assert 'id="reader-account"' in page.text
    token = csrf_of(page.text)
    renewed = desk.post(
        f"/staff/readers/{kiosks.SENIOR}/renew-card", data={"years": "2", "csrf_token": token}
    )
    assert "读者证已续期至" in _flash(renewed.text)
    lost = desk.post(f"/staff/readers/{kiosks.SENIOR}/report-lost", data={"csrf_token": token})
    assert f"读者证 {kiosks.SENIOR} 已挂失" in _flash(lost.text)
    again = desk.post(f"/staff/readers/{kiosks.SENIOR}/report-lost", data={"csrf_token": token})
    assert 'role="alert" id="flash"' in again.text


def test_a_reader_pin_is_set_at_the_desk_and_never_shown_or_logged(
    sign_in: Callable[[str], TestClient],
    kiosks: ModuleType,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    desk = sign_in("wang.li")
    token = csrf_of(desk.get(f"/staff/readers/{kiosks.SENIOR}").text)
    url = f"/staff/readers/{kiosks.SENIOR}/pin"
    differ = desk.post(url, data={"pin": NEW_PIN, "pin_again": "864201", "csrf_token": token})
    assert "两次输入不一致" in _flash(differ.text)
    short = desk.post(url, data={"pin": "12", "pin_again": "12", "csrf_token": token})
    assert "6位数字" in _flash(short.text)
    done = desk.post(url, data={"pin": NEW_PIN, "pin_again": NEW_PIN, "csrf_token": token})
    assert "读者密码已重设" in _flash(done.text)
    for page in (differ, short, done):
        assert NEW_PIN not in page.text
        assert all(NEW_PIN not in value for value in page.headers.values())
    assert NEW_PIN not in caplog.text


def test_a_credit_rating_is_recorded_and_a_deposit_not_needed_is_refused(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("wang.li")
    token = csrf_of(desk.get(f"/staff/readers/{kiosks.circ.LAPSED}").text)
    today = network_today()
    rated = desk.post(
        f"/staff/readers/{kiosks.circ.LAPSED}/credit",
        data={
            "source": "诸城市信用中心",
            "verified_on": today.isoformat(),
            "expires_on": (today + timedelta(days=365)).isoformat(),
            "csrf_token": token,
        },
    )
    assert "信易阅信用已登记" in _flash(rated.text)
    assert "诸城市信用中心" in rated.text
    refunded = desk.post(
        f"/staff/readers/{kiosks.circ.LAPSED}/deposit-refund",
        data={"method": "cash", "csrf_token": token},
    )
    assert "已退押金" in _flash(refunded.text)
    senior = desk.post(
        f"/staff/readers/{kiosks.SENIOR}/deposit", data={"method": "cash", "csrf_token": token}
    )
    assert 'role="alert" id="flash"' in senior.text
    assert "押金" in _flash(senior.text)


def test_an_account_with_a_loan_cannot_be_closed_and_a_closed_one_reopens(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("wang.li")
    token = csrf_of(desk.get(f"/staff/readers/{kiosks.ADULT}").text)
    refused = desk.post(f"/staff/readers/{kiosks.ADULT}/close", data={"csrf_token": token})
    assert 'role="alert" id="flash"' in refused.text
    closed = desk.post(
        f"/staff/readers/{kiosks.circ.LAPSED}/close", data={"method": "cash", "csrf_token": token}
    )
    assert "账户已注销" in _flash(closed.text)
    assert 'id="reader-closed"' in closed.text
    reopened = desk.post(
        f"/staff/readers/{kiosks.circ.LAPSED}/reopen",
        data={"new_card": "ZC00030009", "csrf_token": token},
    )
    assert "ZC00030009" in _flash(reopened.text)
    assert reopened.url.path == "/staff/readers/ZC00030009"
    with UnitOfWork(engine, readonly=True) as uow:
        patron = uow.session.scalars(select(Patron).where(Patron.name == "钱进")).one()
        assert patron.status is PatronStatus.ACTIVE


def test_a_desk_of_another_branch_cannot_change_a_reader_of_the_centre(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("cc.desk")
    refused = _post(desk, f"/staff/readers/{kiosks.SENIOR}/renew-card")
    assert refused.status_code == 403
    assert "patrons.write" in refused.text


# --- fees, takings, amnesty ---


def test_a_damage_fee_is_charged_by_hand_and_only_a_waiver_may_cancel_it(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType, engine: Engine
) -> None:
    desk = sign_in("wang.li")
    panel = desk.get("/staff/desk", params={"at": "ZC", "card": kiosks.SENIOR})
    assert 'id="charge-form"' in panel.text
    charged = _post(
        desk,
        "/staff/desk/charge",
        at="ZC",
        card=kiosks.SENIOR,
        kind="damaged",
        amount="12.50",
        item="ZC01000004",
        note="内页涂画",
    )
    assert "已收取损坏赔偿 12.50 元" in _flash(charged.text)
    wrong = _post(
        desk, "/staff/desk/charge", at="ZC", card=kiosks.SENIOR, kind="overdue", amount="1"
    )
    assert "逾期和丢失由借还系统收取" in _flash(wrong.text)
    with UnitOfWork(engine, readonly=True) as uow:
        fee = uow.session.scalars(select(Fee).where(Fee.kind == FeeKind.DAMAGED)).one()
        assert (fee.amount_fen, fee.created_by) == (1250, "wang.li")
        fee_id = fee.id
    refused = _post(
        desk, "/staff/desk/cancel-fee", at="ZC", card=kiosks.SENIOR, fee_id=fee_id, reason="错收"
    )
    assert refused.status_code == 403
    admin = sign_in("admin")
    cancelled = _post(
        admin, "/staff/desk/cancel-fee", at="ZC", card=kiosks.SENIOR, fee_id=fee_id, reason="错收"
    )
    assert "费用已撤销" in _flash(cancelled.text)


def test_the_takings_of_the_day_show_a_payment_at_the_point(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("wang.li")
    _post(desk, "/staff/desk/charge", at="ZC", card=kiosks.SENIOR, kind="other", amount="3")
    _post(desk, "/staff/desk/pay", at="ZC", card=kiosks.SENIOR, amount="3.00", method="cash")
    report = desk.get("/staff/fees/takings", params={"at": "ZC"})
    assert 'id="takings"' in report.text
    assert "3.00" in re.search(r'id="takings-taken">([^<]*)<', report.text).group(1)
    assert sign_in("cc.desk").get("/staff/fees/takings", params={"at": "ZC"}).status_code == 403


def test_an_amnesty_window_is_added_and_ended_and_a_desk_account_is_refused(
    sign_in: Callable[[str], TestClient],
) -> None:
    assert sign_in("wang.li").get("/staff/fees/amnesty").status_code == 403
    admin = sign_in("admin")
    page = admin.get("/staff/fees/amnesty")
    token = csrf_of(page.text)
    today = network_today().isoformat()
    added = admin.post(
        "/staff/fees/amnesty",
        data={
            "name": "4·23世界读书日特别还书日",
            "starts_on": today,
            "ends_on": today,
            "points": ["ZC-CC"],
            "csrf_token": token,
        },
    )
    assert "已设立特别还书日" in _flash(added.text)
    assert "昌城镇图书馆" in added.text
    backwards = admin.post(
        "/staff/fees/amnesty",
        data={
            "name": "倒过来",
            "starts_on": today,
            "ends_on": (network_today() - timedelta(days=3)).isoformat(),
            "csrf_token": token,
        },
    )
    assert 'role="alert" id="flash"' in backwards.text
    window = re.search(r"/staff/fees/amnesty/(\d+)/end", added.text)
    assert window
    ended = admin.post(window.group(0), data={"csrf_token": token})
    assert "已撤销特别还书日" in _flash(ended.text)


def test_the_more_page_lists_only_what_the_account_may_use(
    sign_in: Callable[[str], TestClient],
) -> None:
    desk = sign_in("wang.li").get("/staff/more")
    assert "收费日报" in desk.text
    assert "员工账户" not in desk.text
    assert "特别还书日" not in desk.text
    admin = sign_in("admin").get("/staff/more")
    assert "员工账户" in admin.text


def test_a_deposit_is_waived_with_a_reason_and_the_loan_history_switched(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    desk = sign_in("wang.li")
    page = desk.get(f"/staff/readers/{kiosks.ADULT}")
    assert 'id="history-form"' in page.text
    token = csrf_of(page.text)
    url = f"/staff/readers/{kiosks.ADULT}"
    blank = desk.post(f"{url}/deposit-waive", data={"reason": " ", "csrf_token": token})
    assert "免押金原因" in _flash(blank.text)
    waived = desk.post(f"{url}/deposit-waive", data={"reason": "学校担保", "csrf_token": token})
    assert "已免押金" in _flash(waived.text)
    off = desk.post(f"{url}/history", data={"keep": "off", "csrf_token": token})
    assert "已停止保留借阅历史" in _flash(off.text)
    on = desk.post(f"{url}/history", data={"keep": "on", "csrf_token": token})
    assert "已开始为读者保留借阅历史" in _flash(on.text)


def test_the_new_pages_read_in_english_too(
    sign_in: Callable[[str], TestClient], kiosks: ModuleType
) -> None:
    admin = sign_in("admin")
    pages = {
        "/staff/desk": ({"at": "ZC", "card": kiosks.ADULT}, "Record what happened to an item"),
        f"/staff/readers/{kiosks.ADULT}": ({}, "Card and account"),
        "/staff/items/ZC01000003": ({"at": "ZC"}, "Item lookup"),
        "/staff/desk/hold": ({"card": kiosks.ADULT, "q": "三体"}, "Pickup point"),
        "/staff/fees/takings": ({}, "Daily takings"),
        "/staff/fees/amnesty": ({}, "Amnesty days"),
        "/staff/notices": ({}, "Notices to readers"),
        "/staff/accounts": ({}, "Staff accounts"),
        "/staff/me/password": ({}, "Change my password"),
    }
    for path, (params, words) in pages.items():
        page = admin.get(path, params={**params, "lang": "en"})
        assert page.status_code == 200, path
        assert words in page.text, path
