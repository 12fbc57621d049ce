"""``wenjin fees``: what a reader owes, taking payments, waivers, the day's takings, and
amnesty days (特别还书日).

Amounts are typed in yuan (``--amount 12.50``) and kept as fen; ``--json`` output
carries fen (``amount_fen``) so that no float ever touches money.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import Item
from wenjin.cli.common import (
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    fail,
    parse_date,
)
from wenjin.config import get_settings
from wenjin.fees.errors import yuan
from wenjin.fees.models import AmnestyWindow
from wenjin.fees.queries import (
    FeeLine,
    PointTakings,
    amnesty_effects,
    daily_takings,
    fee_account,
    fee_line,
    fee_lines,
    list_amnesty_windows,
    outstanding_fen,
)
from wenjin.fees.rules import parse_amount_fen
from wenjin.fees.services import (
    add_amnesty_window,
    cancel_fee,
    charge_fee,
    end_amnesty_window,
    pay_fees,
    waive_fee,
)
from wenjin.fees.states import FeeKind, PaymentMethod
from wenjin.network.models import ServicePoint
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.patrons.queries import get_patron_by_card, network_today

app = typer.Typer(
    help="费用 Fees: fines, lost items, payments, waivers, amnesty days (特别还书日)",
    no_args_is_help=True,
)
amnesty_app = typer.Typer(
    help="特别还书日 Amnesty days: fines waived for returns", no_args_is_help=True
)
app.add_typer(amnesty_app, name="amnesty")

_METHODS = "|".join(m.value for m in PaymentMethod)
_CHARGE_KINDS = (FeeKind.DAMAGED, FeeKind.CARD_REPLACEMENT, FeeKind.OTHER)


def _local(moment: datetime) -> datetime:
    """A stored UTC moment as the desk reads it: in the network's time zone."""
    return moment.astimezone(get_settings().tz)


def _fee_json(line: FeeLine) -> dict[str, Any]:
    return {
        "fee_id": line.fee_id,
        "kind": line.kind,
        "kind_zh": line.kind_zh,
        "status": line.status,
        "status_zh": line.status_zh,
        "amount_fen": line.amount_fen,
        "paid_fen": line.paid_fen,
        "waived_fen": line.waived_fen,
        "cancelled_fen": line.cancelled_fen,
        "refunded_fen": line.refunded_fen,
        "balance_fen": line.balance_fen,
        "charged_at": line.charged_at,
        "point": line.point,
        "item": line.barcode,
        "title": line.title,
        "loan_id": line.loan_id,
        "note": line.note,
    }


def _fees_table(lines: list[FeeLine]) -> Table:
    table = Table("编号", "类别", "图书", "金额", "未缴", "状态", "日期")
    for line in lines:
        table.add_row(
            str(line.fee_id),
            line.kind_zh,
            f"{line.barcode}\n{line.title or ''}" if line.barcode else "—",
            yuan(line.amount_fen),
            yuan(line.balance_fen),
            line.status_zh,
            f"{_local(line.charged_at):%Y-%m-%d}",
        )
    return table


@app.command("show")
def show_command(
    ctx: typer.Context,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    show_all: bool = typer.Option(False, "--all", help="settled fees too, not only open ones"),
    as_json: bool = JsonOption,
) -> None:
    """查询欠款 What a reader owes: open fees (or all with --all) and the latest payments."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        found = get_patron_by_card(uow.session, patron)
        account = fee_account(uow.session, found.patron.id, open_only=not show_all)
        name, card = found.patron.name, found.card.number
    if as_json:
        emit_json(
            {
                "patron": {"patron_id": account.patron_id, "card": card, "name": name},
                "outstanding_fen": account.outstanding_fen,
                "fees": [_fee_json(line) for line in account.fees],
                "payments": [
                    {
                        "receipt_number": p.receipt_number,
                        "amount_fen": p.amount_fen,
                        "method": p.method,
                        "at": p.at,
                        "point": p.point,
                        "actor": p.actor,
                        "fees": [{"fee_id": k, "amount_fen": v} for k, v in p.fees.items()],
                    }
                    for p in account.payments
                ],
            }
        )
        return
    console.print(f"[bold]{name}[/] {card}  未缴合计 Owes: {yuan(account.outstanding_fen)}")
    if account.fees:
        console.print(_fees_table(account.fees))
    else:
        console.print("没有未缴费用 Nothing owed" if not show_all else "没有费用记录 No fees")
    if account.payments:
        payments = Table("收据号 receipt", "金额", "方式", "服务点", "时间")
        for p in account.payments:
            payments.add_row(
                p.receipt_number,
                yuan(p.amount_fen),
                p.method_zh,
                p.point,
                f"{_local(p.at):%Y-%m-%d %H:%M}",
            )
        console.print(payments)


@app.command("pay")
def pay_command(
    ctx: typer.Context,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    amount: str = typer.Option(..., "--amount", help="金额（元）, e.g. 12.50"),
    method: str = typer.Option(..., "--method", help=f"付款方式 {_METHODS}"),
    at: str = typer.Option(..., "--at", help="收款服务点代码 service point code"),
    by: str | None = typer.Option(None, "--by", help="收款馆员 staff name"),
    as_json: bool = JsonOption,
) -> None:
    """缴费 Take a payment: it pays the oldest open fees first; overpaying is refused."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        amount_fen = parse_amount_fen(amount)
        found = get_patron_by_card(uow.session, patron)
        point = get_point_by_code(uow.session, at)
        payment = pay_fees(
            uow.session,
            patron=found.patron,
            amount_fen=amount_fen,
            method=method,
            point=point,
            actor=by,
        )
        lines = {line.fee_id: line for line in fee_lines(uow.session, found.patron.id)}
        left = outstanding_fen(uow.session, found.patron.id)
        uow.commit()
        body = {
            "action": "paid",
            "receipt_number": payment.receipt_number,
            "patron": {"card": found.card.number, "name": found.patron.name},
            "amount_fen": payment.amount_fen,
            "method": payment.method,
            "point": point.code,
            "at": payment.at,
            "allocations": [
                {
                    "fee_id": a.fee_id,
                    "kind": lines[a.fee_id].kind,
                    "amount_fen": a.amount_fen,
                    "balance_fen": lines[a.fee_id].balance_fen,
                    "status": lines[a.fee_id].status,
                }
                for a in payment.allocations
            ],
            "outstanding_fen": left,
        }
    if as_json:
        emit_json(body)
        return
    console.print(
        f"[green]已收款 Paid[/] {yuan(payment.amount_fen)}（{payment.method.label_zh}）"
        f"  收据号 Receipt: [bold]{payment.receipt_number}[/]"
    )
    for a in payment.allocations:
        line = lines[a.fee_id]
        console.print(
            f"  费用 {a.fee_id} {line.kind_zh}：付 {yuan(a.amount_fen)}，"
            f"尚欠 {yuan(line.balance_fen)}（{line.status_zh}）"
        )
    console.print(f"仍欠 Still owes: {yuan(left)}")


@app.command("waive")
def waive_command(
    ctx: typer.Context,
    fee_id: int = typer.Argument(..., help="费用编号 fee id (see `wenjin fees show`)"),
    reason: str = typer.Option(..., "--reason", help="减免原因 why (required, kept for audit)"),
    amount: str | None = typer.Option(
        None, "--amount", help="减免金额（元）; default all that is left"
    ),
    at: str | None = typer.Option(None, "--at", help="服务点代码 where it was granted"),
    by: str | None = typer.Option(None, "--by", help="批准馆员 staff name"),
    as_json: bool = JsonOption,
) -> None:
    """减免 Waive a fee, or part of it, with a reason."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        amount_fen = parse_amount_fen(amount) if amount is not None else None
        point = get_point_by_code(uow.session, at) if at else None
        waiver = waive_fee(
            uow.session, fee=fee_id, reason=reason, actor=by, amount_fen=amount_fen, point=point
        )
        line = fee_line(uow.session, waiver.fee_id)
        left = outstanding_fen(uow.session, waiver.fee.patron_id)
        uow.commit()
        body = {
            "action": "waived",
            "waiver_id": waiver.id,
            "amount_fen": waiver.amount_fen,
            "reason": waiver.reason,
            "fee": _fee_json(line),
            "outstanding_fen": left,
        }
    if as_json:
        emit_json(body)
        return
    console.print(
        f"[green]已减免 Waived[/] 费用 {fee_id}：{yuan(waiver.amount_fen)}（{waiver.reason}），"
        f"该费用尚欠 {yuan(line.balance_fen)}；读者仍欠 {yuan(left)}"
    )


@app.command("cancel")
def cancel_command(
    ctx: typer.Context,
    fee_id: int = typer.Argument(..., help="费用编号 fee id"),
    reason: str = typer.Option(..., "--reason", help="撤销原因 why the charge was wrong"),
    at: str = typer.Option(..., "--at", help="服务点代码 where any refund is paid out"),
    method: str | None = typer.Option(
        None, "--method", help=f"退款方式 {_METHODS}; default: as paid"
    ),
    by: str | None = typer.Option(None, "--by", help="staff name"),
    as_json: bool = JsonOption,
) -> None:
    """撤销 Cancel a charge made in error; anything paid on it is refunded."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        point = get_point_by_code(uow.session, at)
        refund = cancel_fee(
            uow.session, fee=fee_id, reason=reason, point=point, actor=by, method=method
        )
        line = fee_line(uow.session, fee_id)
        uow.commit()
        body = {
            "action": "refunded" if refund else "cancelled",
            "fee": _fee_json(line),
            "refund": None
            if refund is None
            else {
                "receipt_number": refund.receipt_number,
                "amount_fen": refund.amount_fen,
                "method": refund.method,
            },
        }
    if as_json:
        emit_json(body)
        return
    if refund is None:
        console.print(
            f"[green]已撤销 Cancelled[/] 费用 {fee_id}（{line.kind_zh} {yuan(line.amount_fen)}）"
        )
    else:
        console.print(
            f"[green]已撤销并退款 Cancelled and refunded[/] 费用 {fee_id}：退 {yuan(refund.amount_fen)}"
            f"（{refund.method.label_zh}），退款单号 {refund.receipt_number}"
        )


@app.command("charge")
def charge_command(
    ctx: typer.Context,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    kind: str = typer.Option(
        ..., "--kind", help="|".join(k.value for k in _CHARGE_KINDS) + " (损坏赔偿/补证工本费/其他)"
    ),
    amount: str = typer.Option(..., "--amount", help="金额（元）"),
    at: str = typer.Option(..., "--at", help="服务点代码 service point code"),
    item: str | None = typer.Option(None, "--item", help="册条码 for a damaged item"),
    note: str | None = typer.Option(None, "--note", help="说明, e.g. 封面撕破、内页涂画"),
    by: str | None = typer.Option(None, "--by", help="staff name"),
    as_json: bool = JsonOption,
) -> None:
    """收费 Charge a damaged item, a replacement card or another fee.

    Overdue fines and lost items are charged by circulation (`wenjin circ`)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    try:
        the_kind = FeeKind(kind.strip().lower())
    except ValueError:
        the_kind = None
    if the_kind not in _CHARGE_KINDS:
        fail(
            f"--kind {kind!r} 不可用，请用 {', '.join(k.value for k in _CHARGE_KINDS)}；"
            "逾期和丢失由借还系统自动收取 / use one of "
            f"{', '.join(k.value for k in _CHARGE_KINDS)}; circulation charges fines and losses",
            as_json=as_json,
            code="fee_kind_invalid",
        )
    with domain_errors(as_json), app_ctx.uow() as uow:
        amount_fen = parse_amount_fen(amount)
        found = get_patron_by_card(uow.session, patron)
        point = get_point_by_code(uow.session, at)
        item_id = _item_id(uow.session, item) if item else None
        fee = charge_fee(
            uow.session,
            patron=found.patron,
            kind=the_kind,
            amount_fen=amount_fen,
            point=point,
            actor=by,
            item_id=item_id,
            note=note,
        )
        line = fee_line(uow.session, fee.id)
        left = outstanding_fen(uow.session, found.patron.id)
        uow.commit()
    if as_json:
        emit_json({"action": "charged", "fee": _fee_json(line), "outstanding_fen": left})
        return
    console.print(
        f"[green]已收费 Charged[/] 费用 {line.fee_id} {line.kind_zh} {yuan(line.amount_fen)}；"
        f"读者共欠 {yuan(left)}"
    )


def _item_id(session: Session, barcode: str) -> int:
    item_id = session.scalar(select(Item.id).where(Item.barcode == barcode.strip()))
    if item_id is None:
        raise ItemNotFound(barcode)
    return item_id


def _takings_json(row: PointTakings) -> dict[str, Any]:
    return {
        "point": row.point_code,
        "name": row.point_name,
        "payments": row.payments,
        "taken_fen": row.taken_fen,
        "refunds": row.refunds,
        "refunded_fen": row.refunded_fen,
        "net_fen": row.net_fen,
        "by_method": {
            method.value: {
                "payments": m.payments,
                "taken_fen": m.taken_fen,
                "refunds": m.refunds,
                "refunded_fen": m.refunded_fen,
                "net_fen": m.net_fen,
            }
            for method, m in sorted(row.by_method.items())
        },
    }


@app.command("takings")
def takings_command(
    ctx: typer.Context,
    at: list[str] = typer.Option([], "--at", help="服务点代码 (repeat; default every point)"),
    day: str | None = typer.Option(None, "--day", help="日期 YYYY-MM-DD (default today)"),
    subtree: bool = typer.Option(False, "--subtree", help="include the points under --at"),
    as_json: bool = JsonOption,
) -> None:
    """收费日报 Money taken and refunded per service point and method on one day."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    the_day = parse_date(day, "--day", as_json) if day else network_today()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        point_ids: set[int] | None = None
        if at:
            point_ids = set()
            for code in at:
                point = get_point_by_code(uow.session, code)
                point_ids |= descendant_ids(uow.session, point.id) if subtree else {point.id}
        rows = daily_takings(uow.session, day=the_day, point_ids=point_ids)
    total = {
        "taken_fen": sum(r.taken_fen for r in rows),
        "refunded_fen": sum(r.refunded_fen for r in rows),
        "net_fen": sum(r.net_fen for r in rows),
        "payments": sum(r.payments for r in rows),
        "refunds": sum(r.refunds for r in rows),
    }
    if as_json:
        emit_json({"day": the_day, "points": [_takings_json(r) for r in rows], "total": total})
        return
    table = Table(
        "服务点", "方式", "笔数", "收款", "退款", "净额", title=f"收费日报 {the_day.isoformat()}"
    )
    for row in rows:
        for method, m in sorted(row.by_method.items()):
            table.add_row(
                f"{row.point_name}\n{row.point_code}",
                method.label_zh,
                str(m.payments + m.refunds),
                yuan(m.taken_fen),
                yuan(m.refunded_fen),
                yuan(m.net_fen),
            )
        if len(row.by_method) != 1:
            table.add_row(
                f"{row.point_name}\n{row.point_code}",
                "小计",
                str(row.payments + row.refunds),
                yuan(row.taken_fen),
                yuan(row.refunded_fen),
                yuan(row.net_fen),
                style="italic",
            )
    table.add_row(
        "合计 total",
        "",
        str(total["payments"] + total["refunds"]),
        yuan(total["taken_fen"]),
        yuan(total["refunded_fen"]),
        yuan(total["net_fen"]),
        style="bold",
    )
    console.print(table)


# --- amnesty ---


def _window_json(window: AmnestyWindow, fines: int, waived_fen: int) -> dict[str, Any]:
    return {
        "id": window.id,
        "name": window.name,
        "starts_on": window.starts_on,
        "ends_on": window.ends_on,
        "active": window.active,
        "points": [p.code for p in window.points],
        "whole_network": not window.points,
        "created_by": window.created_by,
        "fines_waived": fines,
        "waived_fen": waived_fen,
    }


@amnesty_app.command("add")
def amnesty_add_command(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="名称, e.g. 4·23世界读书日特别还书日"),
    starts: str = typer.Option(..., "--from", help="开始日期 YYYY-MM-DD"),
    ends: str = typer.Option(..., "--to", help="结束日期 YYYY-MM-DD (included)"),
    at: list[str] = typer.Option(
        [], "--at", help="服务点代码 (repeat; covers the points under it; default whole network)"
    ),
    by: str | None = typer.Option(None, "--by", help="staff name"),
    as_json: bool = JsonOption,
) -> None:
    """设立特别还书日 Waive overdue fines for returns between two dates at chosen points."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    starts_on = parse_date(starts, "--from", as_json)
    ends_on = parse_date(ends, "--to", as_json)
    with domain_errors(as_json), app_ctx.uow() as uow:
        points: list[ServicePoint] = [get_point_by_code(uow.session, code) for code in at]
        window = add_amnesty_window(
            uow.session, name=name, starts_on=starts_on, ends_on=ends_on, points=points, actor=by
        )
        body = _window_json(window, 0, 0)
        uow.commit()
    if as_json:
        emit_json({"action": "added", "window": body})
        return
    where = "、".join(body["points"]) if body["points"] else "全网 whole network"
    console.print(
        f"[green]已设立 Added[/] 特别还书日 {window.id}「{window.name}」"
        f" {starts_on.isoformat()} 至 {ends_on.isoformat()}，适用：{where}"
    )


@amnesty_app.command("list")
def amnesty_list_command(
    ctx: typer.Context,
    active_only: bool = typer.Option(False, "--active", help="only windows still in force"),
    as_json: bool = JsonOption,
) -> None:
    """特别还书日列表 Amnesty windows, latest first, with the fines each waived."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        windows = list_amnesty_windows(uow.session, active_only=active_only)
        effects = amnesty_effects(uow.session, [w.id for w in windows])
        rows = [_window_json(w, effects[w.id].fines, effects[w.id].waived_fen) for w in windows]
    if as_json:
        emit_json({"windows": rows})
        return
    table = Table("编号", "名称", "日期", "服务点", "状态", "已免除")
    for row in rows:
        dates = f"{row['starts_on']:%Y-%m-%d}"
        if row["ends_on"] != row["starts_on"]:
            dates += f"\n至 {row['ends_on']:%Y-%m-%d}"
        table.add_row(
            str(row["id"]),
            row["name"],
            dates,
            "、".join(row["points"]) or "全网",
            "有效" if row["active"] else "已撤销",
            f"{row['fines_waived']}笔 {yuan(row['waived_fen'])}",
        )
    console.print(table)


@amnesty_app.command("end")
def amnesty_end_command(
    ctx: typer.Context,
    window_id: int = typer.Argument(..., help="编号 id (see `wenjin fees amnesty list`)"),
    as_json: bool = JsonOption,
) -> None:
    """撤销特别还书日 Withdraw a window; fines it already waived stay waived."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        window = end_amnesty_window(uow.session, window_id=window_id)
        body = _window_json(window, 0, 0)
        effects = amnesty_effects(uow.session, [window.id])[window.id]
        body |= {"fines_waived": effects.fines, "waived_fen": effects.waived_fen}
        uow.commit()
    if as_json:
        emit_json({"action": "ended", "window": body})
        return
    console.print(f"[green]已撤销 Ended[/] 特别还书日 {window_id}「{body['name']}」")
