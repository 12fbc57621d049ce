"""``wenjin sip2``: the SIP2 server for self-check machines, and the kiosk accounts."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import typer
from rich.table import Table

from wenjin.cli.common import JsonOption, app_context, console, domain_errors, emit_json, fail
from wenjin.protocols.sip2.kiosks import (
    ENCODINGS,
    add_kiosk_account,
    kiosk_summary,
    list_kiosk_accounts,
)

app = typer.Typer(
    help="SIP2 自助借还 Self-check machines: the SIP2 server and kiosk accounts",
    no_args_is_help=True,
)
account_app = typer.Typer(help="自助机账户 Kiosk accounts", no_args_is_help=True)
app.add_typer(account_app, name="account")


@account_app.command("add")
def account_add_command(
    ctx: typer.Context,
    login: str = typer.Option(..., "--login", help="the login id the machine sends (CN)"),
    password: str = typer.Option(..., "--password", help="its password (CO), 6 characters or more"),
    at: str = typer.Option(..., "--at", help="the service point it stands at, e.g. ZX-24H"),
    encoding: str = typer.Option(
        "utf-8", "--encoding", help=f"text encoding: {' or '.join(ENCODINGS)}"
    ),
    checksums: bool = typer.Option(
        False, "--checksums", help="require AY/AZ sequence numbers and checksums"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Add a kiosk account: every transaction of that machine happens at --at."""
    app_ctx = app_context(ctx)
    with domain_errors(as_json):
        app_ctx.require_schema()
        with app_ctx.uow() as uow:
            account = add_kiosk_account(
                uow.session,
                login=login,
                password=password,
                point_code=at,
                encoding=encoding,
                checksums=checksums,
            )
            uow.commit()
            shown = kiosk_summary(account)
    if as_json:
        emit_json(shown)
        return
    console.print(
        f"[green]已添加自助机账户 Kiosk account added:[/] {shown['login']} @ "
        f"{shown['point']} {shown['point_name']} ({shown['encoding']}"
        f"{', 校验和 checksums' if shown['checksums'] else ''})"
    )


@account_app.command("list")
def account_list_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """List the kiosk accounts."""
    app_ctx = app_context(ctx)
    with domain_errors(as_json):
        app_ctx.require_schema()
        with app_ctx.uow(readonly=True) as uow:
            rows = [kiosk_summary(a) for a in list_kiosk_accounts(uow.session)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print("没有自助机账户 No kiosk accounts; add one with wenjin sip2 account add")
        return
    table = Table("登录 login", "服务点 point", "编码 encoding", "校验和 checksums", "启用 active")
    for row in rows:
        table.add_row(
            row["login"],
            f"{row['point']} {row['point_name']}",
            row["encoding"],
            "Y" if row["checksums"] else "N",
            "Y" if row["active"] else "N",
        )
    console.print(table)


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(6001, "--port", min=1, max=65535, help="TCP port"),
    max_connections: int = typer.Option(200, "--max-connections", min=1, help="kiosks at once"),
    idle_timeout: float = typer.Option(
        300.0, "--idle-timeout", min=1.0, help="seconds of silence before hanging up"
    ),
    tls_cert: str | None = typer.Option(None, "--tls-cert", help="PEM certificate: serve TLS"),
    tls_key: str | None = typer.Option(None, "--tls-key", help="PEM private key of --tls-cert"),
) -> None:
    """SIP2 服务 Serve SIP2 to self-check machines (Ctrl+C stops it); migrates first."""
    from wenjin.protocols.sip2.server import serve

    if bool(tls_cert) != bool(tls_key):
        fail("--tls-cert 与 --tls-key 须同时给出 / give both --tls-cert and --tls-key")
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    options = sip2_options(host, port, max_connections, idle_timeout, tls_cert, tls_key)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    console.print(f"文津 SIP2: {host}:{port}{' (TLS)' if tls_cert else ''}")
    console.print("按 Ctrl+C 停止 · Press Ctrl+C to stop")
    try:
        asyncio.run(serve(app_ctx.engine, options))
    except OSError as exc:
        fail(f"无法在 {host}:{port} 上监听（{exc.strerror}）/ cannot listen on {host}:{port}")
    except KeyboardInterrupt:
        console.print("SIP2 已停止 stopped")


def sip2_options(
    host: str,
    port: int,
    max_connections: int = 200,
    idle_timeout: float = 300.0,
    tls_cert: str | None = None,
    tls_key: str | None = None,
) -> Any:
    from wenjin.protocols.sip2.server import ServerOptions

    return ServerOptions(
        host=host,
        port=port,
        max_connections=max_connections,
        idle_timeout=idle_timeout,
        tls_cert=tls_cert,
        tls_key=tls_key,
    )
