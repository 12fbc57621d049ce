"""Spine labels (书标) in the staff client: a print-ready sheet with the call number in two
lines, the point and a Code128 barcode as inline SVG; unknown barcodes listed apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from staff_helpers import STAFF_PASSWORD, csrf_of

from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.db.uow import UnitOfWork

SignIn = Callable[[str], TestClient]


def test_the_labels_page_prints_a_barcode_and_the_call_number_in_two_lines(
    signed_in_as: SignIn, library: Any
) -> None:
    page = signed_in_as("zhao.min").get(
        "/staff/catalogue/labels", params={"barcodes": "ZC00000101\nXZ00000202"}
    )
    assert page.status_code == 200
    assert page.text.count('<div class="spine-label">') == 2
    assert page.text.count('<svg version="1.1"') == 2
    assert 'aria-label="ZC00000101"' in page.text
    assert '<div class="spine-label__class">I247.57</div>' in page.text
    assert '<div class="spine-label__book">4</div>' in page.text
    assert "王家庄村农家书屋" in page.text  # XZ00000202 belongs to the village reading room
    assert "style=" not in page.text.split('id="label-sheet"')[1]  # nothing the CSP refuses


def test_unknown_barcodes_are_listed_and_the_rest_printed(
    signed_in_as: SignIn, library: Any
) -> None:
    page = signed_in_as("zhao.min").get(
        "/staff/catalogue/labels", params={"barcodes": "ZC00000101, NOPE0001"}
    )
    assert 'id="labels-unknown"' in page.text
    assert "<code>NOPE0001</code>" in page.text
    assert page.text.count('<div class="spine-label">') == 1


def test_the_copies_added_today_at_a_point_are_printed(signed_in_as: SignIn, library: Any) -> None:
    client = signed_in_as("zhao.min")
    page = client.get(f"/staff/catalogue/records/{library.no_copies_id}")
    client.post(
        f"/staff/catalogue/records/{library.no_copies_id}/items",
        data={
            "csrf_token": csrf_of(page.text),
            "point": "XZ-WJZ",
            "barcode": "XZ00009009",
            "call_number": "K825.6=76/12",
        },
    )
    sheet = client.get("/staff/catalogue/labels", params={"point": "XZ-WJZ"})
    assert 'aria-label="XZ00009009"' in sheet.text
    assert '<div class="spine-label__class">K825.6=76</div>' in sheet.text
    assert '<div class="spine-label__book">12</div>' in sheet.text


def test_a_desk_librarian_cannot_print_labels(signed_in_as: SignIn, library: Any) -> None:
    page = signed_in_as("wang.li").get("/staff/catalogue/labels", params={"barcodes": "ZC00000101"})
    assert page.status_code == 403


def test_a_branch_cataloguer_prints_new_copies_only_of_its_points(
    signed_in_as: SignIn, library: Any, engine: Engine
) -> None:
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
    client = signed_in_as("sun.li")
    assert client.get("/staff/catalogue/labels", params={"point": "XZ-WJZ"}).status_code == 200
    assert client.get("/staff/catalogue/labels", params={"point": "ZC-CEN"}).status_code == 403
