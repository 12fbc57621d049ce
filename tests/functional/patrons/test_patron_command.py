"""The ``wenjin patron`` command end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from wenjin.cli.main import app


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, ["patron", *args])


def as_json(result: Result) -> Any:
    return json.loads(result.stdout)


def complains(result: Result, message: str) -> bool:
    """Whether stderr says ``message``, however Rich wrapped the lines."""
    return "".join(message.split()) in "".join(result.stderr.split())


def add(card: str, *extra: str, name: str = "王小明", category: str = "ADULT") -> Result:
    return wenjin(
        "add", "--card", card, "--name", name, "--category", category, "--home", "ZC-XD", *extra
    )


def test_a_registered_reader_is_shown_with_the_masked_id_and_never_the_number(
    network: dict[str, str], resident_id: Callable[..., str]
) -> None:
    number = resident_id("19850312", "123")
    added = add("ZC00012345", "--id-number", number, "--phone", "13853612345", "--json")
    assert added.exit_code == 0, added.output
    assert number not in added.stdout
    body = as_json(added)
    assert body["action"] == "registered"
    assert body["patron"]["id_masked"] == "3707**********" + number[-4:]

    shown = wenjin("show", "ZC00012345", "--json")
    assert shown.exit_code == 0, shown.output
    assert number not in shown.stdout
    assert "13853612345" not in shown.stdout
    patron = as_json(shown)["patron"]
    assert patron["category"]["code"] == "ADULT"
    assert patron["home"] == {"code": "ZC-XD", "name": "辛兴镇图书馆"}
    assert patron["card_status"] == "active"
    assert patron["may_borrow"] is False
    assert [b["code"] for b in patron["blocks"]] == ["deposit_unpaid"]
    assert patron["deposit"]["outstanding_fen"] == 10000

    text = wenjin("show", "ZC00012345")
    assert text.exit_code == 0
    assert "尚未缴纳押金 ¥100.00" in text.stdout
    assert number not in text.stdout


def test_a_reader_who_pays_the_deposit_at_registration_may_borrow_at_once(
    network: dict[str, str],
) -> None:
    added = add("ZC00012345", "--deposit", "wechat", "--json")
    assert added.exit_code == 0, added.output
    patron = as_json(added)["patron"]
    assert patron["may_borrow"] is True
    assert patron["deposit"]["held_fen"] == 10000


def test_a_second_card_for_the_same_id_number_is_refused_in_both_languages(
    network: dict[str, str], resident_id: Callable[..., str]
) -> None:
    number = resident_id("19850312")
    assert add("ZC00012345", "--id-number", number).exit_code == 0
    refused = add("ZC00099999", "--id-number", number)
    assert refused.exit_code == 1
    assert complains(refused, "已办理读者证 ZC00012345")
    assert complains(refused, "already holds card ZC00012345")
    assert number not in refused.output

    refused_json = add("ZC00099999", "--id-number", number, "--json")
    assert refused_json.exit_code == 1
    error = as_json(refused_json)["error"]
    assert error["code"] == "id_number_registered"
    assert number not in refused_json.stdout


def test_an_invalid_id_number_is_refused_with_the_reason(
    network: dict[str, str], resident_id: Callable[..., str]
) -> None:
    number = resident_id("19850312")
    wrong = number[:-1] + ("1" if number.endswith("0") else "0")
    refused = add("ZC00012345", "--id-number", wrong, "--json")
    assert refused.exit_code == 1
    error = as_json(refused)["error"]
    assert error["code"] == "id_number_invalid"
    assert "校验位" in error["message"]
    assert wrong not in refused.stdout


def test_a_block_says_why_and_unblocking_lifts_it(network: dict[str, str]) -> None:
    assert add("ZC00012345", category="MEDICAL").exit_code == 0
    blocked = wenjin("block", "ZC00012345", "--reason", "损坏图书未赔偿", "--json")
    assert blocked.exit_code == 0, blocked.output
    [block] = as_json(blocked)["patron"]["blocks"]
    assert block["code"] == "manual"
    assert block["message_zh"].endswith("暂停借阅：损坏图书未赔偿")

    unblocked = wenjin("unblock", "ZC00012345", "--reason", "已赔偿", "--json")
    assert unblocked.exit_code == 0, unblocked.output
    assert as_json(unblocked)["patron"]["may_borrow"] is True

    again = wenjin("unblock", "ZC00012345")
    assert again.exit_code == 1
    assert complains(again, "没有人工暂停")


def test_a_replaced_card_still_finds_the_reader_but_is_refused(network: dict[str, str]) -> None:
    assert add("ZC00012345", category="MEDICAL").exit_code == 0
    replaced = wenjin("replace-card", "ZC00012345", "--new-card", "ZC00067890", "--json")
    assert replaced.exit_code == 0, replaced.output
    assert as_json(replaced)["patron"]["card_number"] == "ZC00067890"

    old = as_json(wenjin("show", "ZC00012345", "--json"))["patron"]
    assert old["card_status"] == "lost"
    assert old["active_card"] == "ZC00067890"
    assert [b["code"] for b in old["blocks"]] == ["card_lost"]
    assert "尾号7890" in old["blocks"][0]["message_zh"]
    assert as_json(wenjin("show", "ZC00067890", "--json"))["patron"]["may_borrow"] is True

    reused = add("ZC00012345", name="李华", category="MEDICAL")
    assert reused.exit_code == 1
    assert complains(reused, "已被使用")


def test_an_unknown_card_exits_non_zero(network: dict[str, str]) -> None:
    result = wenjin("show", "ZC99999999")
    assert result.exit_code == 1
    assert complains(result, "读者证号 ZC99999999 不存在")


def test_a_class_is_imported_from_a_spreadsheet_with_a_rejects_report(
    network: dict[str, str], tmp_path: Path, resident_id: Callable[..., str]
) -> None:
    path = tmp_path / "初二3班.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(
            [
                ["读者证号", "姓名", "类别", "所属馆", "身份证号"],
                ["SY2025030101", "张子涵", "学生", "ZC-S01", resident_id("20110405", "022")],
                ["SY2025030102", "刘浩然", "学生", "ZC-S01", ""],
                ["SY2025030103", "周一鸣", "研究生", "ZC-S01", ""],
            ]
        )
    result = wenjin("import", str(path), "--waive-deposit", "实验中学统一担保", "--json")
    assert result.exit_code == 0, result.output
    body = as_json(result)
    assert (body["imported"], body["updated"], body["rejected"]) == (2, 0, 1)
    assert body["rejects_file"] == str(path) + ".rejects.csv"
    assert body["rejects"][0]["row"] == 4

    again = as_json(wenjin("import", str(path), "--json"))
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 2)
    pupil = as_json(wenjin("show", "SY2025030101", "--json"))["patron"]
    assert pupil["may_borrow"] is True
    assert pupil["deposit"]["waived_reason"] == "实验中学统一担保"


def test_an_unreadable_import_file_exits_non_zero_with_the_reason(
    network: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "readers.csv"
    path.write_text("姓名,手机\n李华,13853600070\n", encoding="utf-8")
    result = wenjin("import", str(path), "--json")
    assert result.exit_code == 1
    assert as_json(result)["error"]["code"] == "import_file_unreadable"


def test_credit_history_pin_and_renewal_are_desk_commands(network: dict[str, str]) -> None:
    assert add("ZC00012345", category="CREDIT").exit_code == 0
    credited = wenjin(
        "credit",
        "ZC00012345",
        "--source",
        "诸城市公共信用信息平台",
        "--verified",
        "2025-01-10",
        "--expires",
        "2099-01-09",
        "--json",
    )
    assert credited.exit_code == 0, credited.output
    patron = as_json(credited)["patron"]
    assert patron["credit"]["status"] == "valid"
    assert patron["deposit"]["credit_waived"] is True
    assert patron["may_borrow"] is True

    off = as_json(wenjin("history", "ZC00012345", "--off", "--json"))["patron"]
    assert off["keep_history"] is False

    pin = wenjin("set-pin", "ZC00012345", "--pin", "270415", "--json")
    assert pin.exit_code == 0, pin.output
    assert "270415" not in pin.stdout
    assert as_json(pin)["patron"]["pin_set"] is True

    bad_pin = wenjin("set-pin", "ZC00012345", "--pin", "1234")
    assert bad_pin.exit_code == 1
    assert complains(bad_pin, "6位数字")

    renewed = wenjin("renew", "ZC00012345", "--years", "2", "--json")
    assert renewed.exit_code == 0, renewed.output

    categories = as_json(wenjin("categories", "--json"))["categories"]
    assert {c["code"] for c in categories} >= {"MEDICAL", "FIREFIGHTER", "CREDIT", "INSTITUTION"}
