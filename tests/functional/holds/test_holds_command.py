"""``wenjin holds`` and ``wenjin notices``: JSON, printable lists, refusals that exit non-zero."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from wenjin.cli.main import app

runner = CliRunner()
ADULT, SENIOR, DOCTOR = "ZC00012345", "ZC00012346", "ZC00020001"


def wenjin(*args: str, ok: bool = True) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert (result.exit_code == 0) is ok, result.output
    return json.loads(result.stdout)


def test_placing_a_hold_prints_it_with_the_copy_chosen(library: Any) -> None:
    body = wenjin(
        "holds",
        "place",
        "--patron",
        ADULT,
        "--record",
        str(library.santi_record),
        "--pickup",
        "ZC-CC",
    )
    assert body["status"] == "waiting"
    assert body["title"] == "三体"
    assert body["pickup"] == "ZC-CC"
    assert body["targeted_item"] == "ZC01000012"
    assert body["queue_position"] == 1


def test_a_refused_hold_exits_non_zero_with_the_reason_in_both_languages(library: Any) -> None:
    body = wenjin(
        "holds", "place", "--patron", ADULT, "--item", "ZC04000001", "--pickup", "ZC", ok=False
    )
    assert body["error"]["code"] == "nothing_to_hold"
    assert "不能预约" in body["error"]["message"]
    assert "cannot be held" in body["error"]["message_en"]
    plain = runner.invoke(
        app, ["holds", "place", "--patron", ADULT, "--item", "ZC01000002", "--pickup", "ZC-V01"]
    )
    assert plain.exit_code == 1
    assert "取书点" in plain.stderr
    assert "pickup point" in plain.stderr


def test_explain_shows_every_copy_and_why_the_chosen_one_won(library: Any) -> None:
    placed = wenjin("holds", "place", "--patron", ADULT, "--item", "ZC01000022", "--pickup", "ZC")
    body = wenjin("holds", "explain", str(placed["hold_id"]))
    first = body["copies"][0]
    assert first["barcode"] == "ZC01000022"
    assert first["chosen"] is True
    assert "物流 1 天" in first["why_zh"]
    others = {c["barcode"]: c for c in body["copies"][1:]}
    assert others["ZC01000002"]["why_en"] == "not the copy the hold names"
    printed = runner.invoke(app, ["holds", "explain", str(placed["hold_id"])])
    assert printed.exit_code == 0
    assert "ZC01000022" in printed.stdout


def test_the_pull_list_is_printable_and_json(library: Any) -> None:
    wenjin(
        "holds",
        "place",
        "--patron",
        ADULT,
        "--record",
        str(library.santi_record),
        "--pickup",
        "ZC-XX",
    )
    body = wenjin("holds", "pull-list", "--at", "ZC-XX")
    [line] = body["lines"]
    assert line["barcode"] == "ZC01000022"
    assert line["call_number"] == "I247.55/42"
    printed = runner.invoke(app, ["holds", "pull-list", "--at", "ZC-XX"])
    assert printed.exit_code == 0
    assert "ZC01000022" in printed.stdout
    assert "I247.55/42" in printed.stdout


def test_a_capture_at_checkin_shows_on_the_hold_shelf_and_queues_a_notice(library: Any) -> None:
    placed = wenjin(
        "holds",
        "place",
        "--patron",
        ADULT,
        "--record",
        str(library.santi_record),
        "--pickup",
        "ZC-XX",
    )
    checkin = wenjin("circ", "checkin", "--at", "ZC-XX", "--item", "ZC01000022")
    assert checkin["hold_id"] == placed["hold_id"]
    assert checkin["slip"].startswith("预约保留：王小明 ZC****2345")
    shelf = wenjin("holds", "shelf", "--at", "ZC-XX")
    assert [line["barcode"] for line in shelf["lines"]] == ["ZC01000022"]
    notices = wenjin("notices", "list", "--status", "queued", "--patron", ADULT)
    [notice] = notices["notices"]
    assert notice["kind"] == "hold_ready"
    assert "辛兴镇图书馆" in notice["text_zh"]
    listed = wenjin("holds", "list", "--patron", ADULT)
    assert listed["holds"][0]["status"] == "ready"


def test_cancel_suspend_resume_and_change_answer_in_json(library: Any) -> None:
    placed = wenjin(
        "holds",
        "place",
        "--patron",
        SENIOR,
        "--record",
        str(library.santi_record),
        "--pickup",
        "ZC",
    )
    hold = str(placed["hold_id"])
    assert (
        wenjin("holds", "suspend", hold, "--until", "2099-01-01")["suspended_until"] == "2099-01-01"
    )
    assert wenjin("holds", "resume", hold)["suspended_until"] is None
    assert wenjin("holds", "change", hold, "--pickup", "ZC-CC")["targeted_item"] == "ZC01000012"
    assert wenjin("holds", "cancel", hold, "--reason", "staff")["status"] == "cancelled"
    again = wenjin("holds", "cancel", hold, ok=False)
    assert again["error"]["code"] == "hold_not_active"


def test_expire_and_target_all_run_from_the_command_line(library: Any) -> None:
    wenjin(
        "holds",
        "place",
        "--patron",
        DOCTOR,
        "--record",
        str(library.santi_record),
        "--pickup",
        "ZC",
    )
    summary = wenjin("holds", "target", "--all")
    assert summary["holds"] == 1
    assert summary["kept"] == 1
    expired = wenjin("holds", "expire", "--date", "2026-12-31")
    assert expired["expired"] == []
    bad = wenjin("holds", "expire", "--date", "31/12/2026", ok=False)
    assert bad["error"]["code"] == "date_invalid"
