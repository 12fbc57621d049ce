"""``wenjin transit``: transfers (调拨) — send by hand, receive, courier manifests, cancel, lost.

Receiving is the desk's ``wenjin circ receive`` (the same command); every transit,
whatever its reason, is circulation's one transit row.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.queries import TransitLine
from wenjin.cli.circ import receive_command
from wenjin.cli.common import (
    ActorOption,
    ItemOption,
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    fail,
    parse_date,
)
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.transfers.queries import (
    Direction,
    Manifest,
    ManifestLine,
    courier_manifest,
    transit_list,
)
from wenjin.transfers.services import (
    LOST_IN_TRANSIT_STATUSES,
    TransferResult,
    cancel_transit,
    hand_to_courier,
    send_item,
    transit_lost,
)

app = typer.Typer(
    help="调拨 Transfers: send items between points, courier manifests, cancel, lost in transit",
    no_args_is_help=True,
)


app.command("receive")(receive_command)


def _result_json(result: TransferResult) -> dict[str, Any]:
    return {
        "transit_id": result.transit_id,
        "item": result.barcode,
        "title": result.title,
        "status": result.status,
        "from": result.from_point,
        "to": result.to_point,
        "to_name": result.to_point_name,
        "item_status": result.item_status,
        "item_point": result.item_point,
    }


@app.command("send")
def send_command(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="调出服务点 where the item is now"),
    item: str = ItemOption,
    to: str = typer.Option(..., "--to", help="调入服务点 where it goes"),
    note: str | None = typer.Option(None, "--note", help="备注 why it goes"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """人工调拨 Send an item on the shelf here to another service point."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = send_item(uow.session, at=at, barcode=item, to=to, note=note, actor=by)
        uow.commit()
    if as_json:
        emit_json(_result_json(result))
        return
    console.print(f"[green]已调拨 Sent[/] 《{result.title}》{result.barcode}")
    console.print(
        f"[bold yellow]请放入送往 {result.to_point_name} 的周转箱[/]\n"
        f"[dim]Put it in the transit box for {result.to_point_name} ({result.to_point})[/]"
    )


@app.command("cancel")
def cancel_command(
    ctx: typer.Context,
    item: str = ItemOption,
    reason: str | None = typer.Option(None, "--reason", help="取消原因 why"),
    at: str | None = typer.Option(
        None, "--at", help="此书现在所在的服务点 where the item is now (once the courier took it)"
    ),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """取消调拨 Cancel an item's transit: it goes back on the shelf where it is."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = cancel_transit(uow.session, barcode=item, at=at, reason=reason, actor=by)
        uow.commit()
    if as_json:
        emit_json(_result_json(result))
        return
    console.print(
        f"[green]已取消调拨 Transit cancelled[/] 《{result.title}》{result.barcode}: "
        f"请在 {result.item_point} 上架 / reshelve it at {result.item_point}"
    )


@app.command("lost")
def lost_command(
    ctx: typer.Context,
    item: str = ItemOption,
    status: str = typer.Option(
        "missing", "--status", help="登记为 mark the item: missing (缺失, default) or lost (丢失)"
    ),
    note: str | None = typer.Option(None, "--note", help="备注 what happened"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """途中丢失 Record an item lost in transit (found later with `wenjin circ found`)."""
    allowed = {s.value: s for s in LOST_IN_TRANSIT_STATUSES}
    mark = allowed.get(status.strip().lower())
    if mark is None:
        fail(
            f"--status 只能是 missing 或 lost，不能是 {status!r} / --status is missing or lost",
            as_json=as_json,
            code="transit_lost_status_invalid",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = transit_lost(uow.session, barcode=item, mark=mark, note=note, actor=by)
        uow.commit()
    if as_json:
        emit_json(_result_json(result))
        return
    label = ItemStatus(result.item_status)
    console.print(
        f"[yellow]已登记途中丢失 Lost in transit[/] 《{result.title}》{result.barcode}: "
        f"{label.label_zh} / {label.label_en}"
    )


def _list_table(title: str, lines: list[TransitLine], *, outgoing: bool) -> Table:
    table = Table(title=title)
    table.add_column("调拨号 #")
    table.add_column("条码 Barcode", no_wrap=True)
    table.add_column("题名 Title")
    table.add_column("送往 To" if outgoing else "来自 From")
    table.add_column("原因 Reason")
    table.add_column("已发出 Sent")
    for line in lines:
        where = (
            f"{line.to_point_name} {line.to_point}"
            if outgoing
            else f"{line.from_point_name} {line.from_point}"
        )
        table.add_row(
            str(line.transit_id),
            line.barcode,
            line.title,
            where,
            line.reason.label_zh,
            line.sent_at.date().isoformat() if line.sent_at else "否",
        )
    return table


@app.command("list")
def list_command(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="服务点 service point code"),
    direction: str | None = typer.Option(
        None, "--direction", help="outgoing (调出) or incoming (调入); both by default"
    ),
    as_json: bool = JsonOption,
) -> None:
    """在途清单 Items in transit from and to a service point."""
    wanted: Direction | None = None
    if direction is not None:
        try:
            wanted = Direction(direction.strip().lower())
        except ValueError:
            fail(
                f"--direction 只能是 outgoing 或 incoming，不能是 {direction!r} / "
                "--direction is outgoing or incoming",
                as_json=as_json,
                code="direction_invalid",
            )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        point = get_point_by_code(uow.session, at)
        code, name = point.code, point.name
        lists = transit_list(uow.session, point, wanted)
    if as_json:
        emit_json({"point": code, **{d.value: lines for d, lines in lists.items()}})
        return
    for which, lines in lists.items():
        outgoing = which is Direction.OUTGOING
        title = f"调出 Outgoing from {name}" if outgoing else f"调入 Incoming to {name}"
        console.print(_list_table(title, lines, outgoing=outgoing))


def _manifest_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "point": manifest.point,
        "point_name": manifest.point_name,
        "date": manifest.day,
        "leaving": manifest.leaving,
        "legs": [
            {"next_stop": leg.next_stop, "next_stop_name": leg.next_stop_name, "items": leg.lines}
            for leg in manifest.legs
        ],
        "waiting": manifest.waiting,
        "no_route": manifest.no_route,
    }


def _manifest_table(title: str, lines: list[ManifestLine], *, leaves: bool = False) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("条码 Barcode", no_wrap=True)
    table.add_column("题名 Title")
    table.add_column("目的地 Destination")
    table.add_column("原因 Reason")
    if leaves:
        table.add_column("发出 Leaves", no_wrap=True)
    table.add_column("预计到达 Arrives", no_wrap=True)
    for line in lines:
        cells = [
            line.barcode,
            line.title,
            f"{line.destination_name} {line.destination}",
            line.reason.label_zh,
        ]
        if leaves:
            cells.append(line.leaves_on.isoformat() if line.leaves_on else "")
        cells.append(line.arrives_on.isoformat() if line.arrives_on else "")
        table.add_row(*cells)
    return table


@app.command("manifest")
def manifest_command(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="服务点 the point the courier collects from"),
    day: str | None = typer.Option(None, "--date", help="日期 the day (default: today)"),
    route: str | None = typer.Option(
        None, "--route", help="线路 only the leg to this next stop (a point code)"
    ),
    as_json: bool = JsonOption,
) -> None:
    """物流交接单 What leaves a point on a day, per courier leg, and for where."""
    when = parse_date(day, "--date", as_json) if day else network_today()
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        manifest = courier_manifest(uow.session, at=at, day=when, route=route)
    if as_json:
        emit_json(_manifest_json(manifest))
        return
    console.print(
        f"[bold]物流交接单 Courier manifest[/] {manifest.point_name} {manifest.point} · "
        f"{manifest.day.isoformat()} · 共 {manifest.leaving} 册 {manifest.leaving} item(s)"
    )
    if not manifest.legs:
        console.print("今日无图书发出 Nothing leaves on this day")
    for leg in manifest.legs:
        console.print(
            _manifest_table(
                f"→ {leg.next_stop_name} {leg.next_stop}（{len(leg.lines)} 册 item(s)）", leg.lines
            )
        )
    if manifest.waiting:
        console.print(
            _manifest_table("待后续班次 Waiting for a later courier", manifest.waiting, leaves=True)
        )
    if manifest.no_route:
        console.print(_manifest_table("[red]无物流线路 No courier route[/]", manifest.no_route))


@app.command("dispatch")
def dispatch_command(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="服务点 the point the courier collects from"),
    route: str | None = typer.Option(
        None, "--route", help="线路 only the leg to this next stop (a point code)"
    ),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """物流交接 The courier has taken today's boxes: the manifest's items are now sent."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        sent = hand_to_courier(uow.session, at=at, route=route, actor=by)
        uow.commit()
    if as_json:
        emit_json({"point": at, "sent": len(sent), "transit_ids": sent})
    else:
        console.print(f"[green]已交接 Handed to the courier[/] {len(sent)} 册 item(s)")
