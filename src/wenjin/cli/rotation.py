"""``wenjin rotation``: rotating collections (流动站 / 农家书屋) and their rotation plans."""

from __future__ import annotations

from pathlib import Path
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
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.rotation.queries import (
    CollectionLine,
    collection_detail,
    due_collections,
    list_collections,
    list_plans,
    plan_detail,
)
from wenjin.rotation.services import (
    MoveResult,
    add_items,
    create_collection,
    create_plan,
    recall_collection,
    receive_collection,
    remove_items,
    send_collection,
)
from wenjin.rotation.states import CollectionKind, CollectionStatus

app = typer.Typer(
    help="流动书箱 Rotating collections: batches of books for stations and village reading rooms",
    no_args_is_help=True,
)
plan_app = typer.Typer(help="轮换计划 Rotation plans: a cycle of stations", no_args_is_help=True)
app.add_typer(plan_app, name="plan")

CodeArgument = typer.Argument(..., help="书箱代码 collection code")
ItemsOption = typer.Option(None, "--item", help="册条码 item barcode (repeat for several)")
FileOption = typer.Option(
    None, "--file", help="条码文件 a file of barcodes, one a line (# starts a comment)"
)


def _choice(enum: Any, value: str | None, option: str, as_json: bool) -> Any:
    if value is None:
        return None
    try:
        return enum(value.strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in enum)
        fail(
            f"{option} 不能是 {value!r}，可选：{known} / {option} is one of: {known}",
            as_json=as_json,
            code="choice_invalid",
        )


def _barcodes(items: list[str] | None, file: Path | None, as_json: bool) -> list[str]:
    out = list(items or [])
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            fail(
                f"读不了条码文件 {file}：{exc.strerror} / cannot read {file}: {exc.strerror}",
                as_json=as_json,
                code="file_unreadable",
            )
        for line in text.splitlines():
            out.extend(line.split("#", 1)[0].replace(",", " ").split())
    if not out:
        fail(
            "请用 --item 或 --file 给出册条码 / give barcodes with --item or --file",
            as_json=as_json,
            code="barcodes_missing",
        )
    return out


def _collections_table(title: str, lines: list[CollectionLine]) -> Table:
    table = Table(title=title)
    for header in ("代码 Code", "名称 Name", "类型 Kind", "状态 Status", "所属 Home", "站点 Station", "册数 Items", "应还 Due back", "计划 Plan"):  # fmt: skip
        table.add_column(header)
    for line in lines:
        table.add_row(
            line.code,
            line.name,
            line.kind.label_zh,
            line.status.label_zh,
            line.home,
            f"{line.station_name} {line.station}" if line.station else "",
            str(line.items),
            line.due_back_on.isoformat() if line.due_back_on else "",
            line.plan or "",
        )
    return table


@app.command("create")
def create_command(
    ctx: typer.Context,
    code: str = CodeArgument,
    name: str = typer.Option(..., "--name", help="名称 the collection's name"),
    home: str = typer.Option(..., "--home", help="所属馆 where it rests between rotations"),
    kind: str = typer.Option(
        "rotating", "--kind", help="rotating (流动书箱) or deposit (寄存书箱)"
    ),
    plan: str | None = typer.Option(None, "--plan", help="轮换计划 the plan it follows"),
    note: str | None = typer.Option(None, "--note", help="备注"),
    as_json: bool = JsonOption,
) -> None:
    """新建书箱 Create an empty rotating collection at its home point."""
    chosen = _choice(CollectionKind, kind, "--kind", as_json)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        created = create_collection(
            uow.session, code=code, name=name, home=home, kind=chosen, plan=plan, note=note
        )
        result = {
            "code": created.code,
            "name": created.name,
            "kind": created.kind,
            "status": created.status,
        }
        uow.commit()
    if as_json:
        emit_json(result)
    else:
        console.print(f"[green]已新建书箱 Created[/] {result['code']} {result['name']}")


@app.command("add")
def add_command(
    ctx: typer.Context,
    code: str = CodeArgument,
    item: list[str] | None = ItemsOption,
    file: Path | None = FileOption,
    as_json: bool = JsonOption,
) -> None:
    """加入图书 Put items in a collection at home (all or none)."""
    barcodes = _barcodes(item, file, as_json)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = add_items(uow.session, collection=code, barcodes=barcodes)
        uow.commit()
    if as_json:
        emit_json(
            {
                "collection": result.collection,
                "added": result.changed,
                "already_in": result.unchanged,
            }
        )
        return
    console.print(f"[green]已加入 Added[/] {len(result.changed)} 册 item(s) → {result.collection}")
    if result.unchanged:
        console.print(f"已在书箱中 Already in: {', '.join(result.unchanged)}")


@app.command("remove")
def remove_command(
    ctx: typer.Context,
    code: str = CodeArgument,
    item: list[str] | None = ItemsOption,
    file: Path | None = FileOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """移出图书 Take items out of a collection (those at a station go home)."""
    barcodes = _barcodes(item, file, as_json)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = remove_items(uow.session, collection=code, barcodes=barcodes, actor=by)
        uow.commit()
    if as_json:
        emit_json(
            {
                "collection": result.collection,
                "removed": result.changed,
                "not_in": result.unchanged,
                "sent_home": result.sent_home,
            }
        )
        return
    console.print(
        f"[green]已移出 Removed[/] {len(result.changed)} 册 item(s) from {result.collection}"
    )
    if result.sent_home:
        console.print(f"[yellow]送回原馆 In transit home:[/] {', '.join(result.sent_home)}")
    if result.unchanged:
        console.print(f"不在书箱中 Not in it: {', '.join(result.unchanged)}")


@app.command("list")
def list_command(
    ctx: typer.Context,
    status: str | None = typer.Option(
        None, "--status", help="at_home, in_transit, at_station, recalled"
    ),
    at: str | None = typer.Option(None, "--at", help="服务点 at home or stationed there"),
    kind: str | None = typer.Option(None, "--kind", help="rotating or deposit"),
    as_json: bool = JsonOption,
) -> None:
    """书箱列表 Rotating collections and where they are."""
    wanted_status = _choice(CollectionStatus, status, "--status", as_json)
    wanted_kind = _choice(CollectionKind, kind, "--kind", as_json)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        point = get_point_by_code(uow.session, at) if at else None
        lines = list_collections(uow.session, status=wanted_status, point=point, kind=wanted_kind)
    if as_json:
        emit_json({"collections": lines})
    else:
        console.print(_collections_table("流动书箱 Rotating collections", lines))


@app.command("show")
def show_command(ctx: typer.Context, code: str = CodeArgument, as_json: bool = JsonOption) -> None:
    """书箱详情 One collection: where it is, its items, its stays."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        detail = collection_detail(uow.session, code)
    if as_json:
        emit_json(detail)
        return
    line = detail.collection
    console.print(_collections_table(f"{line.name} {line.code}", [line]))
    counts = "，".join(f"{status} {count}" for status, count in detail.items_by_status.items())
    console.print(f"图书状态 Items by status: {counts or '无 none'}")
    stays = Table(title="驻站记录 Stays")
    for header in ("站点 Station", "发出 Sent", "到达 Arrived", "应还 Due back", "离开 Left", "发出册数", "随后 Following"):  # fmt: skip
        stays.add_column(header)
    for stay in detail.stays:
        stays.add_row(
            f"{stay.point_name} {stay.point}",
            stay.sent_at.date().isoformat() if stay.sent_at else "",
            stay.arrived_at.date().isoformat() if stay.arrived_at else "",
            stay.due_back_on.isoformat() if stay.due_back_on else "",
            stay.left_at.date().isoformat() if stay.left_at else "",
            str(stay.items_sent),
            str(stay.items_following),
        )
    console.print(stays)
    items = Table(title="图书 Items")
    for header in (
        "条码 Barcode",
        "题名 Title",
        "索书号 Call no.",
        "状态 Status",
        "所在 At",
        "馆藏地 Home",
    ):
        items.add_column(header)
    for member in detail.items:
        items.add_row(
            member.barcode,
            member.title,
            member.call_number or "",
            member.status.label_zh,
            member.current_point,
            member.home,
        )
    console.print(items)


def _move_json(result: MoveResult) -> dict[str, Any]:
    return {
        "collection": result.collection,
        "destination": result.destination_code,
        "destination_name": result.destination_name,
        "sent": result.sent,
        "following": result.following,
        "held_back": [
            {"item": p.barcode, "title": p.title, "why": p.why_zh, "why_en": p.why_en}
            for p in result.held_back
        ],
    }


def _print_move(result: MoveResult, verb: str) -> None:
    console.print(
        f"[green]{verb}[/] {result.collection} → {result.destination_name} {result.destination_code}: "
        f"{len(result.sent)} 册在途 item(s) in transit"
    )
    if result.following:
        console.print(
            f"[yellow]借出中，归还后随箱 On loan, follow when returned ({len(result.following)}):[/] "
            + ", ".join(result.following)
        )
    for problem in result.held_back:
        console.print(
            f"[red]未随箱 Held back[/] {problem.barcode}: {problem.why_zh} / {problem.why_en}"
        )


@app.command("send")
def send_command(
    ctx: typer.Context,
    code: str = CodeArgument,
    to: str | None = typer.Option(None, "--to", help="站点 the station (default: the plan's next)"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """发出书箱 Send a collection from home to a station: all its items go in transit."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = send_collection(uow.session, collection=code, to=to, actor=by)
        uow.commit()
    if as_json:
        emit_json(_move_json(result))
    else:
        _print_move(result, "已发出 Sent")


@app.command("receive")
def receive_command(
    ctx: typer.Context,
    code: str = CodeArgument,
    at: str = typer.Option(..., "--at", help="服务点 where it arrived"),
    item: list[str] | None = ItemsOption,
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """接收书箱 Receive a collection (all of it, or the items given): lendable here."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = receive_collection(
            uow.session, collection=code, at=at, barcodes=item or None, actor=by
        )
        uow.commit()
    if as_json:
        emit_json(
            {
                "collection": result.collection,
                "point": result.point_code,
                "status": result.status,
                "received": [r.barcode for r in result.received],
                "still_in_transit": result.still_in_transit,
            }
        )
        return
    console.print(
        f"[green]已接收 Received[/] {result.collection} @ {result.point_code}: "
        f"{len(result.received)} 册 item(s)；{result.status.label_zh} / {result.status.label_en}"
    )
    if result.still_in_transit:
        console.print(f"[yellow]仍在途 Still in transit:[/] {', '.join(result.still_in_transit)}")


@app.command("recall")
def recall_command(
    ctx: typer.Context,
    code: str = CodeArgument,
    to_next: bool = typer.Option(
        False, "--next", help="送往计划中的下一站 on to the plan's next station"
    ),
    to: str | None = typer.Option(None, "--to", help="送往此站点 on to this station"),
    by: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """召回书箱 Recall a collection from its station: home, or on to the next station."""
    if to_next and to:
        fail(
            "--next 和 --to 只能选一个 / give --next or --to, not both",
            as_json=as_json,
            code="options_conflict",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        result = recall_collection(uow.session, collection=code, to_next=to_next, to=to, actor=by)
        uow.commit()
    if as_json:
        emit_json(_move_json(result))
    else:
        _print_move(result, "已召回 Recalled")


# --- plans ---------------------------------------------------------------------------


@plan_app.command("create")
def plan_create_command(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="计划代码 plan code"),
    name: str = typer.Option(..., "--name", help="名称"),
    stations: str = typer.Option(
        ..., "--stations", help="站点代码，按轮换顺序，逗号分隔 station codes in order"
    ),
    stay_days: int = typer.Option(90, "--stay-days", help="每站驻留天数 days at each station"),
    note: str | None = typer.Option(None, "--note", help="备注"),
    as_json: bool = JsonOption,
) -> None:
    """新建轮换计划 A cycle of stations with a stay length."""
    codes = [c for c in stations.replace("，", ",").replace(" ", ",").split(",") if c]
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        plan = create_plan(
            uow.session, code=code, name=name, stations=codes, stay_days=stay_days, note=note
        )
        uow.commit()
        detail = plan_detail(uow.session, plan.code)
    if as_json:
        emit_json(detail)
    else:
        console.print(
            f"[green]已新建轮换计划 Plan created[/] {detail.code}: {len(detail.stops)} 站 stations"
        )


@plan_app.command("show")
def plan_show_command(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="计划代码 plan code"),
    as_json: bool = JsonOption,
) -> None:
    """轮换计划 A plan's stations in order and the collections following it."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        detail = plan_detail(uow.session, code)
    if as_json:
        emit_json(detail)
        return
    table = Table(
        title=f"{detail.name} {detail.code} · 每站 {detail.stay_days} 天 days per station"
    )
    for header in ("顺序 #", "站点 Station", "代码 Code"):
        table.add_column(header)
    for stop in detail.stops:
        table.add_row(str(stop.position), stop.point_name, stop.point)
    console.print(table)
    console.print(_collections_table("书箱 Collections", detail.collections))


@plan_app.command("list")
def plan_list_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """轮换计划列表 Every rotation plan."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        plans = list_plans(uow.session)
    if as_json:
        emit_json({"plans": plans})
        return
    table = Table(title="轮换计划 Rotation plans")
    for header in (
        "代码 Code",
        "名称 Name",
        "驻留天数 Stay",
        "站点数 Stations",
        "书箱数 Collections",
    ):
        table.add_column(header)
    for plan in plans:
        table.add_row(
            plan.code, plan.name, str(plan.stay_days), str(plan.stations), str(plan.collections)
        )
    console.print(table)


@plan_app.command("due")
def plan_due_command(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", help="日期 (default: today)"),
    plan: str | None = typer.Option(None, "--plan", help="只看此计划 only this plan"),
    as_json: bool = JsonOption,
) -> None:
    """到期书箱 Collections whose stay at their station is over, and where they go next."""
    today = parse_date(day, "--date", as_json) if day else network_today()
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        lines = due_collections(uow.session, today=today, plan=plan)
    if as_json:
        emit_json({"date": today, "due": lines})
        return
    table = Table(title=f"到期书箱 Collections due back by {today.isoformat()}")
    for header in (
        "代码 Code",
        "名称 Name",
        "站点 Station",
        "应还 Due back",
        "计划 Plan",
        "下一站 Next",
    ):
        table.add_column(header)
    for line in lines:
        table.add_row(
            line.code,
            line.name,
            f"{line.station_name} {line.station}",
            line.due_back_on.isoformat(),
            line.plan or "",
            line.next_station or "",
        )
    console.print(table)
