"""``wenjin item add`` and ``wenjin item show`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from wenjin.cli.main import app

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def catalogue(network: dict[str, str], tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "sample_cnmarcxml.xml"
    shutil.copy(MARC_DATA / "sample_cnmarcxml.xml", path)
    path.chmod(0o644)
    result = wenjin("catalog", "import", str(path))
    assert result.exit_code == 0, result.output
    return network


def test_an_item_added_by_001_is_shown_with_its_points_and_price(catalogue: dict[str, str]) -> None:
    added = wenjin(
        "item", "add", "--record", "990002180740203961", "--barcode", "ZX0012345", "--at", "ZX",
        "--call-number", "F124/26", "--price", "68.00", "--location", "社科图书借阅区", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = wenjin("item", "show", "ZX0012345", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data == json.loads(added.stdout)
    assert {
        key: data[key]
        for key in (
            "barcode",
            "title",
            "status",
            "call_number",
            "item_type",
            "price_fen",
            "location",
            "floating",
            "loan",
        )
    } == {
        "barcode": "ZX0012345",
        "title": "'94中国发展报告",
        "status": "available",
        "call_number": "F124/26",
        "item_type": "BOOK",
        "price_fen": 6800,
        "location": "社科图书借阅区",
        "floating": False,
        "loan": None,
    }
    assert data["owning_point"] == data["current_point"] == {"code": "ZX", "name": "诸城市图书馆"}
    assert isinstance(data["record_id"], int)


def test_item_show_in_text_has_the_chinese_status_and_the_price_in_yuan(
    catalogue: dict[str, str],
) -> None:
    wenjin(
        "item",
        "add",
        "--record",
        "990002181190203961",
        "--barcode",
        "CC0000001",
        "--at",
        "CC",
        "--price",
        "80",
        "--type",
        "REF",
    )
    result = wenjin("item", "show", "CC0000001")
    assert result.exit_code == 0, result.output
    assert "在架" in result.stdout
    assert "CC 昌城镇图书馆" in result.stdout
    assert "¥80.00" in result.stdout
    assert "REF 工具书" in result.stdout


def test_a_taken_barcode_is_refused_with_a_message_and_exit_1(catalogue: dict[str, str]) -> None:
    args = ["item", "add", "--record", "990002180740203961", "--barcode", "ZX0000001", "--at", "ZX"]
    assert wenjin(*args).exit_code == 0
    again = wenjin(*args, "--json")
    assert again.exit_code == 1
    error = json.loads(again.stdout)["error"]
    assert error["code"] == "barcode_taken"
    assert "ZX0000001" in error["message"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--record", "nope", "--barcode", "ZX0000002", "--at", "ZX"], "record_not_found"),
        (["--record", "990002180740203961", "--barcode", "ZX 02", "--at", "ZX"], "barcode_invalid"),
        (
            ["--record", "990002180740203961", "--barcode", "ZX0000002", "--at", "XX"],
            "point_not_found",
        ),
        (
            ["--record", "990002180740203961", "--barcode", "ZX0000002", "--at", "ZC"],
            "point_cannot_hold_items",
        ),
        (
            [
                "--record",
                "990002180740203961",
                "--barcode",
                "ZX0000002",
                "--at",
                "ZX",
                "--type",
                "COMIC",
            ],
            "item_type_unknown",
        ),
        (
            [
                "--record",
                "990002180740203961",
                "--barcode",
                "ZX0000002",
                "--at",
                "ZX",
                "--price",
                "45.805",
            ],
            "price_invalid",
        ),
    ],
)
def test_item_add_explains_what_is_wrong(
    catalogue: dict[str, str], args: list[str], code: str
) -> None:
    result = wenjin("item", "add", *args, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == code


def test_an_unknown_barcode_is_an_error(catalogue: dict[str, str]) -> None:
    result = wenjin("item", "show", "NOPE0001")
    assert result.exit_code == 1
    assert "NOPE0001" in result.stderr
