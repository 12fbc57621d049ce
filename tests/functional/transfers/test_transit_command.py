"""``wenjin transit``: send, list, manifest, cancel, lost, receive — JSON and refusals."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from wenjin.cli.main import app
from wenjin.patrons.queries import network_today

runner = CliRunner()


def wenjin(*args: str, ok: bool = True) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert (result.exit_code == 0) is ok, result.output
    return json.loads(result.stdout)


def test_a_transfer_sent_shows_in_both_lists_and_on_todays_manifest(library: Any) -> None:
    sent = wenjin(
        "transit",
        "send",
        "--at",
        "ZC",
        "--item",
        "ZC01000001",
        "--to",
        "ZC-XX",
        "--note",
        "读者预借",
    )
    assert (sent["status"], sent["from"], sent["to"], sent["item_status"]) == (
        "in_transit",
        "ZC",
        "ZC-XX",
        "in_transit",
    )
    outgoing = wenjin("transit", "list", "--at", "ZC", "--direction", "outgoing")
    assert [line["barcode"] for line in outgoing["outgoing"]] == ["ZC01000001"]
    assert "incoming" not in outgoing
    incoming = wenjin("transit", "list", "--at", "ZC-XX")
    assert [line["reason"] for line in incoming["incoming"]] == ["manual"]
    manifest = wenjin("transit", "manifest", "--at", "ZC", "--date", network_today().isoformat())
    assert manifest["leaving"] == 1
    (leg,) = manifest["legs"]
    assert leg["next_stop"] == "ZC-XX"
    assert leg["items"][0]["destination"] == "ZC-XX"
    dispatched = wenjin("transit", "dispatch", "--at", "ZC")
    assert dispatched["sent"] == 1
    received = wenjin("transit", "receive", "--at", "ZC-XX", "--item", "ZC01000001")
    assert received["outcome"] == "received"


def test_the_manifest_prints_a_table_per_courier_leg(library: Any) -> None:
    wenjin("transit", "send", "--at", "ZC", "--item", "ZC01000003", "--to", "ZC-XX")
    result = runner.invoke(app, ["transit", "manifest", "--at", "ZC"])
    assert result.exit_code == 0, result.output
    assert "物流交接单" in result.stdout
    assert "辛兴镇图书馆" in result.stdout
    assert "ZC01000003" in result.stdout


def test_a_cancelled_transfer_is_back_on_the_shelf(library: Any) -> None:
    wenjin("transit", "send", "--at", "ZC", "--item", "ZC01000001", "--to", "ZC-CC")
    body = wenjin("transit", "cancel", "--item", "ZC01000001", "--reason", "送错了")
    assert (body["status"], body["item_status"], body["item_point"]) == (
        "cancelled",
        "available",
        "ZC",
    )


def test_a_transit_lost_marks_the_item_and_a_wrong_status_is_refused(library: Any) -> None:
    wenjin("transit", "send", "--at", "ZC", "--item", "ZC01000001", "--to", "ZC-CC")
    refused = wenjin("transit", "lost", "--item", "ZC01000001", "--status", "damaged", ok=False)
    assert "missing" in refused["error"]["message"]
    body = wenjin("transit", "lost", "--item", "ZC01000001", "--status", "lost")
    assert (body["status"], body["item_status"]) == ("lost", "lost")


def test_sending_an_item_on_loan_is_refused_in_both_languages(library: Any, network: Any) -> None:
    wenjin("circ", "checkout", "--at", "ZC", "--patron", network.ADULT, "--item", "ZC01000002")
    body = wenjin(
        "transit", "send", "--at", "ZC", "--item", "ZC01000002", "--to", "ZC-CC", ok=False
    )
    assert body["error"]["code"] == "item_not_sendable"
    assert "借出" in body["error"]["message"]
    assert "on loan" in body["error"]["message_en"]
