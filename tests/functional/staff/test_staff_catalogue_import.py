"""Importing MARC files in the staff client: the counts, the rejects report on the page
and to download, the options checked, and catalog.write required."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from staff_helpers import csrf_of

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def _upload(client: TestClient, *names: str, **options: str):  # type: ignore[no-untyped-def]
    page = client.get("/staff/catalogue/import")
    assert page.status_code == 200
    files = [
        ("files", (name, (MARC_DATA / name).read_bytes(), "application/marc")) for name in names
    ]
    return client.post(
        "/staff/catalogue/import",
        data={"csrf_token": csrf_of(page.text), **options},
        files=files,
    )


def test_an_import_with_a_bad_record_shows_the_counts_and_the_rejects(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("zhao.min")
    result = _upload(client, "bad_records.mrc")
    assert result.status_code == 200, result.text
    assert 'id="import-results"' in result.text
    assert '<td class="count-rejected">1</td>' in result.text
    assert "拒收 rejected" in result.text
    assert "<td>764</td>" in result.text  # the byte offset of the rejected record
    link = result.text.split('href="/staff/catalogue/import/', 1)[1].split('"', 1)[0]
    report = client.get(f"/staff/catalogue/import/{link}")
    assert report.status_code == 200
    assert report.text.startswith("# 文津 Wenjin 导入报告")
    assert "拒收 rejected" in report.text


def test_two_files_at_once_and_items_at_a_point(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("zhao.min")
    result = _upload(client, "batch.xml", "marc8.dat", items_at="ZC-XZ")
    assert result.status_code == 200, result.text
    assert result.text.count('class="import-file"') == 2
    assert '<td class="count-items">0</td>' not in result.text


def test_an_unknown_encoding_is_refused_before_anything_is_imported(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    result = _upload(client, "marc8.dat", encoding="klingon")
    assert result.status_code == 400
    assert "不认识的字符集“klingon”" in result.text
    assert 'id="import-results"' not in result.text


def test_a_file_that_is_not_marc_is_named_with_the_reason(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    page = client.get("/staff/catalogue/import")
    result = client.post(
        "/staff/catalogue/import",
        data={"csrf_token": csrf_of(page.text)},
        files=[("files", ("借书单.txt", "这不是 MARC 文件\n".encode(), "text/plain"))],
    )
    assert result.status_code == 200
    assert "无法导入 借书单.txt" in result.text


def test_a_desk_account_may_not_import(signed_in_as: Callable[[str], TestClient]) -> None:
    client = signed_in_as("wang.li")
    assert client.get("/staff/catalogue/import").status_code == 403
    home = client.get("/staff/")
    refused = client.post(
        "/staff/catalogue/import",
        data={"csrf_token": csrf_of(home.text)},
        files=[("files", ("marc8.dat", (MARC_DATA / "marc8.dat").read_bytes(), "x"))],
    )
    assert refused.status_code == 403
    assert "catalog.write" in refused.text


def test_a_rejects_report_needs_its_token(signed_in_as: Callable[[str], TestClient]) -> None:
    client = signed_in_as("zhao.min")
    assert client.get("/staff/catalogue/import/" + "0" * 32 + "/0/rejects.txt").status_code == 404
    assert client.get("/staff/catalogue/import/..%2F..%2Fetc/0/rejects.txt").status_code == 404
