from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from wenjin.db.uow import UnitOfWork
from wenjin.patrons.errors import ImportFileUnreadable
from wenjin.patrons.importing import ImportResult, import_patrons, rejects_path
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import get_patron_by_card, patron_block_reasons

TODAY = date(2025, 9, 1)
HEADER = ["读者证号", "姓名", "类别", "所属馆", "身份证号", "手机", "有效期"]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def run(engine: Engine, path: Path, **kwargs: object) -> ImportResult:
    return import_patrons(
        path,
        unit_of_work=lambda: UnitOfWork(engine),
        today=TODAY,
        **kwargs,  # type: ignore[arg-type]
    )


def patron_count(engine: Engine) -> int:
    with UnitOfWork(engine, readonly=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(Patron)) or 0


@pytest.fixture
def class_list(tmp_path: Path, resident_id: Callable[..., str]) -> tuple[Path, dict[str, str]]:
    """初二(3)班 of a school, as a teacher types it into Excel: mostly right, a few mistakes."""
    ids = {
        "张子涵": resident_id("20110405", "022"),
        "刘浩然": resident_id("20110817", "013"),
        "陈雨桐": resident_id("20110212", "046"),
    }
    right = resident_id("20110101", "035")
    ids["错号码"] = right[:-1] + ("1" if right.endswith("0") else "0")  # a wrong check digit
    rows = [
        HEADER,
        [
            "SY2025030101",
            "张子涵",
            "学生读者",
            "ZC-S01",
            ids["张子涵"],
            "13853610001",
            "2028-08-31",
        ],
        ["SY2025030102", "刘浩然", "STUDENT", "ZC-S01", ids["刘浩然"], "", "2028/8/31"],
        ["SY2025030103", "错号码", "STUDENT", "ZC-S01", ids["错号码"], "", ""],
        ["SY2025030104", "", "STUDENT", "ZC-S01", "", "", ""],
        ["SY2025030105", "周一鸣", "研究生", "ZC-S01", "", "", ""],
        ["SY2025030101", "张子涵", "STUDENT", "ZC-S01", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["SY2025030106", "陈雨桐", "学生", "ZC-S01", ids["陈雨桐"], "1385361", ""],
        ["SY2025030107", "陈雨桐", "学生", "ZC-S01", "", "13853610007", ""],
    ]
    return write_csv(tmp_path / "初二3班.csv", rows), ids


def test_a_class_list_imports_the_good_rows_and_reports_every_bad_one_by_row(
    network: Engine, class_list: tuple[Path, dict[str, str]]
) -> None:
    path, ids = class_list
    result = run(network, path)
    assert (result.total, result.imported, result.rejected) == (8, 3, 5)  # the blank row skipped
    assert [r.row for r in result.rejects] == [4, 5, 6, 7, 9]
    reasons = {r.row: r.message_zh for r in result.rejects}
    assert "校验位" in reasons[4]
    assert "姓名" in reasons[5]
    assert "没有读者类别 研究生" in reasons[6]
    assert "与第2行重复" in reasons[7]
    assert "11位手机号" in reasons[9]
    assert patron_count(network) == 3

    assert result.rejects_file == rejects_path(path)
    content = result.rejects_file.read_text(encoding="utf-8-sig")
    assert "4,读者证号" not in content  # row numbers are the spreadsheet's, not ours
    assert ids["错号码"] not in content
    assert ids["错号码"][:4] + "**********" + ids["错号码"][-4:] in content
    with result.rejects_file.open(encoding="utf-8-sig") as handle:
        rejected_rows = list(csv.reader(handle))
    assert rejected_rows[0][:3] == ["行号 row", "原因", "reason"]
    assert [row[0] for row in rejected_rows[1:]] == ["4", "5", "6", "7", "9"]

    with UnitOfWork(network, readonly=True) as uow:
        found = get_patron_by_card(uow.session, "SY2025030102")
        assert found.patron.expires_on == date(2028, 8, 31)
        assert found.patron.home_point.code == "ZC-S01"


def test_the_same_name_in_a_class_with_the_same_phone_is_a_warning_not_a_reject(
    network: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "twins.csv",
        [
            HEADER,
            ["SY2025030201", "陈雨桐", "STUDENT", "ZC-S01", "", "13853610007", ""],
            ["SY2025030202", "陈雨桐", "STUDENT", "ZC-S01", "", "13853610007", ""],
        ],
    )
    result = run(network, path)
    assert result.imported == 2
    [warning] = result.warnings
    assert warning.row == 3
    assert "SY2025030201" in warning.message_zh


def test_importing_the_same_file_again_updates_instead_of_duplicating(
    network: Engine, class_list: tuple[Path, dict[str, str]]
) -> None:
    path, _ = class_list
    run(network, path)
    again = run(network, path)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 5)
    assert patron_count(network) == 3

    text = path.read_text(encoding="utf-8-sig").replace("13853610001", "13853619999")
    path.write_text(text, encoding="utf-8-sig")
    changed = run(network, path)
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 2)
    with UnitOfWork(network, readonly=True) as uow:
        assert get_patron_by_card(uow.session, "SY2025030101").patron.phone == "13853619999"


def test_a_fixed_file_leaves_no_stale_rejects_behind(
    network: Engine, class_list: tuple[Path, dict[str, str]]
) -> None:
    path, _ = class_list
    assert run(network, path).rejects_file is not None
    with path.open(encoding="utf-8-sig") as handle:
        header_and_two_good_rows = list(csv.reader(handle))[:3]
    write_csv(path, header_and_two_good_rows)
    result = run(network, path)
    assert result.rejected == 0
    assert result.rejects_file is None
    assert not rejects_path(path).exists()


def test_a_gb18030_file_saved_by_excel_on_chinese_windows_is_read(
    network: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "相州镇.csv",
        [HEADER[:4], ["XZ0000000001", "王淑芬", "成人读者", "ZC-V001"]],
        encoding="gb18030",
    )
    result = run(network, path)
    assert result.imported == 1
    with UnitOfWork(network, readonly=True) as uow:
        assert get_patron_by_card(uow.session, "XZ0000000001").patron.name == "王淑芬"


def test_english_headers_and_tab_separated_columns_are_understood(
    network: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "readers.csv"
    path.write_text(
        "Card Number\tName\tCategory\tHome\tPhone\tColour\nZC00070001\t李华\tadult\tZC\t13853600070\tred\n",
        encoding="utf-8",
    )
    result = run(network, path)
    assert result.imported == 1
    assert result.ignored_columns == ["Colour"]


def test_a_file_without_the_required_columns_is_refused_whole(
    network: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "bad.csv", [["姓名", "手机"], ["李华", "13853600070"]])
    with pytest.raises(ImportFileUnreadable, match="读者证号、类别、所属馆"):
        run(network, path)


def test_an_old_xls_file_is_refused_with_what_to_do(network: Engine, tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileUnreadable, match=r"另存为 \.xlsx"):
        run(network, path)


def test_an_xlsx_id_number_stored_as_a_number_is_explained(
    network: Engine, tmp_path: Path, resident_id: Callable[..., str]
) -> None:
    good = resident_id("19900101", "052")
    mangled = resident_id("19880808", "067")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["读者证号（必填）", "姓名", "读者类别", "所属馆", "身份证号码", "有效期至"])
    sheet.append(["ZC00080001", "孙丽", "ADULT", "ZC-XD", good, datetime(2027, 12, 31)])
    # What Excel keeps of an 18-digit number typed into a General cell: 15 significant digits.
    sheet.append(["ZC00080002", "周强", "ADULT", "ZC-XD", float(mangled[:15] + "000"), None])
    sheet.append([80003, "吴敏", "MEDICAL", "ZC-XD", None, None])
    path = tmp_path / "readers.xlsx"
    book.save(path)

    result = run(network, path)
    assert (result.imported, result.rejected) == (2, 1)
    [reject] = result.rejects
    assert reject.row == 3
    assert "Excel" in reject.message_zh
    assert "文本" in reject.message_zh
    with UnitOfWork(network, readonly=True) as uow:
        assert get_patron_by_card(uow.session, "ZC00080001").patron.expires_on == date(2027, 12, 31)
        assert get_patron_by_card(uow.session, "80003").patron.category.code == "MEDICAL"


def test_a_bad_row_in_the_middle_of_a_batch_does_not_lose_the_others(
    network: Engine, tmp_path: Path
) -> None:
    rows = [HEADER[:4]]
    for n in range(1, 8):
        category = "NOPE" if n == 4 else "MEDICAL"
        rows.append([f"ZC0009000{n}", f"读者{n}", category, "ZC"])
    result = run(network, write_csv(tmp_path / "batch.csv", rows), batch_size=3)
    assert (result.imported, result.rejected) == (6, 1)
    assert patron_count(network) == 6


def test_a_school_guarantee_on_import_waives_the_deposit_of_every_new_pupil(
    network: Engine, class_list: tuple[Path, dict[str, str]]
) -> None:
    path, _ = class_list
    run(network, path, waive_deposit_reason="实验中学统一担保")
    with UnitOfWork(network, readonly=True) as uow:
        found = get_patron_by_card(uow.session, "SY2025030101")
        assert found.patron.deposit_waiver is not None
        assert patron_block_reasons(found.patron, today=TODAY) == []
