"""``wenjin db``: create and migrate the database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import typer

from wenjin.cli.common import JsonOption, app_context, console, emit_json
from wenjin.db.migrate import current_revision, head_revision, upgrade

app = typer.Typer(help="数据库 Database: migrate and inspect", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(
    ctx: typer.Context,
    revision: str = typer.Argument("head", help="target revision"),
    as_json: bool = JsonOption,
) -> None:
    """Migrate the database to the latest schema (creates it if absent)."""
    app_ctx = app_context(ctx)
    before = current_revision(app_ctx.engine)
    upgrade(app_ctx.engine, revision)
    after = current_revision(app_ctx.engine)
    url = app_ctx.engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json({"database": url, "from": before, "to": after})
    else:
        console.print(f"数据库 {url}: {before or '(空 empty)'} → {after}")


@app.command("status")
def status_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Show the database URL and whether its schema is current."""
    app_ctx = app_context(ctx)
    current = current_revision(app_ctx.engine)
    head = head_revision(app_ctx.engine)
    url = app_ctx.engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json(
            {"database": url, "current": current, "head": head, "up_to_date": current == head}
        )
    else:
        state = "最新 up to date" if current == head else "需要升级 run `wenjin db upgrade`"
        console.print(f"数据库 {url}\n当前 {current} / 最新 {head}: {state}")
