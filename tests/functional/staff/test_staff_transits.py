"""Transits (调拨) in the staff client: a manual send, cancelling a transit, recording one lost
on the way, the courier manifest and its hand-over; each with transfers.send at the point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import csrf_of

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.models import CirculationEvent, Transit
from wenjin.circulation.states import CirculationAction, TransitStatus
from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code
from wenjin.network.services import add_route

TOWN_COPY = "XZ00000104"  # 平凡的世界, on the shelf at the town branch ZC-XZ
CENTRAL_COPY = "ZC00000101"  # 平凡的世界, on the shelf at the central library ZC-CEN


@pytest.fixture
def courier(engine: Engine, library: Any) -> None:
    """A daily courier between the central library and the town branch, a day's drive."""
    with UnitOfWork(engine) as uow:
        add_route(
            uow.session,
            from_point=get_point_by_code(uow.session, "ZC-CEN"),
            to_point=get_point_by_code(uow.session, "ZC-XZ"),
            days=1,
        )
        uow.commit()


def _post(client: TestClient, url: str, **data: str) -> Any:
    page = client.get("/staff/transits?at=ZC-XZ")
    return client.post(url, data={"csrf_token": csrf_of(page.text), **data})


def _item(engine: Engine, barcode: str) -> Item:
    with UnitOfWork(engine, readonly=True) as uow:
        item = uow.session.scalars(select(Item).where(Item.barcode == barcode)).one()
        uow.session.expunge(item)
        return item


def _send_from_town(client: TestClient) -> Any:
    return _post(
        client, "/staff/transits/send", at="ZC-XZ", barcode=TOWN_COPY, to="ZC-CEN", note="馆际互借"
    )


def test_a_desk_librarian_sends_an_item_to_another_point_under_her_account(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    page = client.get("/staff/transits?at=ZC-XZ")
    assert "人工调拨" in page.text
    assert "途中丢失" in page.text
    sent = _send_from_town(client)
    assert sent.status_code == 200
    assert "已调拨《平凡的世界》（XZ00000104）" in sent.text
    assert "诸城市图书馆（ZC-CEN）" in sent.text
    assert _item(engine, TOWN_COPY).status is ItemStatus.IN_TRANSIT
    with UnitOfWork(engine, readonly=True) as uow:
        event = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.TRANSIT_CREATED
            )
        ).one()
        assert event.actor == "wang.li"


def test_an_item_on_loan_cannot_be_sent_and_the_page_says_why(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    refused = _post(client, "/staff/transits/send", at="ZC-CEN", barcode="ZC00000102", to="ZC-XZ")
    assert refused.status_code == 200
    assert "请读者还书后再调拨" in refused.text
    assert _item(engine, "ZC00000102").status is ItemStatus.ON_LOAN


def test_a_desk_librarian_may_not_send_from_another_point(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    refused = _post(client, "/staff/transits/send", at="ZC-CEN", barcode=CENTRAL_COPY, to="ZC-XZ")
    assert refused.status_code == 403
    assert "transfers.send" in refused.text
    assert _item(engine, CENTRAL_COPY).status is ItemStatus.AVAILABLE


def test_a_transit_still_in_the_box_is_cancelled_and_the_item_goes_back_on_the_shelf(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    _send_from_town(client)
    cancelled = _post(
        client, "/staff/transits/cancel", at="ZC-XZ", barcode=TOWN_COPY, reason="读者改在本馆借"
    )
    assert "已取消《平凡的世界》（XZ00000104）的调拨，请在 ZC-XZ 上架" in cancelled.text
    assert _item(engine, TOWN_COPY).status is ItemStatus.AVAILABLE
    with UnitOfWork(engine, readonly=True) as uow:
        transit = uow.session.scalars(select(Transit)).one()
        assert transit.status is TransitStatus.CANCELLED
        assert "读者改在本馆借" in (transit.note or "")


def test_cancelling_an_item_that_is_not_travelling_is_refused_in_words(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("wang.li")
    refused = _post(client, "/staff/transits/cancel", at="ZC-XZ", barcode=TOWN_COPY)
    assert refused.status_code == 200
    assert 'role="alert"' in refused.text
    assert "XZ00000104" in refused.text


def test_an_item_lost_on_the_way_is_marked_missing(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    _send_from_town(client)
    lost = _post(
        client,
        "/staff/transits/lost",
        at="ZC-XZ",
        barcode=TOWN_COPY,
        status="missing",
        note="物流箱破损",
    )
    assert "已登记《平凡的世界》（XZ00000104）途中丢失" in lost.text
    assert _item(engine, TOWN_COPY).status is ItemStatus.MISSING
    with UnitOfWork(engine, readonly=True) as uow:
        event = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.TRANSIT_LOST
            )
        ).one()
        assert event.actor == "wang.li"


def test_a_loss_may_only_be_marked_missing_or_lost(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    _send_from_town(client)
    refused = _post(
        client, "/staff/transits/lost", at="ZC-XZ", barcode=TOWN_COPY, status="withdrawn"
    )
    assert "只能登记为“缺失”或“丢失”" in refused.text
    assert _item(engine, TOWN_COPY).status is ItemStatus.IN_TRANSIT


def test_the_manifest_lists_the_leg_and_the_courier_takes_the_boxes(
    signed_in_as: Callable[[str], TestClient], engine: Engine, courier: None
) -> None:
    client = signed_in_as("wang.li")
    _send_from_town(client)
    manifest = client.get("/staff/transits/manifest?at=ZC-XZ")
    assert manifest.status_code == 200
    assert "物流交接单" in manifest.text
    assert 'id="leg-ZC-CEN"' in manifest.text
    assert "XZ00000104" in manifest.text
    dispatched = client.post(
        "/staff/transits/dispatch",
        data={"csrf_token": csrf_of(manifest.text), "at": "ZC-XZ", "route": "ZC-CEN"},
    )
    assert "已交物流 1 册" in dispatched.text
    transits = client.get("/staff/transits?at=ZC-XZ")
    assert "已交物流、在途（1）" in transits.text
    with UnitOfWork(engine, readonly=True) as uow:
        transit = uow.session.scalars(select(Transit)).one()
        assert transit.sent_at is not None
        event = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.TRANSIT_SENT
            )
        ).one()
        assert event.actor == "wang.li"


def test_an_item_with_no_courier_route_is_listed_apart_on_the_manifest(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("wang.li")
    _send_from_town(client)
    manifest = client.get("/staff/transits/manifest?at=ZC-XZ")
    assert "无物流线路（1）" in manifest.text


def test_a_desk_librarian_may_not_hand_over_another_points_boxes(
    signed_in_as: Callable[[str], TestClient], courier: None
) -> None:
    client = signed_in_as("wang.li")
    assert client.get("/staff/transits/manifest?at=ZC-CEN").status_code == 403
    refused = _post(client, "/staff/transits/dispatch", at="ZC-CEN")
    assert refused.status_code == 403
    assert "transfers.send" in refused.text
