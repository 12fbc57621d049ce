"""The catalogue over the REST API: a record's MARC text read, edited with the editor's
checks (422 per line, 409 over a newer save) and created; copies added, changed and
withdrawn with catalog.write at their points; spine labels as JSON or SVG."""

from __future__ import annotations

from typing import Any

import pytest
from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from wenjin.accounts.services import create_account, issue_token
from wenjin.accounts.states import Role
from wenjin.catalog.models import BibRecord, Item
from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.search.engine import index_for
from wenjin.search.queries import search

PASSWORD = "诸城图书馆借还书2026"


def _record_id(engine: Engine, barcode: str) -> int:
    with UnitOfWork(engine, readonly=True) as uow:
        return uow.session.scalars(select(Item.bib_id).where(Item.barcode == barcode)).one()


@pytest.fixture
def branch_cataloguer(engine: Engine, tokens: Tokens) -> dict[str, str]:
    """The header of a cataloguer scoped to 昌城镇图书馆 (ZC-CC)."""
    with UnitOfWork(engine) as uow:
        account = create_account(
            uow.session,
            username="cc.cataloguer",
            display_name="昌城编目员",
            password=PASSWORD,
            role=Role.CATALOGUER,
            scope="ZC-CC",
        )
        token = issue_token(uow.session, account=account, name="测试").token
        uow.commit()
    return tokens.header(token)


def _get(api: TestClient, record_id: int) -> dict[str, Any]:
    response = api.get(f"/api/v1/records/{record_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- records ---


def test_a_record_is_read_with_its_marc_text_and_copies(api: TestClient, engine: Engine) -> None:
    body = _get(api, _record_id(engine, "ZC01000003"))
    assert body["title"] == "活着"
    assert body["marc"].splitlines() == [
        "LDR 00714nam0#2200229###450#",
        "001 CNZC01000003",
        "200 1#$a活着",
    ]
    assert len(body["marc_hash"]) == 40
    assert [item["barcode"] for item in body["items"]] == ["ZC01000003"]


def test_an_edited_title_is_found_by_search_at_once(
    api: TestClient, engine: Engine, settings: Settings
) -> None:
    record_id = _record_id(engine, "ZC01000003")
    body = _get(api, record_id)
    marc = body["marc"].replace("200 1#$a活着", "200 1#$a活着（纪念版）$f余华著\n690 ##$aI247.57")
    saved = api.put(
        f"/api/v1/records/{record_id}", json={"marc": marc, "marc_hash": body["marc_hash"]}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["changed"] is True
    assert saved.json()["marc_hash"] != body["marc_hash"]
    with UnitOfWork(engine, readonly=True) as uow:
        bib = uow.session.get_one(BibRecord, record_id)
        assert (bib.title, bib.clc, bib.responsibility) == ("活着（纪念版）", "I247.57", "余华著")
        found = search(uow.session, index=index_for(settings.data_dir, engine), query="纪念版")
        assert [hit.id for hit in found.hits] == [record_id]


def test_a_bad_indicator_is_a_422_with_its_line_and_nothing_is_saved(
    api: TestClient, engine: Engine
) -> None:
    record_id = _record_id(engine, "ZC01000003")
    body = _get(api, record_id)
    marc = body["marc"].replace("200 1#$a活着", "200 1!$a人生") + "69 ##$aI247\n"
    refused = api.put(
        f"/api/v1/records/{record_id}", json={"marc": marc, "marc_hash": body["marc_hash"]}
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "marc_invalid"
    assert [(p["line"], p["severity"]) for p in error["details"]["problems"]] == [
        (3, "error"),
        (4, "error"),
    ]
    assert "第 3 行" in error["message"]
    assert _get(api, record_id)["title"] == "活着"


def test_a_save_over_a_newer_save_is_a_409(api: TestClient, engine: Engine) -> None:
    record_id = _record_id(engine, "ZC01000004")
    body = _get(api, record_id)
    first = body["marc"].replace("$a围城", "$a围城（典藏版）")
    second = body["marc"].replace("$a围城", "$a围城（插图本）")
    url = f"/api/v1/records/{record_id}"
    assert api.put(url, json={"marc": first, "marc_hash": body["marc_hash"]}).status_code == 200
    refused = api.put(url, json={"marc": second, "marc_hash": body["marc_hash"]})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "record_changed"
    assert _get(api, record_id)["title"] == "围城（典藏版）"


def test_a_record_is_created_with_a_warning_for_a_wrong_isbn(api: TestClient) -> None:
    marc = (
        "LDR 00000nam0#2200000###450#\n"
        "010 ##$a978-7-02-000220-8$dCNY59.70\n"
        "200 1#$a红楼梦$f曹雪芹著\n"
    )
    created = api.post("/api/v1/records", json={"marc": marc, "flavour": "cnmarc"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert [(w["line"], w["severity"]) for w in body["warnings"]] == [(2, "warning")]
    assert _get(api, body["record_id"])["title"] == "红楼梦"


def test_a_marc21_record_is_created_with_its_columns_derived(api: TestClient) -> None:
    marc = (
        "LDR 00000nam#a2200000#a#4500\n"
        "008 820101s1982####ch############000#0#chi#d\n"
        "020 ##$a9787020002207\n"
        "100 1#$a曹雪芹\n"
        "245 10$a红楼梦 /$c曹雪芹著\n"
        "264 #1$a北京 :$b人民文学出版社,$c1982\n"
    )
    created = api.post("/api/v1/records", json={"marc": marc, "flavour": "marc21"})
    assert created.status_code == 201, created.text
    body = _get(api, created.json()["record_id"])
    assert (body["flavour"], body["title"], body["year"]) == ("marc21", "红楼梦", 1982)
    assert body["authors"] == ["曹雪芹"]
    assert body["isbn"] == "9787020002207"
    assert body["marc"].splitlines()[1] == "008 820101s1982####ch############000#0#chi#d"


def test_a_marc21_record_needs_245_a(api: TestClient) -> None:
    refused = api.post(
        "/api/v1/records",
        json={"marc": "LDR 00000nam#a2200000#a#4500\n100 1#$aCao, Xueqin\n", "flavour": "marc21"},
    )
    assert refused.status_code == 422
    assert "245" in refused.json()["error"]["message_en"]


def test_a_desk_account_may_read_but_not_edit_records(
    anonymous: TestClient, tokens: Tokens, engine: Engine
) -> None:
    desk = tokens.header(tokens.village_desk)
    record_id = _record_id(engine, "ZC01000003")
    body = anonymous.get(f"/api/v1/records/{record_id}", headers=desk).json()
    refused = anonymous.put(
        f"/api/v1/records/{record_id}",
        json={"marc": body["marc"], "marc_hash": body["marc_hash"]},
        headers=desk,
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["permission"] == "catalog.write"
    assert anonymous.post("/api/v1/records", json={"marc": "x"}, headers=desk).status_code == 403


# --- copies ---


def test_a_copy_is_added_with_the_next_barcode_of_the_series(
    api: TestClient, engine: Engine
) -> None:
    record_id = _record_id(engine, "ZC01000003")
    added = api.post(
        "/api/v1/items",
        json={
            "record_id": record_id,
            "point": "ZC-CC",
            "call_number": "I247.57/12",
            "price_fen": 2000,
            "volume": "典藏本",
            "note": "捐赠",
        },
    )
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["barcode"].startswith("W")
    assert (body["owning_point"]["code"], body["volume"], body["note"]) == (
        "ZC-CC",
        "典藏本",
        "捐赠",
    )


def test_a_copy_changes_its_description_and_a_null_clears_a_value(
    api: TestClient, engine: Engine
) -> None:
    changed = api.patch(
        "/api/v1/items/ZC01000005",
        json={"call_number": "I247.5/10", "location": None, "price_fen": 4200, "point": "ZC-XX"},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["call_number"], body["location"], body["price_fen"]) == ("I247.5/10", None, 4200)
    assert body["owning_point"]["code"] == "ZC-XX"
    assert body["item_type"] == "BOOK"  # not given: kept
    as_reference = api.patch("/api/v1/items/ZC01000005", json={"item_type": "ref"})
    assert as_reference.json()["item_type"] == "REF"
    assert as_reference.json()["call_number"] == "I247.5/10"
    unknown = api.patch("/api/v1/items/ZC01000005", json={"item_type": "NOPE"})
    assert unknown.status_code == 409
    assert unknown.json()["error"]["code"] == "item_type_unknown"


def test_the_home_of_a_copy_on_loan_cannot_change(api: TestClient, engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        from wenjin.catalog.states import ItemStatus

        item = uow.session.scalars(select(Item).where(Item.barcode == "ZC01000006")).one()
        item.status = ItemStatus.ON_LOAN
        uow.commit()
    refused = api.patch("/api/v1/items/ZC01000006", json={"point": "ZC-CC"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "item_owner_locked"
    assert api.post("/api/v1/items/ZC01000006/withdraw").status_code == 409


def test_a_copy_on_the_shelf_is_withdrawn(api: TestClient) -> None:
    done = api.post("/api/v1/items/ZC01000007/withdraw", json={"reason": "破损"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "withdrawn"
    again = api.post("/api/v1/items/ZC01000007/withdraw")
    assert again.json()["error"]["code"] == "item_cannot_be_withdrawn"


def test_a_branch_cataloguer_changes_copies_only_at_its_point(
    anonymous: TestClient, branch_cataloguer: dict[str, str], engine: Engine
) -> None:
    own = anonymous.patch(
        "/api/v1/items/ZC02000001", json={"call_number": "I247.5/34"}, headers=branch_cataloguer
    )
    assert own.status_code == 200, own.text
    other = anonymous.patch(
        "/api/v1/items/ZC01000001", json={"call_number": "I247.5/1"}, headers=branch_cataloguer
    )
    assert other.status_code == 403
    moved_out = anonymous.patch(
        "/api/v1/items/ZC02000001", json={"point": "ZC"}, headers=branch_cataloguer
    )
    assert moved_out.status_code == 403
    added_elsewhere = anonymous.post(
        "/api/v1/items",
        json={"record_id": _record_id(engine, "ZC01000001"), "point": "ZC-XX"},
        headers=branch_cataloguer,
    )
    assert added_elsewhere.status_code == 403


# --- labels ---


def test_labels_come_as_json_with_their_svg(api: TestClient) -> None:
    response = api.get("/api/v1/labels", params={"barcodes": "ZC01000001,K825NOPE"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unknown"] == ["K825NOPE"]
    (label,) = body["labels"]
    assert (label["class_number"], label["book_number"]) == ("I247.57", "11")
    assert label["point_name"] == "诸城市图书馆"
    assert label["svg"].startswith("<svg")


def test_one_label_comes_as_an_svg_image(api: TestClient) -> None:
    response = api.get("/api/v1/labels", params={"barcodes": "ZC01000002", "format": "svg"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg")
    two = api.get("/api/v1/labels", params={"barcodes": "ZC01000001 ZC01000002", "format": "svg"})
    assert two.status_code == 422


def test_a_desk_account_may_not_print_labels(anonymous: TestClient, tokens: Tokens) -> None:
    refused = anonymous.get(
        "/api/v1/labels",
        params={"barcodes": "ZC01000001"},
        headers=tokens.header(tokens.village_desk),
    )
    assert refused.status_code == 403


def test_a_change_over_a_newer_version_of_a_copy_is_a_409(api: TestClient) -> None:
    version = api.get("/api/v1/items/ZC01000003").json()["version"]
    first = api.patch("/api/v1/items/ZC01000003", json={"note": "一", "version": version})
    assert first.status_code == 200
    assert first.json()["version"] == version + 1
    stale = api.patch("/api/v1/items/ZC01000003", json={"note": "二", "version": version})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "item_changed"


def test_an_edited_record_is_in_the_audit_trail_with_its_marc_before_and_after(
    api: TestClient, engine: Engine
) -> None:
    record_id = _record_id(engine, "ZC01000004")
    body = _get(api, record_id)
    marc = body["marc"].replace("$a围城", "$a围城（典藏版）")
    saved = api.put(
        f"/api/v1/records/{record_id}", json={"marc": marc, "marc_hash": body["marc_hash"]}
    )
    assert saved.status_code == 200, saved.text
    trail = api.get(
        "/api/v1/audit", params={"entity": "bib_records", "entity_id": record_id}
    ).json()
    entry = trail["items"][0]  # the newest; the record's creation by the fixture follows
    assert entry["action"] == "changed"
    assert entry["actor"] == "admin"
    assert entry["label"] == "围城（典藏版）"
    assert "围城（典藏版）" in entry["after"]["marc"]
    assert "围城（典藏版）" not in entry["before"]["marc"]


def test_withdrawing_a_copy_cancels_a_hold_on_that_very_copy_and_says_why(
    api: TestClient, engine: Engine
) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.scalars(
            select(ServicePoint).where(ServicePoint.code == "ZC-XX")
        ).one().is_pickup_point = True
        uow.commit()
    placed = api.post(
        "/api/v1/holds", json={"patron": "ZC00012345", "pickup": "ZC-XX", "item": "ZC01000005"}
    )
    assert placed.status_code == 201, placed.text
    hold_id = placed.json()["hold_id"]
    done = api.post("/api/v1/items/ZC01000005/withdraw", json={"reason": "霉变"})
    assert done.status_code == 200, done.text
    hold = api.get(f"/api/v1/holds/{hold_id}").json()
    assert hold["status"] == "cancelled", hold
    trail = api.get("/api/v1/audit", params={"entity": "items"}).json()
    assert trail["items"][0]["after"]["status"] == "withdrawn"
