"""Rotating collections (流动书箱) in the staff client: a plan, a collection created and filled
by scanning, sent to its plan's first station, received there, recalled and received home;
refusals in words; rotation.manage where the collection is at home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import STAFF_PASSWORD, csrf_of

from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code
from wenjin.rotation.models import RotatingCollection
from wenjin.rotation.states import CollectionStatus

ROTATION = "/staff/rotation"
BOX = "/staff/rotation/collections/LD-001"


@pytest.fixture
def branch_librarian(engine: Engine, staff_accounts: dict[str, str]) -> str:
    """李娜, branch librarian of the town branch ZC-XZ (rotation.manage there only)."""
    with UnitOfWork(engine) as uow:
        create_account(
            uow.session,
            username="li.na",
            display_name="李娜",
            password=STAFF_PASSWORD,
            role=Role.BRANCH_LIBRARIAN,
            scope="ZC-XZ",
        )
        uow.commit()
    return "li.na"


def _post(client: TestClient, url: str, data: dict[str, str], page: str = ROTATION) -> Any:
    return client.post(url, data={"csrf_token": csrf_of(client.get(page).text), **data})


def _collection(engine: Engine) -> tuple[CollectionStatus, str | None]:
    with UnitOfWork(engine, readonly=True) as uow:
        found = uow.session.scalars(
            select(RotatingCollection).where(RotatingCollection.code == "LD-001")
        ).one()
        station = found.station_point_id
        code = None
        if station is not None:
            code = next(
                p.code
                for p in (get_point_by_code(uow.session, c) for c in ("ZC-XZ", "XZ-WJZ"))
                if p.id == station
            )
        return found.status, code


def _item_at(engine: Engine, barcode: str) -> tuple[ItemStatus, int]:
    with UnitOfWork(engine, readonly=True) as uow:
        item = uow.session.scalars(select(Item).where(Item.barcode == barcode)).one()
        return item.status, item.current_point_id


def _plan_and_box(client: TestClient) -> None:
    plan = _post(
        client,
        "/staff/rotation/plans",
        {"code": "XZ-LD", "name": "相州镇流动线路", "stations": "XZ-WJZ\nZC-XZ", "stay_days": "60"},
    )
    assert "轮换计划 XZ-LD 已新建" in plan.text
    created = _post(
        client,
        "/staff/rotation/collections",
        {"code": "LD-001", "name": "第一流动书箱", "home": "ZC-CEN", "plan": "XZ-LD"},
    )
    assert "书箱 LD-001 已新建" in created.text


def test_a_collection_goes_to_its_first_station_and_comes_home(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    _plan_and_box(client)
    added = _post(client, f"{BOX}/add", {"barcodes": "ZC00000101\n"}, page=BOX)
    assert "已加入 1 册到书箱 LD-001" in added.text
    assert 'id="item-ZC00000101"' in added.text

    sent = _post(client, f"{BOX}/send", {"to": ""}, page=BOX)
    assert "书箱 LD-001 已发往 王家庄村农家书屋（XZ-WJZ），1 册在途" in sent.text
    assert _collection(engine) == (CollectionStatus.IN_TRANSIT, "XZ-WJZ")
    assert _item_at(engine, "ZC00000101")[0] is ItemStatus.IN_TRANSIT

    received = _post(client, f"{BOX}/receive", {"at": "XZ-WJZ"}, page=BOX)
    assert "书箱 LD-001 已在 XZ-WJZ 接收 1 册" in received.text
    assert _collection(engine) == (CollectionStatus.AT_STATION, "XZ-WJZ")
    listed = client.get(f"{ROTATION}?point=XZ-WJZ")
    assert 'id="collection-LD-001"' in listed.text
    assert "王家庄村农家书屋（XZ-WJZ）" in listed.text

    recalled = _post(client, f"{BOX}/recall", {"where": "home"}, page=BOX)
    assert "书箱 LD-001 已召回，送往 诸城市图书馆（ZC-CEN）" in recalled.text
    assert _collection(engine)[0] is CollectionStatus.RECALLED
    home = _post(client, f"{BOX}/receive", {"at": "ZC-CEN"}, page=BOX)
    assert "现为“在馆”" in home.text
    assert _collection(engine)[0] is CollectionStatus.AT_HOME
    assert _item_at(engine, "ZC00000101")[0] is ItemStatus.AVAILABLE


def test_the_plan_page_lists_its_stations_in_order_and_its_collections(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    _plan_and_box(client)
    page = client.get("/staff/rotation/plans/XZ-LD")
    assert page.status_code == 200
    assert page.text.index('id="stop-XZ-WJZ"') < page.text.index('id="stop-ZC-XZ"')
    assert "LD-001" in page.text
    assert "每站驻留 60 天" in page.text


def test_a_collection_past_its_stay_is_listed_as_due(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    _plan_and_box(client)
    _post(client, f"{BOX}/add", {"barcodes": "ZC00000101"}, page=BOX)
    _post(client, f"{BOX}/send", {}, page=BOX)
    _post(client, f"{BOX}/receive", {"at": "XZ-WJZ"}, page=BOX)
    assert 'id="due-LD-001"' not in client.get(ROTATION).text
    later = client.get(f"{ROTATION}?date=2099-01-01")
    assert 'id="due-LD-001"' in later.text


def test_a_withdrawn_item_cannot_go_in_a_collection_and_nothing_is_added(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    _plan_and_box(client)
    refused = _post(client, f"{BOX}/add", {"barcodes": "ZC00000101, ZC00000105"}, page=BOX)
    assert "无法加入，未做任何改动" in refused.text
    assert "ZC00000105" in refused.text
    assert 'id="item-ZC00000101"' not in refused.text


def test_an_empty_collection_cannot_be_sent(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    _plan_and_box(client)
    refused = _post(client, f"{BOX}/send", {"to": "XZ-WJZ"}, page=BOX)
    assert 'role="alert"' in refused.text
    assert _collection(engine)[0] is CollectionStatus.AT_HOME


def test_a_branch_librarian_manages_collections_at_home_in_her_branch_only(
    signed_in_as: Callable[[str], TestClient], engine: Engine, branch_librarian: str
) -> None:
    _plan_and_box(signed_in_as("admin"))
    client = signed_in_as(branch_librarian)
    own = _post(
        client,
        "/staff/rotation/collections",
        {"code": "XZ-001", "name": "相州镇书箱", "home": "ZC-XZ"},
    )
    assert "书箱 XZ-001 已新建" in own.text
    refused = _post(client, f"{BOX}/add", {"barcodes": "ZC00000101"}, page=BOX)
    assert refused.status_code == 403
    assert "rotation.manage" in refused.text


def test_a_desk_account_sees_the_collections_but_may_not_create_one(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    page = client.get(ROTATION)
    assert page.status_code == 200
    assert "新建书箱" not in page.text
    refused = _post(
        client, "/staff/rotation/collections", {"code": "LD-009", "name": "书箱", "home": "ZC-XZ"}
    )
    assert refused.status_code == 403
    assert "rotation.manage" in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert not uow.session.scalars(select(RotatingCollection)).all()


def test_the_rotation_pages_read_in_english_too(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    _plan_and_box(client)
    _post(client, f"{BOX}/add", {"barcodes": "ZC00000101"}, page=BOX)
    for url, words in (
        (f"{ROTATION}?lang=en", "Rotating collections"),
        (f"{BOX}?lang=en", "Send the collection"),
        ("/staff/rotation/plans/XZ-LD?lang=en", "Stations in order"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert words in page.text
