"""The service network in the staff client: the points in tree order, changing a point
(network.write over the whole network only), refusals said in words."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from staff_helpers import csrf_of

from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code


def _form(page: str, **changes: str) -> dict[str, str]:
    base = {
        "csrf_token": csrf_of(page),
        "name": "诸城市相州镇图书馆",
        "name_en": "Xiangzhou Town Library",
        "kind": "branch",
        "address": "山东省诸城市相州镇府前街 8 号",
        "phone": "0536-6211234",
        "lends": "on",
        "pickup": "on",
        "active": "on",
    }
    return {k: v for k, v in {**base, **changes}.items() if v}


def test_the_network_page_lists_every_point_in_tree_order(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    page = signed_in_as("wang.li").get("/staff/network")
    assert page.status_code == 200
    assert page.text.index('id="point-ZC"') < page.text.index('id="point-ZC-CEN"')
    assert 'href="/staff/network/points/ZC-XZ"' not in page.text  # a desk account: no edit links


def test_an_administrator_changes_a_point(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    page = client.get("/staff/network/points/ZC-XZ")
    assert page.status_code == 200
    saved = client.post("/staff/network/points/ZC-XZ", data=_form(page.text))
    assert saved.status_code == 200
    assert "服务点 ZC-XZ 已保存" in saved.text
    with UnitOfWork(engine, readonly=True) as uow:
        point = get_point_by_code(uow.session, "ZC-XZ")
        assert point.address == "山东省诸城市相州镇府前街 8 号"
        assert point.name_en == "Xiangzhou Town Library"


def test_an_empty_name_is_refused_and_changes_nothing(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    with UnitOfWork(engine, readonly=True) as uow:
        before = get_point_by_code(uow.session, "ZC-XZ").name
    page = client.get("/staff/network/points/ZC-XZ")
    refused = client.post("/staff/network/points/ZC-XZ", data=_form(page.text, name=" "))
    assert "名称不能为空" in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert get_point_by_code(uow.session, "ZC-XZ").name == before


def test_a_desk_account_may_not_change_the_network(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("wang.li")
    assert client.get("/staff/network/points/ZC-XZ").status_code == 403
    home = client.get("/staff/")
    refused = client.post("/staff/network/points/ZC-XZ", data=_form(home.text))
    assert refused.status_code == 403
    assert "network.write" in refused.text
