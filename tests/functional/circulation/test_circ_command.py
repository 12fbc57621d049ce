"""``wenjin circ``: the desk commands, their JSON, and refusals that exit non-zero."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from wenjin.circulation.services import checkout
from wenjin.cli.main import app
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.patrons.queries import network_today

runner = CliRunner()
ADULT, SENIOR = "ZC00012345", "ZC00012346"


def wenjin(*args: str, ok: bool = True) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert (result.exit_code == 0) is ok, result.output
    return json.loads(result.stdout)


def test_checkout_prints_the_loan_as_json(library: Any) -> None:
    body = wenjin("circ", "checkout", "--at", "ZC", "--patron", ADULT, "--item", "ZC01000001")
    assert body["item"] == "ZC01000001"
    assert body["patron"] == ADULT
    assert body["point"] == "ZC"
    assert body["title"] == "平凡的世界"
    assert isinstance(body["loan_id"], int)
    due = body["due_on"]
    assert due >= (network_today() + timedelta(days=30)).isoformat()


def test_a_refused_checkout_exits_non_zero_with_the_reason(library: Any) -> None:
    body = wenjin(
        "circ", "checkout", "--at", "ZC", "--patron", ADULT, "--item", "ZC04000001", ok=False
    )
    error = body["error"]
    assert error["code"] == "item_type_not_lendable"
    assert "仅供馆内阅览" in error["message"]
    assert "library only" in error["message_en"]


def test_a_refusal_without_json_is_read_out_in_both_languages(library: Any) -> None:
    result = runner.invoke(
        app, ["circ", "checkout", "--at", "ZC", "--patron", "ZC99999999", "--item", "ZC01000001"]
    )
    assert result.exit_code == 1
    assert "ZC99999999" in result.stderr


def test_checkin_elsewhere_says_where_the_item_goes(library: Any) -> None:
    lent = wenjin("circ", "checkout", "--at", "ZC", "--patron", ADULT, "--item", "ZC01000001")
    body = wenjin("circ", "checkin", "--at", "ZC-CC", "--item", "ZC01000001")
    assert body["returned"] is True
    assert body["loan_id"] == lent["loan_id"]
    assert (body["fine_fen"], body["in_transit"], body["destination"]) == (0, True, "ZC")
    assert body["slip"] == "请放入送往 诸城市图书馆 的周转箱"
    transits = wenjin("circ", "transits", "--at", "ZC-CC")
    assert [line["barcode"] for line in transits["to_send"]] == ["ZC01000001"]
    assert transits["expected"] == []
    assert [line["barcode"] for line in wenjin("circ", "transits", "--at", "ZC")["expected"]] == [
        "ZC01000001"
    ]
    received = wenjin("circ", "receive", "--at", "ZC", "--item", "ZC01000001")
    assert received["outcome"] == "received"
    assert received["in_transit"] is False


def test_renew_prints_the_new_due_date_and_renewals_left(library: Any, engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        checkout(
            uow.session,
            at="ZC",
            card_number=ADULT,
            barcode="ZC01000001",
            now=utcnow() - timedelta(days=20),
        )
        uow.commit()
    body = wenjin("circ", "renew", "--at", "ZC", "--item", "ZC01000001")
    assert (body["renewals"], body["renewals_left"]) == (1, 0)
    assert body["due_on"] > body["previous_due_on"]
    again = wenjin("circ", "renew", "--at", "ZC", "--item", "ZC01000001", ok=False)
    assert again["error"]["code"] == "renewals_used_up"


def test_renew_all_renews_every_loan_of_a_reader_and_names_the_refused(
    library: Any, engine: Engine
) -> None:
    with UnitOfWork(engine) as uow:
        for barcode in ("ZC01000001", "ZC01000002"):
            checkout(
                uow.session,
                at="ZC",
                card_number=ADULT,
                barcode=barcode,
                now=utcnow() - timedelta(days=20),
            )
        uow.commit()
    wenjin("circ", "renew", "--at", "ZC", "--item", "ZC01000002")
    body = wenjin("circ", "renew", "--at", "ZC", "--patron", ADULT, "--all", ok=False)
    assert [line["item"] for line in body["renewed"]] == ["ZC01000001"]
    assert [(line["item"], line["code"]) for line in body["refused"]] == [
        ("ZC01000002", "renewals_used_up")
    ]


def test_renew_without_an_item_or_a_reader_says_what_to_give(library: Any) -> None:
    body = wenjin("circ", "renew", "--at", "ZC", ok=False)
    assert "--patron CARD --all" in body["error"]["message"]


def test_loans_lists_what_a_reader_has_out(library: Any) -> None:
    wenjin("circ", "checkout", "--at", "ZC", "--patron", SENIOR, "--item", "ZC01000002")
    body = wenjin("circ", "loans", "--patron", SENIOR)
    assert body["name"] == "李娜"
    (line,) = body["loans"]
    assert (line["barcode"], line["status"], line["overdue"]) == ("ZC01000002", "open", False)


def test_lost_found_and_damaged_at_the_desk(library: Any) -> None:
    wenjin("circ", "checkout", "--at", "ZC", "--patron", ADULT, "--item", "ZC01000002")
    lost = wenjin("circ", "lost", "--at", "ZC", "--item", "ZC01000002")
    assert lost["charged_fen"] == 2800
    found = wenjin("circ", "found", "--at", "ZC", "--item", "ZC01000002")
    assert found["outcome"] == "found"
    assert found["returned"] is True
    damaged = wenjin("circ", "damaged", "--at", "ZC", "--item", "ZC01000002", "--note", "缺页")
    assert damaged["status"] == "damaged"
    assert "缺页" in damaged["note"]
    repaired = wenjin("circ", "repaired", "--at", "ZC", "--item", "ZC01000002")
    assert repaired["outcome"] == "repaired"


def test_the_log_of_an_item_lists_every_change_newest_first(library: Any) -> None:
    wenjin(
        "circ",
        "checkout",
        "--at",
        "ZC",
        "--patron",
        ADULT,
        "--item",
        "ZC01000001",
        "--by",
        "刘老师",
    )
    wenjin("circ", "checkin", "--at", "ZC", "--item", "ZC01000001")
    body = wenjin("circ", "log", "--item", "ZC01000001")
    assert [e["action"] for e in body["events"]] == ["checkin", "checkout"]
    assert body["events"][1]["actor"] == "刘老师"
    by_reader = wenjin("circ", "log", "--patron", ADULT)
    assert len(by_reader["events"]) == 2
    neither = wenjin("circ", "log", ok=False)
    assert neither["error"]["code"] == "invalid_input"


def test_the_real_command_exits_non_zero_with_a_json_refusal(
    library: Any, engine: Engine, cli_env: dict[str, str]
) -> None:
    with UnitOfWork(engine) as uow:
        checkout(uow.session, at="ZC", card_number=SENIOR, barcode="ZC01000003")
        uow.commit()
    exe = Path(sys.executable).with_name("wenjin")
    refused = subprocess.run(
        [
            exe,
            "circ",
            "checkout",
            "--at",
            "ZC",
            "--patron",
            ADULT,
            "--item",
            "ZC01000003",
            "--json",
        ],
        env={**os.environ, **cli_env},
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    error = json.loads(refused.stdout)["error"]
    assert error["code"] == "item_on_loan"
    assert "先为此书办理还书" in error["message"]


def test_the_desk_reads_plain_text_too(library: Any) -> None:
    def run(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "应还日期" in run(
        "circ", "checkout", "--at", "ZC", "--patron", ADULT, "--item", "ZC01000001"
    )
    assert "平凡的世界" in run("circ", "loans", "--patron", ADULT)
    assert "周转箱" in run("circ", "checkin", "--at", "ZC-CC", "--item", "ZC01000001")
    assert "ZC01000001" in run("circ", "transits", "--at", "ZC-CC")
    assert "checkin" in run("circ", "log", "--item", "ZC01000001")
    assert "借阅规则" in run("policy", "list")
