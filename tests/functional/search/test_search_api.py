"""``GET /api/v1/search`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_the_search_endpoint_answers_ranked_hits_and_facets_without_a_token(
    client: TestClient,
) -> None:
    response = client.get("/api/v1/search", params={"q": "紅樓夢"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["page"], body["pages"]) == (3, 1, 1)
    assert [h["control_number"] for h in body["items"]] == ["HL2005", "HL1996", "HLYJ"]
    assert body["items"][1]["available"] == 2
    clc = {f["value"]: (f["label"], f["count"]) for f in body["facets"]["clc"]}
    assert clc == {"I": ("文学", 3)}


def test_facet_selections_and_scope_narrow_the_search(client: TestClient, library: Any) -> None:
    scoped = client.get("/api/v1/search", params={"q": "", "at": "CC", "clc": "K"}).json()
    assert [h["title"] for h in scoped["items"]] == ["重庆旅游指南", "曹雪芹传"]
    english = client.get("/api/v1/search", params={"language": "eng", "year": 1952}).json()
    assert [h["control_number"] for h in english["items"]] == ["OMS1"]


def test_pages_follow_one_another(client: TestClient) -> None:
    first = client.get("/api/v1/search", params={"q": "hlm", "per_page": 2}).json()
    second = client.get("/api/v1/search", params={"q": "hlm", "per_page": 2, "page": 2}).json()
    assert first["pages"] == 2
    assert [h["control_number"] for h in first["items"] + second["items"]] == [
        "HL2005",
        "HL1996",
        "HLYJ",
    ]


def test_an_unknown_point_is_a_404_in_chinese_and_english(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "红楼梦", "at": "NOPE"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert "NOPE" in error["message"]
    assert "NOPE" in error["message_en"]


def test_a_query_the_parser_cannot_understand_is_still_answered(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": '((( "" AND OR NOT title: ）'})
    assert response.status_code == 200
