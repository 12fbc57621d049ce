"""``POST /api/v1/catalog/import``: a MARC file imported as the command does, the bad
record reported and skipped, the run kept with the account that sent it."""

from __future__ import annotations

from pathlib import Path

from api_tokens import Tokens
from fastapi.testclient import TestClient

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def _send(api: TestClient, name: str, **options: str):  # type: ignore[no-untyped-def]
    return api.post(
        "/api/v1/catalog/import",
        files={"file": (name, (MARC_DATA / name).read_bytes(), "application/marc")},
        data=options,
    )


def test_a_file_with_a_bad_record_imports_the_rest_and_reports_the_bad_one(
    api: TestClient,
) -> None:
    response = _send(api, "bad_records.mrc", source="测试")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rejected"] == 1
    assert body["imported"] >= 1
    [reject] = [row for row in body["rejects"] if "rejected" in row["outcome"]]
    assert reject["offset"] == "764"
    assert reject["outcome"] == "拒收 rejected"
    trail = api.get("/api/v1/audit", params={"entity": "catalog_imports"}).json()
    assert trail["items"][0]["actor"] == "admin"


def test_copies_at_a_point_outside_a_desk_accounts_scope_are_refused(
    api: TestClient, tokens: Tokens
) -> None:
    response = api.post(
        "/api/v1/catalog/import",
        files={"file": ("batch.xml", (MARC_DATA / "batch.xml").read_bytes(), "text/xml")},
        data={"items_at": "ZC-CC"},
        headers=tokens.header(tokens.village_desk),
    )
    assert response.status_code == 403
    assert response.json()["error"]["details"]["permission"] == "catalog.write"


def test_an_unknown_encoding_is_refused_before_anything_is_read(api: TestClient) -> None:
    response = _send(api, "batch.xml", encoding="klingon")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "import_option_invalid"


def test_a_file_that_is_not_marc_says_so(api: TestClient) -> None:
    response = api.post(
        "/api/v1/catalog/import",
        files={"file": ("notes.txt", "这不是MARC文件".encode(), "text/plain")},
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["message"]
