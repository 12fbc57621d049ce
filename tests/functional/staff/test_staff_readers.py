"""Readers in the staff client: register with a checked ID number, find, block, unblock,
replace a lost card; personal data only for accounts that may see it."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from staff_helpers import csrf_of

ID_NUMBER = "370782199003070045"  # a valid check digit (GB 11643)


def _flash(html: str) -> str:
    found = re.search(r'id="flash">([^<]*)<', html)
    return found.group(1) if found else ""


def _register(client: TestClient, **fields: str) -> object:
    page = client.get("/staff/readers/new")
    data = {
        "card": "ZC00088888",
        "name": "赵小红",
        "category": "ADULT",
        "home": "ZC",
        "id_number": ID_NUMBER,
        "phone": "13805361234",
        "pin": "135246",
        **fields,
        "csrf_token": csrf_of(page.text),
    }
    return client.post("/staff/readers/new", data=data)


def test_registering_a_reader_keeps_only_the_masked_id_number(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    page = _register(admin)
    assert "已为 赵小红 办证" in _flash(page.text)
    assert "3707**********0045" in page.text
    assert ID_NUMBER not in page.text
    found = admin.get("/staff/readers", params={"q": "赵小红"})
    assert "ZC00088888" in found.text


def test_a_wrong_check_digit_is_refused_with_the_reason_and_nothing_saved(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    page = _register(admin, id_number="370782199003070046")
    assert page.status_code == 422
    assert "校验位不对" in page.text
    assert "370782199003070046" not in page.text  # never echoed back
    assert "ZC00088888" not in admin.get("/staff/readers", params={"q": "赵小红"}).text


def test_block_unblock_and_replace_card(signed_in_as: Callable[[str], TestClient]) -> None:
    admin = signed_in_as("admin")
    reader = admin.get(_register(admin).url.path)
    token = csrf_of(reader.text)
    blocked = admin.post(
        "/staff/readers/ZC00088888/block", data={"reason": "损坏图书未赔偿", "csrf_token": token}
    )
    assert "已暂停借阅" in _flash(blocked.text)
    assert "损坏图书未赔偿" in blocked.text
    unblocked = admin.post(
        "/staff/readers/ZC00088888/unblock", data={"reason": "已赔偿", "csrf_token": token}
    )
    assert "已恢复借阅" in _flash(unblocked.text)
    replaced = admin.post(
        "/staff/readers/ZC00088888/replace-card",
        data={"new_card": "ZC00088889", "why": "lost", "csrf_token": token},
    )
    assert "已换发新证" in _flash(replaced.text)
    assert replaced.url.path == "/staff/readers/ZC00088889"


def test_a_desk_account_of_another_branch_cannot_register_at_the_centre(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    desk = signed_in_as("wang.li")
    page = _register(desk)
    assert page.status_code == 403
