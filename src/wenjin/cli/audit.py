"""``wenjin audit``: the audit trail (操作日志) — who changed points, records, copies,
readers, accounts and kiosks, and what changed."""

from __future__ import annotations

import json
from datetime import datetime, time

import typer
from rich.table import Table

from wenjin.audit.queries import MAX_ENTRIES, audit_trail
from wenjin.audit.rules import FOLLOWED
from wenjin.cli.common import JsonOption, app_context, console, emit_json, fail, parse_date

app = typer.Typer(help="操作日志 Audit trail: who changed what", no_args_is_help=True)

_ACTIONS_ZH = {"created": "新建", "changed": "修改", "removed": "删除"}


@app.command("list")
def list_command(
    ctx: typer.Context,
    entity: str | None = typer.Option(
        None, "--entity", help=f"表 table: {', '.join(sorted(FOLLOWED))}"
    ),
    entity_id: int | None = typer.Option(None, "--id", help="行号 row id (with --entity)"),
    actor: str | None = typer.Option(None, "--actor", help="经办人 who: wang.li, cli:root, …"),
    since: str | None = typer.Option(None, "--since", help="自某日起 from this day (YYYY-MM-DD)"),
    limit: int = typer.Option(100, "--limit", min=1, max=MAX_ENTRIES, help="newest first"),
    as_json: bool = JsonOption,
) -> None:
    """操作日志 The newest changes first."""
    if entity is not None and entity not in FOLLOWED:
        fail(
            f"操作日志不记录表 {entity!r}；可选：{', '.join(sorted(FOLLOWED))} / "
            f"the audit trail does not follow {entity!r}",
            as_json=as_json,
            code="audit_entity_unknown",
        )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    start = None
    if since is not None:
        day = parse_date(since, "--since", as_json)
        start = datetime.combine(day, time(), tzinfo=app_ctx.settings.tz)
    with app_ctx.uow(readonly=True) as uow:
        entries = audit_trail(
            uow.session, entity=entity, entity_id=entity_id, actor=actor, since=start, limit=limit
        )
    if as_json:
        emit_json({"entries": entries})
        return
    table = Table(title="操作日志 Audit trail")
    for header in ("#", "时间 At", "经办人 Who", "操作 What", "对象 Which", "变化 Change"):
        table.add_column(header)
    for entry in entries:
        which = f"{entry.entity}#{entry.entity_id}" + (f" {entry.label}" if entry.label else "")
        change = entry.after if entry.action != "removed" else entry.before
        table.add_row(
            str(entry.id),
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor or "—",
            f"{_ACTIONS_ZH[entry.action]} {entry.action}",
            which,
            json.dumps(change, ensure_ascii=False)[:120],
        )
    console.print(table)
