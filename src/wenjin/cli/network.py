"""``wenjin network``: the tree of service points, calendars, courier routes, network files."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.tree import Tree

from wenjin.cli.common import (
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    err_console,
    fail,
)
from wenjin.network.errors import NetworkFileInvalid
from wenjin.network.io import Format, format_for, parse_date, read_network_file, write_network_file
from wenjin.network.queries import (
    calendar_for,
    flatten_tree,
    get_point_by_code,
    network_tree,
    route_map,
    shortest_route,
)
from wenjin.network.rules import WEEKDAY_KEYS, WEEKDAY_ZH, Route
from wenjin.network.services import export_network, import_network

app = typer.Typer(
    help="总分馆网络 Network: service points, opening calendars, courier routes, network files",
    no_args_is_help=True,
)

FILE_HELP = """\
A network file, YAML (.yaml/.yml) or CSV (.csv); see docs/examples/network.yaml.

CSV: one file, one row per point or per route, told apart by the `type` column
(`point`, the default when empty, or `route`). Point rows fill code, name, name_en,
kind, parent, address, phone, lends, pickup, hours (`mon:closed;tue-sun:09:00-17:00`),
closed (`2026-01-01:元旦;2026-02-15~2026-02-23:春节`), inherit_closed_days, active,
sort_order; route rows fill from, to, days, both_ways, weekdays (`tue,fri`), note.
"""


def _today(ctx: typer.Context) -> date:
    return datetime.now(app_context(ctx).settings.tz).date()


def _marks(node: dict[str, Any]) -> str:
    marks = []
    if node["lends"]:
        marks.append("[green]借[/]")
    if node["pickup"]:
        marks.append("[cyan]取[/]")
    if not node["active"]:
        marks.append("[red]已停用[/]")
    return " ".join(marks)


def _add_branch(tree: Tree, node: dict[str, Any]) -> None:
    label = (
        f"[bold]{node['code']}[/] {node['name']} "
        f"[dim]{node['kind_label']}[/] {_marks(node)}".rstrip()
    )
    branch = tree.add(label)
    for child in node["children"]:
        _add_branch(branch, child)


@app.command("show")
def show_command(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", help="show only this point and what is under it"),
    include_inactive: bool = typer.Option(False, "--all", help="include deactivated points"),
    as_json: bool = JsonOption,
) -> None:
    """Show the service points as a tree (借 lends, 取 hold pickup point).

    --json gives a flat list in tree order: code, name, name_en, kind, parent, lends,
    pickup, address, phone, active, depth and children (how many points are directly under).
    """
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        point = get_point_by_code(uow.session, at) if at else None
        tree = network_tree(uow.session, at=point, active_only=not include_inactive)
    if as_json:
        emit_json(flatten_tree(tree))
        return
    if not tree:
        console.print(
            "还没有服务点。导入一个网络文件：wenjin network import docs/examples/network.yaml\n"
            "No service points yet; import a network file first."
        )
        return
    root = Tree("[bold]总分馆网络[/] Network", guide_style="dim")
    for node in tree:
        _add_branch(root, node)
    console.print(root)
    total = len(flatten_tree(tree))
    console.print(f"[dim]{total} 个服务点 points · 借 = 可外借 lends · 取 = 预约取书点 pickup[/]")


@app.command(
    "import",
    help="Import a network file (all or nothing: a file with a problem imports nothing).\n\n"
    + FILE_HELP,
)
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="the .yaml/.yml or .csv file"),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="the file is the whole network: deactivate points not in it, remove routes not in it",
    ),
    as_json: bool = JsonOption,
) -> None:
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json):
        try:
            data = read_network_file(file)
            with app_ctx.uow() as uow:
                result = import_network(uow.session, data, replace=replace, source=str(file))
                uow.commit()
        except NetworkFileInvalid as exc:
            if not as_json:
                raise
            emit_json(
                {
                    "error": {
                        "code": exc.code,
                        "message": exc.message_zh,
                        "message_en": exc.message_en,
                        "problems": [
                            {
                                "where": p.where_zh,
                                "where_en": p.where_en,
                                "problem": p.what_zh,
                                "problem_en": p.what_en,
                            }
                            for p in exc.problems
                        ],
                    }
                }
            )
            raise typer.Exit(1) from exc
    summary = {
        "file": str(file),
        "points": len(data.points),
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "deactivated": result.deactivated,
        "closed_days_added": result.closed_days_added,
        "closed_days_removed": result.closed_days_removed,
        "routes_added": result.routes_added,
        "routes_updated": result.routes_updated,
        "routes_removed": result.routes_removed,
    }
    if as_json:
        emit_json(summary)
        return
    console.print(
        f"已导入 {file}：服务点 新建 {result.created}、更新 {result.updated}、未变 {result.unchanged}"
        + (f"、停用 {result.deactivated}" if replace else "")
        + f"；闭馆日 +{result.closed_days_added} −{result.closed_days_removed}"
        + f"；物流线路 +{result.routes_added} ~{result.routes_updated} −{result.routes_removed}",
        soft_wrap=True,
    )
    console.print(
        f"[dim]Imported: points created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged}; routes added {result.routes_added}, updated "
        f"{result.routes_updated}, removed {result.routes_removed} (one row per direction)[/]",
        soft_wrap=True,
    )


@app.command(
    "export", help="Write the whole network as a file to edit and import again.\n\n" + FILE_HELP
)
def export_command(
    ctx: typer.Context,
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="yaml or csv (default: from the --output extension, else yaml)"
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="file to write (default: standard output)"
    ),
) -> None:
    if fmt is not None and fmt.lower() not in ("yaml", "yml", "csv"):
        fail(f"--format 只能是 yaml 或 csv，而不是 {fmt!r} / --format must be yaml or csv")
    chosen: Format | None = None if fmt is None else ("csv" if fmt.lower() == "csv" else "yaml")
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors():
        if output is not None and chosen is None:
            chosen = format_for(output)
        with app_ctx.uow(readonly=True) as uow:
            data = export_network(uow.session)
        write_network_file(data, output, chosen or "yaml")
    if output is not None:
        err_console.print(
            f"已导出 {len(data.points)} 个服务点、{len(data.routes)} 条线路到 {output} / "
            f"exported {len(data.points)} points and {len(data.routes)} routes"
        )


@app.command("calendar")
def calendar_command(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="service point code"),
    start: str | None = typer.Option(
        None, "--from", help="first day, e.g. 2026-02-10 (default: today)"
    ),
    days: int = typer.Option(14, "--days", "-n", min=1, max=366, help="how many days"),
    as_json: bool = JsonOption,
) -> None:
    """Show which days a point is open, its hours, and why it is closed (inheritance resolved)."""
    app_ctx = app_context(ctx)
    if start is not None:
        try:
            first = parse_date(start)
        except ValueError:
            fail(
                f"--from 日期 {start!r} 无效，请写成 2026-02-10 / invalid date, write 2026-02-10",
                as_json=as_json,
            )
    else:
        first = _today(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        calendar = calendar_for(uow.session, point)
        statuses = list(calendar.days(first, days))
        name, point_code = point.name, point.code
    if as_json:
        emit_json(
            {
                "code": point_code,
                "name": name,
                "hours_configured": calendar.hours_configured,
                "weekly": {
                    WEEKDAY_KEYS[day - 1]: [str(p) for p in calendar.weekly.on(day)]
                    for day in range(1, 8)
                },
                "days": [
                    {
                        "date": s.day,
                        "weekday": s.day.isoweekday(),
                        "open": s.is_open,
                        "hours": [str(p) for p in s.hours],
                        "reason": s.label_zh if not s.is_open else None,
                        "reason_en": s.label_en if not s.is_open else None,
                    }
                    for s in statuses
                ],
            }
        )
        return
    last = first + timedelta(days=days - 1)
    table = Table(title=f"{point_code} {name} · {first.isoformat()} – {last.isoformat()}")
    table.add_column("日期 Date")
    table.add_column("星期")
    table.add_column("开放 Open")
    table.add_column("时间 / 原因 Hours / reason")
    for s in statuses:
        table.add_row(
            s.day.isoformat(),
            WEEKDAY_ZH[s.day.isoweekday() - 1],
            "[green]开[/]" if s.is_open else "[red]闭[/]",
            s.label_zh,
        )
    console.print(table)
    if not calendar.hours_configured:
        console.print("[yellow]该服务点及其上级都没有设置开放时间，按每天开放计算。[/]")
    else:
        console.print(f"[dim]每周：{calendar.weekly.describe_zh()}[/]")


def _route_json(
    route: Route[Any] | None, source: Any, target: Any, arrival: date | None
) -> dict[str, Any]:
    return {
        "from": source.code,
        "to": target.code,
        "reachable": route is not None,
        "days": route.days if route else None,
        "path": [{"code": p.code, "name": p.name} for p in route.path] if route else [],
        "arrives": arrival,
    }


@app.command("route")
def route_command(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="FROM", help="point the item leaves"),
    target: str = typer.Argument(..., metavar="TO", help="point it goes to"),
    depart: str | None = typer.Option(
        None, "--on", help="hand-over date: also give the arrival date, waiting for courier days"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Show the courier travel days between two points and the way it goes."""
    app_ctx = app_context(ctx)
    day: date | None = None
    if depart is not None:
        try:
            day = parse_date(depart)
        except ValueError:
            fail(f"--on 日期 {depart!r} 无效，请写成 2026-02-10 / invalid date", as_json=as_json)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        a = get_point_by_code(uow.session, source)
        b = get_point_by_code(uow.session, target)
        route = shortest_route(uow.session, a, b)
        arrival = None
        if day is not None and route is not None:
            found = route_map(uow.session).earliest_arrival(a.id, b.id, day)
            arrival = found[0] if found else None
        payload = _route_json(route, a, b, arrival)
    if as_json:
        emit_json(payload)
        return
    if route is None:
        console.print(
            f"{payload['from']} 与 {payload['to']} 之间没有物流线路连通 / "
            "no courier route joins these points"
        )
        return
    path = " → ".join(f"{p['code']} {p['name']}" for p in payload["path"])
    console.print(f"路上 {route.days} 天 / {route.days} day(s): {path}", soft_wrap=True)
    if arrival is not None:
        console.print(f"{day} 交运，最早 {arrival} 到达（按各线路发车日）/ arrives {arrival}")
