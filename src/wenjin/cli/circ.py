"""``wenjin circ``: the circulation desk — checkout, checkin, renew, transits, lost and found.

Every command goes through the same service functions as the API and the
self-check kiosks. A refusal exits with status 1 and the reason (a JSON error
body with ``code``, ``message`` and ``message_en`` under ``--json``).
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from wenjin.circulation.lookups import desk_patron_by_card
from wenjin.circulation.queries import (
    TransitLine,
    events,
    item_by_barcode,
    loans_of_patron,
    transits_expected,
    transits_to_send,
)
from wenjin.circulation.services import (
    CheckinResult,
    RenewResult,
    checkin,
    checkout,
    declare_lost,
    found,
    mark_damaged,
    mark_repaired,
    receive_transit,
    renew,
    renew_all,
)
from wenjin.cli.common import (
    ActorOption,
    AtOption,
    ItemOption,
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    fail,
)
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today

app = typer.Typer(
    help="流通 Circulation: checkout, checkin, renew anywhere (通借通还), transits",
    no_args_is_help=True,
)


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


@app.command("checkout")
def checkout_command(
    ctx: typer.Context,
    at: str = AtOption,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    item: str = ItemOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """借书 Lend an item to the reader holding a card."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = checkout(uow.session, at=at, card_number=patron, barcode=item, actor=by)
        uow.commit()
    if as_json:
        emit_json(
            {
                "loan_id": result.loan_id,
                "item": result.barcode,
                "title": result.title,
                "patron": result.card_number,
                "patron_name": result.patron_name,
                "due_on": result.due_on,
                "point": result.point_code,
                "rule_id": result.rule_id,
                "renewals_allowed": result.renewals_allowed,
            }
        )
        return
    console.print(
        f"[green]借出 Lent[/] 《{result.title}》{result.barcode} → {result.patron_name} "
        f"{result.card_number}"
    )
    console.print(f"应还日期 Due: [bold]{result.due_on.isoformat()}[/]")


def _checkin_json(result: CheckinResult) -> dict[str, Any]:
    return {
        "outcome": result.outcome,
        "returned": result.returned,
        "loan_id": result.loan_id,
        "item": result.barcode,
        "title": result.title,
        "point": result.point_code,
        "due_on": result.due_on,
        "open_days_late": result.open_days_late,
        "fine_fen": result.fine_fen,
        "fine_waived_by_amnesty": result.fine_waived_by_amnesty,
        "destination": result.destination_code,
        "destination_name": result.destination_name,
        "in_transit": result.in_transit,
        "transit_id": result.transit_id,
        "floated": result.floated,
        "hold_id": result.hold_id,
        "slip": result.slip.zh,
        "slip_en": result.slip.en,
    }


def _print_checkin(result: CheckinResult, verb: str) -> None:
    console.print(f"[green]{verb}[/] 《{result.title}》{result.barcode}")
    if result.fine_fen:
        console.print(f"[bold red]滞纳金 Fine: {_yuan(result.fine_fen)}[/]")
    style = "bold yellow" if result.in_transit else "bold"
    console.print(f"[{style}]{result.slip.zh}[/]\n[dim]{result.slip.en}[/]")


@app.command("checkin")
def checkin_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str = ItemOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """还书 Take an item back at any lending point; prints where it goes next."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = checkin(uow.session, at=at, barcode=item, actor=by)
        uow.commit()
    if as_json:
        emit_json(_checkin_json(result))
    else:
        _print_checkin(result, "还书 Checked in" if result.returned else "已处理 Handled")


@app.command("renew")
def renew_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str | None = typer.Option(None, "--item", help="册条码 item barcode"),
    patron: str | None = typer.Option(
        None, "--patron", help="读者证号 card number (with --all: renew every loan)"
    ),
    renew_everything: bool = typer.Option(
        False, "--all", help="一键续借 renew every loan of --patron"
    ),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """续借 Renew the loan of an item, or every loan of a reader (--patron CARD --all).

    With --all the exit status is 1 when any loan was refused (the others stay renewed).
    """
    if renew_everything != (patron is not None) or (item is not None) == renew_everything:
        fail(
            "请给出 --item 条码，或 --patron 证号 --all · give --item BARCODE, or --patron CARD --all",
            as_json=as_json,
            code="usage",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    if renew_everything:
        assert patron is not None
        _renew_all(app_ctx, at=at, card=patron, by=by, as_json=as_json)
        return
    assert item is not None
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = renew(uow.session, at=at, barcode=item, actor=by)
        uow.commit()
    if as_json:
        emit_json(_renewal_json(result))
        return
    _print_renewal(result)


def _renewal_json(result: RenewResult) -> dict[str, Any]:
    return {
        "loan_id": result.loan_id,
        "item": result.barcode,
        "title": result.title,
        "due_on": result.due_on,
        "previous_due_on": result.previous_due_on,
        "renewals": result.renewals,
        "renewals_left": result.renewals_left,
    }


def _print_renewal(result: RenewResult) -> None:
    console.print(
        f"[green]续借 Renewed[/] 《{result.title}》{result.barcode}: "
        f"{result.previous_due_on.isoformat()} → [bold]{result.due_on.isoformat()}[/] "
        f"（还可续借 {result.renewals_left} 次 renewals left）"
    )


def _renew_all(app_ctx: Any, *, at: str, card: str, by: str | None, as_json: bool) -> None:
    with domain_errors(as_json), app_ctx.uow() as uow:
        outcome = renew_all(uow.session, at=at, card_number=card, actor=by)
        uow.commit()
    if as_json:
        emit_json(
            {
                "patron": outcome.card_number,
                "renewed": [_renewal_json(result) for result in outcome.renewed],
                "refused": [
                    {
                        "item": refusal.barcode,
                        "title": refusal.title,
                        "due_on": refusal.due_on,
                        "code": refusal.error.code,
                        "message": refusal.error.message_zh,
                        "message_en": refusal.error.message_en,
                    }
                    for refusal in outcome.refused
                ],
            }
        )
    else:
        if not outcome.renewed and not outcome.refused:
            console.print(f"读者 {outcome.card_number} 没有在借图书 · no loans to renew")
        for result in outcome.renewed:
            _print_renewal(result)
        for refusal in outcome.refused:
            console.print(
                f"[red]未续借 Not renewed[/] 《{refusal.title}》{refusal.barcode} "
                f"(应还 due {refusal.due_on.isoformat()}): {refusal.error.message_zh}"
                f" · {refusal.error.message_en}"
            )
    if outcome.refused:
        raise typer.Exit(1)


def _transit_table(title: str, lines: list[TransitLine], *, show_to: bool) -> Table:
    table = Table(title=title)
    table.add_column("条码 Barcode")
    table.add_column("题名 Title")
    table.add_column("索书号 Call no.")
    table.add_column("送往 To" if show_to else "来自 From")
    table.add_column("原因 Reason")
    table.add_column("已发出 Sent")
    for line in lines:
        where = (
            f"{line.to_point_name} {line.to_point}"
            if show_to
            else f"{line.from_point_name} {line.from_point}"
        )
        table.add_row(
            line.barcode,
            line.title,
            line.call_number or "",
            where,
            line.reason.label_zh,
            "是" if line.sent_at else "否",
        )
    return table


@app.command("transits")
def transits_command(ctx: typer.Context, at: str = AtOption, as_json: bool = JsonOption) -> None:
    """调拨清单 What to send from this point, and what to expect here."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        point = get_point_by_code(uow.session, at)
        code, name = point.code, point.name
        to_send = transits_to_send(uow.session, point)
        expected = transits_expected(uow.session, point)
    if as_json:
        emit_json({"point": code, "to_send": to_send, "expected": expected})
        return
    console.print(_transit_table(f"待发出 To send from {name}", to_send, show_to=True))
    console.print(_transit_table(f"待接收 Expected at {name}", expected, show_to=False))


@app.command("receive")
def receive_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str = ItemOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """调拨接收 Receive an item in transit (at the wrong point it is sent on)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = receive_transit(uow.session, at=at, barcode=item, actor=by)
        uow.commit()
    if as_json:
        emit_json(_checkin_json(result))
    else:
        _print_checkin(result, "已接收 Received")


@app.command("loans")
def loans_command(
    ctx: typer.Context,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    history: bool = typer.Option(False, "--all", help="include returned loans"),
    as_json: bool = JsonOption,
) -> None:
    """在借 A reader's current loans (or all of them with --all)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        reader = desk_patron_by_card(uow.session, patron)
        lines = loans_of_patron(
            uow.session, reader.patron_id, today=network_today(), current_only=not history
        )
    if as_json:
        emit_json({"patron": reader.card_number, "name": reader.name, "loans": lines})
        return
    table = Table(title=f"{reader.name} {reader.card_number}")
    for header in ("条码 Barcode", "题名 Title", "借出 Out", "应还 Due", "状态 Status", "续借"):
        table.add_column(header)
    for line in lines:
        due = line.due_on.isoformat() + (" [red]超期[/]" if line.overdue else "")
        table.add_row(
            line.barcode,
            line.title,
            line.checkout_point,
            due,
            line.status.label_zh,
            f"{line.renewals}（余 {line.renewals_left}）",
        )
    console.print(table)


@app.command("lost")
def lost_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str = ItemOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """读者报失 The reader has lost the item: charges the replacement price."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = declare_lost(uow.session, barcode=item, at=at, actor=by)
        uow.commit()
    if as_json:
        emit_json(
            {
                "loan_id": result.loan_id,
                "item": result.barcode,
                "title": result.title,
                "charged_fen": result.charged_fen,
                "fee_id": result.fee_id,
            }
        )
        return
    console.print(
        f"[yellow]已报失 Declared lost[/] 《{result.title}》{result.barcode}；"
        f"赔偿 charged {_yuan(result.charged_fen)}"
    )


@app.command("found")
def found_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str = ItemOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """找回 A lost or missing item turned up: settles the loss charges, sends it home."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = found(uow.session, barcode=item, at=at, actor=by)
        uow.commit()
    if as_json:
        emit_json(_checkin_json(result))
    else:
        _print_checkin(result, "已找回 Found")


@app.command("damaged")
def damaged_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str = ItemOption,
    note: str = typer.Option(..., "--note", help="破损情况 what is damaged"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """登记破损 Take a damaged item out of circulation, with a note."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        damaged = mark_damaged(uow.session, barcode=item, at=at, note=note, actor=by)
        result = {"item": damaged.barcode, "status": damaged.status, "note": damaged.note}
        uow.commit()
    if as_json:
        emit_json(result)
    else:
        console.print(f"[yellow]已登记破损 Marked damaged[/] {result['item']}")


@app.command("repaired")
def repaired_command(
    ctx: typer.Context,
    at: str = AtOption,
    item: str = ItemOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """登记修复 A damaged item is repaired: back on the shelf here, or home."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = mark_repaired(uow.session, barcode=item, at=at, actor=by)
        uow.commit()
    if as_json:
        emit_json(_checkin_json(result))
    else:
        _print_checkin(result, "已修复 Repaired")


@app.command("log")
def log_command(
    ctx: typer.Context,
    item: str | None = typer.Option(None, "--item", help="册条码 item barcode"),
    patron: str | None = typer.Option(None, "--patron", help="读者证号 card number"),
    limit: int = typer.Option(100, "--limit"),
    as_json: bool = JsonOption,
) -> None:
    """流通日志 The circulation log of an item or a reader, newest first."""
    if (item is None) == (patron is None):
        fail(
            "请给出 --item 或 --patron 之一 / give exactly one of --item and --patron",
            as_json=as_json,
            code="invalid_input",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        if item is not None:
            the_item = item_by_barcode(uow.session, item)
            lines = events(uow.session, item_id=the_item.id, limit=limit)
        else:
            assert patron is not None
            reader = desk_patron_by_card(uow.session, patron)
            lines = events(uow.session, patron_id=reader.patron_id, limit=limit)
    if as_json:
        emit_json({"events": lines})
        return
    table = Table(title="流通日志 Circulation log")
    for header in (
        "时间 At (UTC)",
        "动作 Action",
        "服务点 Point",
        "条码 Item",
        "经办 By",
        "变化 After",
    ):
        table.add_column(header)
    for line in lines:
        table.add_row(
            line.at.strftime("%Y-%m-%d %H:%M:%S"),
            line.action,
            line.point or "",
            line.barcode or "",
            line.actor or "",
            ", ".join(f"{k}={v}" for k, v in (line.after or {}).items()),
        )
    console.print(table)
