"""Registering a class of readers at once from the staff client: good rows are registered,
each bad row is listed with its reason, the rest import."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import Workbook
from staff_helpers import csrf_of

CSV = (
    "读者证号,姓名,类别,所属馆,手机\r\n"
    "ZC00150001,张明轩,CHILD,ZC-XZ,13805361234\r\n"
    "ZC00150002,李梓涵,CHILD,ZC-XZ,\r\n"
    "ZC00150003,王一诺,CHILD,NO-SUCH-POINT,\r\n"
)


def _send(client: TestClient, name: str, data: bytes, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/staff/readers/import").text)
    return client.post(
        "/staff/readers/import",
        data={"csrf_token": token, **form},
        files={"file": (name, data, "application/octet-stream")},
    )


def test_a_class_list_imports_its_good_rows_and_names_the_bad_one(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    page = _send(
        client, "四年级2班.csv", CSV.encode("gb18030"), waive_deposit_reason="学校统一担保"
    )
    assert page.status_code == 200, page.text
    assert '<td class="count-imported">2</td>' in page.text
    assert '<td class="count-rejected">1</td>' in page.text
    rejects = page.text.split('id="import-rejects"', 1)[1]
    assert "<td>4</td>" in rejects  # the file's row number of 王一诺
    assert "NO-SUCH-POINT" in rejects
    assert "张明轩" in client.get("/staff/readers?q=张明轩").text


def test_an_excel_file_imports_too(signed_in_as: Callable[[str], TestClient]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["读者证号", "姓名", "类别", "所属馆"])
    sheet.append(["ZC00150011", "赵子墨", "CHILD", "ZC-XZ"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _send(signed_in_as("admin"), "class.xlsx", buffer.getvalue())
    assert '<td class="count-imported">1</td>' in page.text


def test_the_template_has_the_headers_the_importer_reads(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    template = signed_in_as("admin").get("/staff/readers/import/template.csv")
    assert template.status_code == 200
    assert template.text.lstrip("\ufeff").startswith("读者证号,姓名,类别,所属馆")


def test_a_file_of_another_kind_is_refused_in_words(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    page = _send(signed_in_as("admin"), "notes.pdf", b"%PDF-1.4")
    assert page.status_code == 400
    assert "请上传 .csv 或 .xlsx 文件" in page.text


def test_a_branch_desk_may_not_import_readers_for_the_whole_network(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("wang.li")
    assert client.get("/staff/readers/import").status_code == 403
    assert 'id="reader-import-link"' not in client.get("/staff/readers").text
