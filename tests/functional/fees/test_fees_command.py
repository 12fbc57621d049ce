"""The ``wenjin fees`` command end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from wenjin.cli.main import app
from wenjin.db.uow import UnitOfWork
from wenjin.fees.services import charge_fee, charge_overdue
from wenjin.fees.states import FeeKind
from wenjin.patrons.queries import network_today

CARD = "ZC00012345"
NETWORK_TZ = ZoneInfo("Asia/Shanghai")


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, ["fees", *args])


def as_json(result: Result) -> Any:
    return json.loads(result.stdout)


def complains(result: Result, message: str) -> bool:
    """Whether stderr says ``message``, however Rich wrapped the lines."""
    return "".join(message.split()) in "".join(result.stderr.split())


def charge(engine: Engine, library: Any, *amounts_fen: int) -> list[int]:
    """Charge the reader for damaged books, one fee per amount, oldest first."""
    ids = []
    with UnitOfWork(engine) as uow:
        for day, amount in enumerate(amounts_fen, start=1):
            fee = charge_fee(
                uow.session,
                patron=library.reader,
                kind=FeeKind.DAMAGED,
                amount_fen=amount,
                point=library.central,
                item_id=library.novel,
                note="内页涂画",
                at=datetime(2026, 4, day, 10, tzinfo=NETWORK_TZ),
            )
            ids.append(fee.id)
        uow.commit()
    return ids


def test_a_readers_fees_are_shown_with_what_is_owed(engine: Engine, library: Any) -> None:
    charge(engine, library, 500, 1250)
    shown = wenjin("show", "--patron", CARD, "--json")
    assert shown.exit_code == 0, shown.output
    body = as_json(shown)
    assert body["patron"] == {"patron_id": library.reader, "card": CARD, "name": "王小明"}
    assert body["outstanding_fen"] == 1750
    assert [(f["kind"], f["balance_fen"], f["item"]) for f in body["fees"]] == [
        ("damaged", 500, "ZC01000001"),
        ("damaged", 1250, "ZC01000001"),
    ]

    text = wenjin("show", "--patron", CARD)
    assert text.exit_code == 0
    assert "未缴合计 Owes: ¥17.50" in text.stdout
    assert "平凡的世界" in text.stdout


def test_a_payment_in_yuan_pays_the_oldest_fee_first_and_prints_its_receipt(
    engine: Engine, library: Any
) -> None:
    first, second = charge(engine, library, 500, 1250)
    paid = wenjin(
        "pay",
        "--patron",
        CARD,
        "--amount",
        "12.50",
        "--method",
        "wechat",
        "--at",
        "ZC-XD",
        "--by",
        "张敏",
        "--json",
    )
    assert paid.exit_code == 0, paid.output
    body = as_json(paid)
    today = network_today()
    assert body["receipt_number"] == f"JF-{today:%Y%m%d}-000001"
    assert (body["amount_fen"], body["method"], body["point"]) == (1250, "wechat", "ZC-XD")
    assert [(a["fee_id"], a["amount_fen"], a["status"]) for a in body["allocations"]] == [
        (first, 500, "paid"),
        (second, 750, "open"),
    ]
    assert body["outstanding_fen"] == 500

    text = wenjin("pay", "--patron", CARD, "--amount", "5", "--method", "现金", "--at", "ZC")
    assert text.exit_code == 0, text.output
    assert f"收据号 Receipt: JF-{today:%Y%m%d}-000002" in text.stdout
    assert "仍欠 Still owes: ¥0.00" in text.stdout


def test_an_overpayment_is_refused_naming_what_is_owed(engine: Engine, library: Any) -> None:
    charge(engine, library, 500)
    refused = wenjin("pay", "--patron", CARD, "--amount", "10", "--method", "cash", "--at", "ZC")
    assert refused.exit_code == 1
    assert complains(refused, "应缴 ¥5.00，收款 ¥10.00 超出应缴金额")
    as_json_refused = wenjin(
        "pay", "--patron", CARD, "--amount", "10", "--method", "cash", "--at", "ZC", "--json"
    )
    assert as_json_refused.exit_code == 1
    assert as_json(as_json_refused)["error"]["code"] == "overpayment"
    assert as_json(wenjin("show", "--patron", CARD, "--json"))["outstanding_fen"] == 500


def test_an_amount_with_more_than_two_decimals_is_refused(engine: Engine, library: Any) -> None:
    charge(engine, library, 500)
    refused = wenjin(
        "pay", "--patron", CARD, "--amount", "1.255", "--method", "cash", "--at", "ZC", "--json"
    )
    assert refused.exit_code == 1
    error = as_json(refused)["error"]
    assert error["code"] == "amount_invalid"
    assert "最多两位小数" in error["message"]


def test_an_unknown_payment_method_or_card_is_refused(engine: Engine, library: Any) -> None:
    charge(engine, library, 500)
    bad_method = wenjin(
        "pay", "--patron", CARD, "--amount", "1", "--method", "paypal", "--at", "ZC"
    )
    assert bad_method.exit_code == 1
    assert complains(bad_method, "cash, wechat, alipay, card")
    unknown = wenjin("show", "--patron", "ZC99999999", "--json")
    assert unknown.exit_code == 1
    assert as_json(unknown)["error"]["code"] == "card_not_found"


def test_a_fee_is_waived_in_part_with_a_reason(engine: Engine, library: Any) -> None:
    [fee_id] = charge(engine, library, 500)
    waived = wenjin(
        "waive", str(fee_id), "--reason", "读者住院两周", "--amount", "2", "--at", "ZC", "--json"
    )
    assert waived.exit_code == 0, waived.output
    body = as_json(waived)
    assert (body["amount_fen"], body["reason"]) == (200, "读者住院两周")
    assert (body["fee"]["waived_fen"], body["fee"]["balance_fen"]) == (200, 300)
    assert body["outstanding_fen"] == 300


def test_a_waiver_without_a_reason_is_refused(engine: Engine, library: Any) -> None:
    [fee_id] = charge(engine, library, 500)
    refused = wenjin("waive", str(fee_id), "--reason", "  ")
    assert refused.exit_code == 1
    assert complains(refused, "减免必须写明原因")
    assert wenjin("waive", str(fee_id)).exit_code == 2  # --reason is a required option


def test_a_charge_made_in_error_is_cancelled_and_refunded(engine: Engine, library: Any) -> None:
    [fee_id] = charge(engine, library, 500)
    assert (
        wenjin(
            "pay", "--patron", CARD, "--amount", "5", "--method", "alipay", "--at", "ZC"
        ).exit_code
        == 0
    )
    cancelled = wenjin("cancel", str(fee_id), "--reason", "误记损坏", "--at", "ZC", "--json")
    assert cancelled.exit_code == 0, cancelled.output
    body = as_json(cancelled)
    assert body["action"] == "refunded"
    assert body["refund"]["method"] == "alipay"
    assert body["refund"]["receipt_number"].startswith("TK-")
    assert body["fee"]["status"] == "refunded"

    takings = as_json(wenjin("takings", "--at", "ZC", "--json"))
    [row] = takings["points"]
    assert (row["taken_fen"], row["refunded_fen"], row["net_fen"]) == (500, 500, 0)


def test_a_damaged_item_is_charged_from_the_desk(engine: Engine, library: Any) -> None:
    charged = wenjin(
        "charge",
        "--patron",
        CARD,
        "--kind",
        "damaged",
        "--amount",
        "15",
        "--at",
        "ZC",
        "--item",
        "ZC01000001",
        "--note",
        "封面撕破",
        "--json",
    )
    assert charged.exit_code == 0, charged.output
    body = as_json(charged)
    assert (body["fee"]["kind"], body["fee"]["amount_fen"], body["fee"]["item"]) == (
        "damaged",
        1500,
        "ZC01000001",
    )
    assert body["outstanding_fen"] == 1500
    refused = wenjin("charge", "--patron", CARD, "--kind", "overdue", "--amount", "1", "--at", "ZC")
    assert refused.exit_code == 1
    assert complains(refused, "逾期和丢失由借还系统自动收取")


def test_an_amnesty_day_is_added_at_a_branch_and_listed_with_what_it_waived(
    engine: Engine, library: Any, fee_library: ModuleType
) -> None:
    added = wenjin(
        "amnesty",
        "add",
        "--name",
        "4·23世界读书日特别还书日",
        "--from",
        "2026-04-23",
        "--to",
        "2026-04-23",
        "--at",
        "ZC-XD",
        "--by",
        "馆长办公室",
        "--json",
    )
    assert added.exit_code == 0, added.output
    window = as_json(added)["window"]
    assert (window["points"], window["whole_network"], window["active"]) == (["ZC-XD"], False, True)

    with UnitOfWork(engine) as uow:
        for point_id in (library.village, library.school):
            loan = fee_library.make_loan(
                uow.session,
                item_id=library.novel if point_id == library.village else library.scifi,
                patron_id=library.reader,
                point_id=library.central,
                due_on=date(2026, 4, 10),
                returned_on=fee_library.BOOK_DAY,
                return_point_id=point_id,
            )
            charge_overdue(
                uow.session,
                loan=loan,
                returned_at_point=point_id,
                returned_on=fee_library.BOOK_DAY,
                open_days_late=12,
                per_day_fen=10,
                max_fen=2000,
                actor=None,
            )
        uow.commit()

    listed = as_json(wenjin("amnesty", "list", "--json"))["windows"]
    assert [(w["name"], w["fines_waived"], w["waived_fen"]) for w in listed] == [
        ("4·23世界读书日特别还书日", 1, 120)
    ]
    # the return at the school library, outside the branch, was fined
    assert as_json(wenjin("show", "--patron", CARD, "--json"))["outstanding_fen"] == 120

    ended = wenjin("amnesty", "end", str(window["id"]), "--json")
    assert ended.exit_code == 0, ended.output
    assert as_json(ended)["window"]["active"] is False
    assert as_json(wenjin("amnesty", "list", "--active", "--json"))["windows"] == []


def test_an_amnesty_that_ends_before_it_starts_or_at_an_unknown_point_is_refused(
    library: Any,
) -> None:
    reversed_dates = wenjin(
        "amnesty", "add", "--name", "读书日", "--from", "2026-04-23", "--to", "2026-04-22"
    )
    assert reversed_dates.exit_code == 1
    assert complains(reversed_dates, "结束日期 2026-04-22 早于开始日期 2026-04-23")
    unknown = wenjin(
        "amnesty",
        "add",
        "--name",
        "读书日",
        "--from",
        "2026-04-23",
        "--to",
        "2026-04-23",
        "--at",
        "ZC-NOPE",
        "--json",
    )
    assert unknown.exit_code == 1
    assert as_json(unknown)["error"]["code"] == "point_not_found"
    bad_date = wenjin(
        "amnesty", "add", "--name", "读书日", "--from", "4月23日", "--to", "2026-04-23"
    )
    assert bad_date.exit_code == 1
    assert complains(bad_date, "不是日期")


def test_the_days_takings_are_listed_per_point(engine: Engine, library: Any) -> None:
    charge(engine, library, 500, 300)
    for amount, method, point in (("5", "cash", "ZC"), ("3", "wechat", "ZC-XD")):
        assert (
            wenjin(
                "pay", "--patron", CARD, "--amount", amount, "--method", method, "--at", point
            ).exit_code
            == 0
        )
    body = as_json(wenjin("takings", "--json"))
    assert [(p["point"], p["taken_fen"]) for p in body["points"]] == [("ZC", 500), ("ZC-XD", 300)]
    assert body["total"]["net_fen"] == 800
    subtree = as_json(wenjin("takings", "--at", "ZC-XD", "--subtree", "--json"))
    assert [p["point"] for p in subtree["points"]] == ["ZC-XD", "ZC-XD-V01"]
    text = wenjin("takings")
    assert text.exit_code == 0
    assert "收费日报" in text.stdout
    assert "¥8.00" in text.stdout
