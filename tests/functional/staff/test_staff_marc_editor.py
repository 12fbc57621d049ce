"""The MARC editor, record finding and copies in the staff client: edits saved through the
import's path and found by search at once, every bad line named, copies added, changed
and withdrawn within the account's scope."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import STAFF_PASSWORD, csrf_of

from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.states import ItemStatus
from wenjin.db.uow import UnitOfWork

SignIn = Callable[[str], TestClient]
_TEXTAREA = re.compile(r'<textarea id="marc" name="marc"[^>]*>(.*?)</textarea>', re.DOTALL)
_HASH = re.compile(r'name="marc_hash" value="([0-9a-f]+)"')


def editor_form(page: str, **changes: str) -> dict[str, str]:
    text = _TEXTAREA.search(page)
    found_hash = _HASH.search(page)
    assert text is not None
    assert found_hash is not None
    return {
        "csrf_token": csrf_of(page),
        "marc": unescape(text.group(1)),
        "marc_hash": found_hash.group(1),
        **changes,
    }


@pytest.fixture
def branch_cataloguer(engine: Engine, staff_accounts: dict[str, str]) -> str:
    """A cataloguer of the town branch 相州镇图书馆 (ZC-XZ) and the village under it."""
    with UnitOfWork(engine) as uow:
        create_account(
            uow.session,
            username="sun.li",
            display_name="孙丽",
            password=STAFF_PASSWORD,
            role=Role.CATALOGUER,
            scope="ZC-XZ",
        )
        uow.commit()
    return "sun.li"


def _item(engine: Engine, barcode: str) -> Item:
    with UnitOfWork(engine, readonly=True) as uow:
        item = uow.session.scalars(select(Item).where(Item.barcode == barcode)).one()
        uow.session.expunge(item)
        return item


# --- the editor ---


def test_the_editor_shows_the_record_one_field_a_line(signed_in_as: SignIn, library: Any) -> None:
    page = signed_in_as("zhao.min").get(f"/staff/catalogue/records/{library.novel_id}")
    assert page.status_code == 200
    text = unescape(_TEXTAREA.search(page.text).group(1))  # type: ignore[union-attr]
    assert text.splitlines()[:2] == ["LDR 01024nam0#2200277###450#", "001 ZC2012000101"]
    assert "200 1#$a平凡的世界$dOrdinary world$f路遥著" in text
    assert "ZC00000101" in page.text  # the copies are listed


def test_a_desk_librarian_cannot_open_the_editor(signed_in_as: SignIn, library: Any) -> None:
    client = signed_in_as("wang.li")
    assert client.get(f"/staff/catalogue/records/{library.novel_id}").status_code == 403
    assert client.get("/staff/catalogue/records?q=平凡").status_code == 403
    refused = client.post(
        f"/staff/catalogue/records/{library.novel_id}",
        data={"csrf_token": csrf_of(client.get("/staff/").text), "marc": "LDR x", "marc_hash": ""},
    )
    assert refused.status_code == 403
    assert "catalog.write" in refused.text


def test_an_edited_title_is_found_by_search_at_once(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    page = client.get(f"/staff/catalogue/records/{library.novel_id}")
    form = editor_form(page.text)
    form["marc"] = form["marc"].replace("$a平凡的世界", "$a平凡的世界（全三册）")
    saved = client.post(f"/staff/catalogue/records/{library.novel_id}", data=form)
    assert saved.status_code == 200
    assert f"书目记录 {library.novel_id} 已保存" in saved.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get_one(BibRecord, library.novel_id).title == "平凡的世界（全三册）"
    found = client.get("/staff/catalogue/records", params={"q": "全三册"})
    assert f'href="/staff/catalogue/records/{library.novel_id}"' in found.text


def test_a_bad_indicator_is_reported_with_its_line_and_nothing_is_saved(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    page = client.get(f"/staff/catalogue/records/{library.novel_id}")
    form = editor_form(page.text)
    form["marc"] = form["marc"].replace("200 1#$a平凡的世界", "200 1*$a人生")
    refused = client.post(f"/staff/catalogue/records/{library.novel_id}", data=form)
    assert refused.status_code == 400
    assert "第 4 行" in refused.text
    assert "指示符" in refused.text
    assert "200 1*$a人生" in unescape(refused.text)  # the typed text is kept
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get_one(BibRecord, library.novel_id).title == "平凡的世界"


def test_a_save_over_a_newer_save_is_refused_with_a_clear_message(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    page = client.get(f"/staff/catalogue/records/{library.novel_id}")
    first = editor_form(page.text)
    second = dict(first)
    first["marc"] = first["marc"].replace("$a平凡的世界", "$a平凡的世界（一）")
    second["marc"] = second["marc"].replace("$a平凡的世界", "$a平凡的世界（二）")
    assert client.post(f"/staff/catalogue/records/{library.novel_id}", data=first).is_success
    second["csrf_token"] = csrf_of(client.get("/staff/").text)
    refused = client.post(f"/staff/catalogue/records/{library.novel_id}", data=second)
    assert refused.status_code == 409
    assert "已被他人修改" in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get_one(BibRecord, library.novel_id).title == "平凡的世界（一）"


def test_a_wrong_isbn_is_saved_with_a_warning(signed_in_as: SignIn, library: Any) -> None:
    client = signed_in_as("zhao.min")
    form = editor_form(client.get(f"/staff/catalogue/records/{library.novel_id}").text)
    form["marc"] = form["marc"].replace("978-7-5302-1678-1", "978-7-5302-1678-9")
    saved = client.post(f"/staff/catalogue/records/{library.novel_id}", data=form)
    assert saved.status_code == 200
    assert "已保存" in saved.text
    assert "校验位错误" in saved.text


def test_a_record_is_found_by_an_item_barcode_and_by_isbn(
    signed_in_as: SignIn, library: Any
) -> None:
    client = signed_in_as("zhao.min")
    by_barcode = client.get("/staff/catalogue/records", params={"q": "XZ00000202"})
    assert f'href="/staff/catalogue/records/{library.scifi_id}"' in by_barcode.text
    by_isbn = client.get("/staff/catalogue/records", params={"q": "9787536692930"})
    assert f'href="/staff/catalogue/records/{library.scifi_id}"' in by_isbn.text


def test_a_cataloguer_creates_a_record_in_the_editor(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    page = client.get("/staff/catalogue/records/new")
    assert page.status_code == 200
    text = (
        "LDR 00000nam0#2200000###450#\n"
        "010 ##$a978-7-02-000220-7\n"
        "200 1#$a红楼梦$f曹雪芹著\n"
        "690 ##$aI242.47$v5\n"
    )
    created = client.post(
        "/staff/catalogue/records/new",
        data={"csrf_token": csrf_of(page.text), "flavour": "cnmarc", "marc": text},
    )
    assert created.status_code == 200
    assert "红楼梦" in created.text
    with UnitOfWork(engine, readonly=True) as uow:
        bib = uow.session.scalars(select(BibRecord).where(BibRecord.title == "红楼梦")).one()
        assert (bib.clc, bib.isbn) == ("I242.47", "9787020002207")


# --- copies ---


def test_a_cataloguer_adds_a_copy_with_the_next_barcode_of_the_series(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    page = client.get(f"/staff/catalogue/records/{library.no_copies_id}")
    added = client.post(
        f"/staff/catalogue/records/{library.no_copies_id}/items",
        data={
            "csrf_token": csrf_of(page.text),
            "point": "ZC-XZ",
            "item_type": "BOOK",
            "call_number": "TP311.561/23",
            "price": "89.00",
            "volume": "上册",
            "note": "读者荐购",
        },
    )
    assert added.status_code == 200
    barcode = re.search(r"已添加复本 (W\d+)", added.text)
    assert barcode is not None
    item = _item(engine, barcode.group(1))
    assert (item.call_number, item.price_fen, item.volume, item.note) == (
        "TP311.561/23",
        8900,
        "上册",
        "读者荐购",
    )


def test_a_taken_barcode_is_refused_in_words(signed_in_as: SignIn, library: Any) -> None:
    client = signed_in_as("zhao.min")
    page = client.get(f"/staff/catalogue/records/{library.no_copies_id}")
    refused = client.post(
        f"/staff/catalogue/records/{library.no_copies_id}/items",
        data={"csrf_token": csrf_of(page.text), "point": "ZC-CEN", "barcode": "ZC00000101"},
    )
    assert "条码 ZC00000101 已被另一册使用" in refused.text


def test_a_branch_cataloguer_adds_copies_only_at_its_points(
    signed_in_as: SignIn, library: Any, branch_cataloguer: str
) -> None:
    client = signed_in_as(branch_cataloguer)
    page = client.get(f"/staff/catalogue/records/{library.no_copies_id}")
    assert page.status_code == 200
    at_village = client.post(
        f"/staff/catalogue/records/{library.no_copies_id}/items",
        data={"csrf_token": csrf_of(page.text), "point": "XZ-WJZ", "barcode": "XZ00009001"},
    )
    assert "已添加复本 XZ00009001" in at_village.text
    at_centre = client.post(
        f"/staff/catalogue/records/{library.no_copies_id}/items",
        data={"csrf_token": csrf_of(page.text), "point": "ZC-CEN", "barcode": "ZC00009002"},
    )
    assert at_centre.status_code == 403
    assert client.get("/staff/catalogue/items/ZC00000101").status_code == 403


def _item_form(client: TestClient, barcode: str, **changes: str) -> dict[str, str]:
    page = client.get(f"/staff/catalogue/items/{barcode}")
    assert page.status_code == 200
    return {
        "csrf_token": csrf_of(page.text),
        "point": "ZC-CEN",
        "item_type": "BOOK",
        "call_number": "I247.57/4",
        "location": "中文图书借阅区",
        "price": "108.00",
        **changes,
    }


def test_a_copy_on_the_shelf_changes_its_call_number_and_home(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    form = _item_form(client, "ZC00000101", call_number="I247.57/5", point="ZC-XZ")
    saved = client.post("/staff/catalogue/items/ZC00000101", data=form)
    assert "复本 ZC00000101 已保存" in saved.text
    item = _item(engine, "ZC00000101")
    assert item.call_number == "I247.57/5"
    assert item.owning_point_id != item.current_point_id


def test_a_copy_on_loan_keeps_its_home_and_says_why(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    form = _item_form(client, "ZC00000102", point="ZC-XZ")
    refused = client.post("/staff/catalogue/items/ZC00000102", data=form)
    assert "不能修改所属馆" in refused.text
    assert _item(engine, "ZC00000102").call_number == "I247.57/4"


def test_a_copy_on_the_shelf_is_withdrawn_and_one_on_loan_is_not(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    page = client.get("/staff/catalogue/items/XZ00000104")
    done = client.post(
        "/staff/catalogue/items/XZ00000104/withdraw",
        data={"csrf_token": csrf_of(page.text), "reason": "破损严重"},
    )
    assert "复本 XZ00000104 已注销" in done.text
    assert _item(engine, "XZ00000104").status is ItemStatus.WITHDRAWN
    refused = client.post(
        "/staff/catalogue/items/ZC00000102/withdraw", data={"csrf_token": csrf_of(page.text)}
    )
    assert "不能注销" in refused.text
    assert _item(engine, "ZC00000102").status is ItemStatus.ON_LOAN


def test_the_editor_speaks_english_when_asked(signed_in_as: SignIn, library: Any) -> None:
    page = signed_in_as("zhao.min").get(
        f"/staff/catalogue/records/{library.novel_id}", params={"lang": "en"}
    )
    assert "MARC editor" in page.text
    assert "Add a copy" in page.text


def test_a_copy_changed_since_its_form_was_opened_is_not_overwritten(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
    client = signed_in_as("zhao.min")
    stale = _item_form(client, "ZC00000101", call_number="I247.57/8", version="1")
    fresh = _item_form(client, "ZC00000101", call_number="I247.57/7", version="1")
    assert "已保存" in client.post("/staff/catalogue/items/ZC00000101", data=fresh).text
    refused = client.post("/staff/catalogue/items/ZC00000101", data=stale)
    assert "刚被他人修改" in refused.text
    assert _item(engine, "ZC00000101").call_number == "I247.57/7"
