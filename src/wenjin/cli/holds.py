"""``wenjin holds``: place, cancel, suspend, resume, change; lists, explain, pull lists, the
hold shelf, expiry and targeting.

A refusal exits with status 1 and the reason in Chinese and English (a JSON error body
with ``code``, ``message`` and ``message_en`` under ``--json``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import typer
from rich.table import Table

from wenjin.cli.common import (
    ActorOption,
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    fail,
    parse_date,
)
from wenjin.db.types import utcnow
from wenjin.holds.queries import (
    HoldLine,
    explain_hold,
    hold_line,
    hold_shelf,
    list_holds,
    pull_list,
)
from wenjin.holds.services import (
    cancel_hold,
    change_pickup,
    expire_hold_shelf,
    get_hold,
    place_hold,
    report_copy_missing,
    resume_hold,
    suspend_hold,
)
from wenjin.holds.states import CancelReason, HoldStatus
from wenjin.holds.targeting import target_all_waiting, target_hold
from wenjin.patrons.queries import network_today

app = typer.Typer(
    help="预约 Holds: place, cancel, pull lists, the hold shelf", no_args_is_help=True
)

HoldArgument = typer.Argument(..., help="预约编号 hold id")


def _line_json(line: HoldLine) -> dict[str, Any]:
    return {
        "hold_id": line.id,
        "status": line.status,
        "status_zh": line.status_zh,
        "patron": line.card_number,
        "patron_name": line.patron_name,
        "record_id": line.record_id,
        "title": line.title,
        "item": line.item_level_barcode,
        "pickup": line.pickup_code,
        "pickup_name": line.pickup_name,
        "placed_at": line.placed_at,
        "suspended_until": line.suspended_until,
        "targeted_item": line.targeted_barcode,
        "targeted_at_point": line.targeted_point_code,
        "expires_on": line.expires_on,
        "queue_position": line.queue_position,
    }


def _print_line(verb: str, line: HoldLine) -> None:
    console.print(
        f"[green]{verb}[/] 预约 #{line.id} 《{line.title}》 {line.patron_name} → "
        f"{line.pickup_name}（{line.status_zh} {line.status.label_en}）"
    )
    if line.queue_position:
        console.print(f"排队第 {line.queue_position} 位 Queue position {line.queue_position}")
    if line.targeted_barcode:
        console.print(
            f"已选定副本 Copy chosen: {line.targeted_barcode}（{line.targeted_point_code}）"
        )


def _show(ctx: typer.Context, hold_id: int, verb: str, as_json: bool) -> None:
    app_ctx = app_context(ctx)
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        line = hold_line(uow.session, hold_id)
    if as_json:
        emit_json(_line_json(line))
    else:
        _print_line(verb, line)


@app.command("place")
def place_command(
    ctx: typer.Context,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    pickup: str = typer.Option(..., "--pickup", help="取书点 pickup point code"),
    record: str | None = typer.Option(None, "--record", help="书目 record id or 001 (any copy)"),
    item: str | None = typer.Option(None, "--item", help="册条码 this copy only"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """预约 Place a hold on a title (--record) or one copy (--item); a copy is chosen at once."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        placed = place_hold(
            uow.session, card_number=patron, pickup=pickup, record=record, barcode=item, actor=by
        )
        uow.commit()
    _show(ctx, placed.hold_id, "已预约 Placed", as_json)


def _reason(value: str, as_json: bool) -> CancelReason:
    try:
        return CancelReason(value.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in CancelReason)
        fail(
            f"没有取消原因 {value!r}，可选：{choices} / no cancel reason {value!r}; "
            f"choose one of: {choices}",
            as_json=as_json,
            code="cancel_reason_invalid",
        )


@app.command("cancel")
def cancel_command(
    ctx: typer.Context,
    hold: int = HoldArgument,
    reason: str = typer.Option(
        "reader", "--reason", help="reader | staff | not_available (读者 / 馆员 / 无副本)"
    ),
    note: str | None = typer.Option(None, "--note", help="备注 a note"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """取消预约 Cancel a hold; a copy on the hold shelf goes to the next reader or home."""
    why = _reason(reason, as_json)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        cancel_hold(uow.session, hold_id=hold, reason=why, note=note, actor=by)
        uow.commit()
    _show(ctx, hold, "已取消 Cancelled", as_json)


@app.command("suspend")
def suspend_command(
    ctx: typer.Context,
    hold: int = HoldArgument,
    until: str = typer.Option(..., "--until", help="暂停至 waits again from this date"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """暂停预约 Keep the place in the queue but fetch no copy before a date."""
    day = parse_date(until, "--until", as_json)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        suspend_hold(uow.session, hold_id=hold, until=day, actor=by)
        uow.commit()
    _show(ctx, hold, "已暂停 Suspended", as_json)


@app.command("resume")
def resume_command(
    ctx: typer.Context,
    hold: int = HoldArgument,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """恢复预约 Lift a suspension now."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        resume_hold(uow.session, hold_id=hold, actor=by)
        uow.commit()
    _show(ctx, hold, "已恢复 Resumed", as_json)


@app.command("change")
def change_command(
    ctx: typer.Context,
    hold: int = HoldArgument,
    pickup: str = typer.Option(..., "--pickup", help="新取书点 the new pickup point code"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """更改取书点 Move a waiting hold to another pickup point."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        change_pickup(uow.session, hold_id=hold, pickup=pickup, actor=by)
        uow.commit()
    _show(ctx, hold, "已更改 Changed", as_json)


@app.command("list")
def list_command(
    ctx: typer.Context,
    patron: str | None = typer.Option(None, "--patron", help="读者证号 card number"),
    record: int | None = typer.Option(None, "--record", help="书目 record id"),
    every: bool = typer.Option(False, "--all", help="include finished holds"),
    as_json: bool = JsonOption,
) -> None:
    """预约列表 A reader's (or a title's) holds, with queue positions."""
    if patron is None and record is None:
        fail(
            "请指定 --patron 或 --record / give --patron or --record",
            as_json=as_json,
            code="holds_list_needs_filter",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        lines = list_holds(
            uow.session,
            card_number=patron,
            record_id=record,
            statuses=None
            if every
            else frozenset({HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY}),
        )
    if as_json:
        emit_json({"holds": [_line_json(line) for line in lines]})
        return
    table = Table(title="预约 Holds")
    for header in (
        "#",
        "题名 Title",
        "读者 Reader",
        "取书点 Pickup",
        "状态 Status",
        "排队 Queue",
        "副本 Copy",
        "截止 Until",
    ):
        table.add_column(header, no_wrap="条码" in header or "#" in header)
    for line in lines:
        table.add_row(
            str(line.id),
            line.title,
            line.patron_name,
            line.pickup_code,
            line.status_zh + (f"（暂停至 {line.suspended_until}）" if line.suspended_until else ""),
            str(line.queue_position or ""),
            line.targeted_barcode or "",
            line.expires_on.isoformat() if line.expires_on else "",
        )
    console.print(table)


@app.command("explain")
def explain_command(
    ctx: typer.Context, hold: int = HoldArgument, as_json: bool = JsonOption
) -> None:
    """解释 Every copy of the title: why it was rejected, or how it ranks; the winner first."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        explanation = explain_hold(uow.session, hold_id=hold)
    if as_json:
        emit_json(
            {
                "hold": _line_json(explanation.hold),
                "suspended": explanation.suspended,
                "summary": explanation.summary_zh,
                "summary_en": explanation.summary_en,
                "copies": explanation.copies,
            }
        )
        return
    _print_line("预约 Hold", explanation.hold)
    console.print(f"[bold]{explanation.summary_zh}[/]\n[dim]{explanation.summary_en}[/]")
    table = Table(title="候选副本 Candidate copies")
    for header in (
        "排名 Rank",
        "条码 Barcode",
        "所在 At",
        "状态 Status",
        "索书号 Call no.",
        "理由 Why",
    ):
        table.add_column(header, no_wrap="条码" in header or "#" in header)
    for copy in explanation.copies:
        table.add_row(
            ("★ " if copy.chosen else "") + (str(copy.rank) if copy.rank else "—"),
            copy.barcode,
            f"{copy.point_name} {copy.point_code}",
            copy.status.label_zh,
            copy.call_number or "",
            f"{copy.why_zh}\n[dim]{copy.why_en}[/]",
        )
    console.print(table)


@app.command("pull-list")
def pull_list_command(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="服务点 the service point code"),
    as_json: bool = JsonOption,
) -> None:
    """取书单 What to take off this point's shelves today, for which hold (printable)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        lines = pull_list(uow.session, at=at)
    if as_json:
        emit_json({"point": at, "date": network_today(), "lines": lines})
        return
    table = Table(title=f"预约取书单 Pull list · {at} · {network_today().isoformat()}")
    table.add_column("位置 Location")
    table.add_column("索书号 Call no.", no_wrap=True)
    table.add_column("条码 Barcode", no_wrap=True)
    table.add_column("题名 Title")
    table.add_column("取书点 Pickup", no_wrap=True)
    table.add_column("预约 Hold", no_wrap=True)
    table.add_column("✓", no_wrap=True)
    for line in lines:
        table.add_row(
            line.location or "",
            line.call_number or "",
            line.barcode,
            line.title,
            line.pickup_code,
            str(line.hold_id),
            "☐",
        )
    console.print(table)
    console.print(f"共 {len(lines)} 册 · {len(lines)} copies")


@app.command("shelf")
def shelf_command(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="服务点 the service point code"),
    expired: bool = typer.Option(False, "--expired", help="only copies past their pickup date"),
    as_json: bool = JsonOption,
) -> None:
    """预约架 The hold shelf of a point, the soonest to expire first."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        lines = hold_shelf(uow.session, at=at, expired_only=expired)
    if as_json:
        emit_json({"point": at, "lines": lines})
        return
    table = Table(title=f"预约架 Hold shelf · {at}")
    for header in (
        "条码 Barcode",
        "题名 Title",
        "读者 Reader",
        "证号 Card",
        "取书截止 Until",
        "预约 Hold",
    ):
        table.add_column(header, no_wrap="条码" in header or "#" in header)
    for line in lines:
        until = line.expires_on.isoformat() if line.expires_on else ""
        table.add_row(
            line.barcode,
            line.title,
            line.patron_name,
            line.card_masked,
            f"[red]{until} 已过期[/]" if line.expired else until,
            str(line.hold_id),
        )
    console.print(table)


@app.command("expire")
def expire_command(
    ctx: typer.Context,
    on: str | None = typer.Option(None, "--date", help="as of this date (default today)"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """过期处理 Expire holds not picked up in time; their copies go to the next hold or home."""
    today: date = parse_date(on, "--date", as_json) if on else network_today()
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        expired = expire_hold_shelf(uow.session, today=today, actor=by)
        uow.commit()
    if as_json:
        emit_json(
            {
                "date": today,
                "expired": [
                    {
                        "hold_id": e.hold_id,
                        "item": e.barcode,
                        "title": e.title,
                        "shelf": e.shelf_point_code,
                        "expires_on": e.expires_on,
                        "next_hold_id": e.next_hold_id,
                        "slip": e.slip.zh,
                        "slip_en": e.slip.en,
                    }
                    for e in expired
                ],
            }
        )
        return
    console.print(f"过期 {len(expired)} 条预约 · {len(expired)} hold(s) expired as of {today}")
    for e in expired:
        console.print(
            f"  #{e.hold_id} {e.barcode}《{e.title}》（{e.shelf_point_code}）：{e.slip.zh}"
        )


@app.command("target")
def target_command(
    ctx: typer.Context,
    hold: int | None = typer.Argument(None, help="预约编号 one hold (omit with --all)"),
    every: bool = typer.Option(False, "--all", help="every waiting hold"),
    missing: bool = typer.Option(
        False, "--missing", help="the chosen copy is not on the shelf: mark it missing first"
    ),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """分配副本 Choose the copy to fetch for one hold, or for every waiting hold (--all)."""
    if (hold is None) == (not every):
        fail(
            "请指定一个预约编号，或用 --all / give one hold id, or --all",
            as_json=as_json,
            code="holds_target_needs_one",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    if every:
        with domain_errors(as_json), app_ctx.uow() as uow:
            summary = target_all_waiting(uow.session)
            uow.commit()
        if as_json:
            emit_json(summary)
        else:
            console.print(
                f"等待中的预约 {summary.holds} 条 · waiting holds {summary.holds}: "
                f"新分配 targeted {summary.targeted}, 保持 kept {summary.kept}, "
                f"无副本 no copy {summary.without_copy} ({summary.seconds:.2f} s)"
            )
        return
    assert hold is not None
    with domain_errors(as_json), app_ctx.uow() as uow:
        if missing:
            report_copy_missing(uow.session, hold_id=hold, actor=by)
        else:
            target_hold(uow.session, hold=get_hold(uow.session, hold), now=utcnow())
        uow.commit()
    _show(ctx, hold, "已分配 Targeted", as_json)
