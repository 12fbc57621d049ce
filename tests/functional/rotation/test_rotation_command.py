"""``wenjin rotation``: a collection created, filled from a file, sent, received, recalled."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from wenjin.cli.main import app

runner = CliRunner()


def wenjin(*args: str, ok: bool = True) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert (result.exit_code == 0) is ok, result.output
    return json.loads(result.stdout)


def test_a_collection_goes_round_its_plan_from_the_command_line(
    library: Any, network: Any, tmp_path: Path
) -> None:
    plan = wenjin(
        "rotation",
        "plan",
        "create",
        "LDZ",
        "--name",
        "流动站轮换",
        "--stations",
        "ZC-L01,ZC-L02",
        "--stay-days",
        "60",
    )
    assert [stop["point"] for stop in plan["stops"]] == ["ZC-L01", "ZC-L02"]
    wenjin(
        "rotation", "create", "LD-001", "--name", "第一流动书箱", "--home", "ZC", "--plan", "LDZ"
    )
    barcodes = tmp_path / "batch.txt"
    barcodes.write_text("# 第一批\n" + "\n".join(network.BATCH_BARCODES) + "\n", encoding="utf-8")
    added = wenjin("rotation", "add", "LD-001", "--file", str(barcodes))
    assert added["added"] == network.BATCH_BARCODES

    sent = wenjin("rotation", "send", "LD-001")
    assert (sent["destination"], len(sent["sent"])) == ("ZC-L01", 6)
    received = wenjin("rotation", "receive", "LD-001", "--at", "ZC-L01")
    assert (received["status"], len(received["received"])) == ("at_station", 6)

    shown = wenjin("rotation", "show", "LD-001")
    assert shown["collection"]["station"] == "ZC-L01"
    assert shown["items_by_status"] == {"available": 6}
    listed = wenjin("rotation", "list", "--at", "ZC-L01")
    assert [c["code"] for c in listed["collections"]] == ["LD-001"]

    recalled = wenjin("rotation", "recall", "LD-001", "--next")
    assert recalled["destination"] == "ZC-L02"
    shown = wenjin("rotation", "show", "LD-001")
    assert [stay["point"] for stay in shown["stays"]] == ["ZC-L01", "ZC-L02"]
    due = wenjin("rotation", "plan", "due", "--date", "2099-01-01")
    assert due["due"] == []


def test_refusals_exit_non_zero_with_the_reason(library: Any) -> None:
    wenjin("rotation", "create", "LD-001", "--name", "第一流动书箱", "--home", "ZC")
    empty = wenjin("rotation", "send", "LD-001", "--to", "ZC-L01", ok=False)
    assert empty["error"]["code"] == "collection_empty"
    no_plan = wenjin("rotation", "add", "LD-001", "--item", "ZC08000001")
    assert no_plan["added"] == ["ZC08000001"]
    refused = wenjin("rotation", "send", "LD-001", ok=False)
    assert "--to" in refused["error"]["message_en"]
    unknown = wenjin("rotation", "show", "LD-999", ok=False)
    assert unknown["error"]["code"] == "collection_not_found"
    bad_kind = wenjin(
        "rotation", "create", "LD-002", "--name", "x", "--home", "ZC", "--kind", "box", ok=False
    )
    assert "rotating" in bad_kind["error"]["message"]


def test_the_show_command_prints_the_items_and_the_stays(library: Any) -> None:
    wenjin(
        "rotation",
        "create",
        "NJ-001",
        "--name",
        "王家庄寄存书箱",
        "--home",
        "ZC",
        "--kind",
        "deposit",
    )
    wenjin("rotation", "add", "NJ-001", "--item", "ZC08000002", "--item", "ZC08000003")
    wenjin("rotation", "send", "NJ-001", "--to", "ZC-V01")
    result = runner.invoke(app, ["rotation", "show", "NJ-001"])
    assert result.exit_code == 0, result.output
    assert "王家庄寄存书箱" in result.stdout
    assert "寄存书箱" in result.stdout
    assert "ZC08000002" in result.stdout
