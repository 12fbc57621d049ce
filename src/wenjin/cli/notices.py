"""``wenjin notices``: the outbox of notices to readers, until channels deliver them."""

from __future__ import annotations

import typer
from rich.table import Table

from wenjin.cli.common import JsonOption, app_context, console, domain_errors, emit_json, fail
from wenjin.notices.queries import list_notices
from wenjin.notices.states import NoticeStatus

app = typer.Typer(
    help="通知 Notices: the outbox (hold ready, hold expired …)", no_args_is_help=True
)


@app.command("list")
def list_command(
    ctx: typer.Context,
    status: str | None = typer.Option(
        None, "--status", help="queued | sent | failed (待发送 / 已发送 / 发送失败)"
    ),
    patron: str | None = typer.Option(None, "--patron", help="读者证号 card number"),
    limit: int = typer.Option(200, "--limit", min=1, help="at most this many, newest first"),
    as_json: bool = JsonOption,
) -> None:
    """通知列表 The newest notices first."""
    wanted = None
    if status is not None:
        try:
            wanted = NoticeStatus(status.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in NoticeStatus)
            fail(
                f"没有通知状态 {status!r}，可选：{choices} / no notice status {status!r}; "
                f"choose one of: {choices}",
                as_json=as_json,
                code="notice_status_invalid",
            )
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        lines = list_notices(uow.session, status=wanted, card_number=patron, limit=limit)
    if as_json:
        emit_json({"notices": lines})
        return
    table = Table(title="通知发件箱 Notices outbox")
    for header in ("#", "类型 Kind", "读者 Reader", "状态 Status", "时间 Created", "内容 Text"):
        table.add_column(header)
    for line in lines:
        table.add_row(
            str(line.id),
            line.kind_zh,
            line.patron_name,
            line.status.label_zh,
            line.created_at.strftime("%Y-%m-%d %H:%M"),
            line.text_zh,
        )
    console.print(table)
