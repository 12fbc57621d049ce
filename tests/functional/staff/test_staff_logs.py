"""The circulation log and the audit trail in the staff client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import csrf_of

from wenjin.catalog.models import Item
from wenjin.circulation.log import record_event
from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code


def test_the_log_of_a_copy_shows_what_happened_to_it_and_who_did_it(
    signed_in_as: Callable[[str], TestClient], engine: Engine, library: Any
) -> None:
    with UnitOfWork(engine) as uow:
        item = uow.session.scalars(select(Item).where(Item.barcode == "ZC00000101")).one()
        point = get_point_by_code(uow.session, "ZC-XZ")
        record_event(
            uow.session,
            action="checkout",
            point=point,
            actor="wang.li",
            item_id=item.id,
            after={"due_on": "2026-12-25"},
        )
        uow.commit()
    page = signed_in_as("wang.li").get("/staff/log", params={"item": "ZC00000101"})
    assert page.status_code == 200, page.text
    log = page.text.split('id="circulation-log"', 1)[1]
    assert "checkout" in log
    assert "wang.li" in log
    assert "2026-12-25" in log


def test_an_unknown_barcode_in_the_log_filter_says_so(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    page = signed_in_as("wang.li").get("/staff/log", params={"item": "ZC99999999"})
    assert page.status_code == 200
    assert "ZC99999999" in page.text


def test_the_audit_trail_shows_a_point_changed_in_the_staff_client_with_its_account(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    admin = signed_in_as("admin")
    form = admin.get("/staff/network/points/ZC-XZ").text
    saved = admin.post(
        "/staff/network/points/ZC-XZ",
        data={
            "csrf_token": csrf_of(form),
            "name": "相州镇图书馆",
            "kind": "branch",
            "address": "诸城市相州镇驻地",
            "phone": "0536-6210000",
            "pickup": "on",
            "lends": "on",
            "active": "on",
        },
    )
    assert saved.status_code == 200
    trail = admin.get("/staff/audit", params={"entity": "service_points", "who": "admin"})
    assert trail.status_code == 200
    table = trail.text.split('id="audit-trail"', 1)[1]
    assert "0536-6210000" in table
    assert "ZC-XZ" in table


def test_a_desk_librarian_may_not_read_the_audit_trail(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    assert signed_in_as("wang.li").get("/staff/audit").status_code == 403
