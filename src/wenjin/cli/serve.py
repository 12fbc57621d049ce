"""``wenjin serve``: the web application on this machine."""

from __future__ import annotations

import errno
import os
import socket

import typer

from wenjin.cli.common import app_context, console, fail


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    sip2_port: int | None = typer.Option(
        None, "--sip2-port", min=1, max=65535, help="also serve SIP2 to kiosks on this port"
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="web worker processes (one per core for a busy OPAC; they share the database "
        "and the search index)",
    ),
) -> None:
    """网站 Web: the public pages (home, network, records) on this machine; migrates first.

    With --sip2-port, the SIP2 server for self-check machines runs beside it
    (the same as ``wenjin sip2 serve``, on the same host)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    _check_port_free(host, port)
    if sip2_port is not None:
        _check_port_free(host, sip2_port)

    # Imported here so that every other `wenjin` command starts without the web stack.
    import uvicorn

    from wenjin.web.app import create_app

    url = app_ctx.engine.url.render_as_string(hide_password=True)
    console.print(
        f"文津 Wenjin: {_address(host, port)}  (数据库 database {url}"
        + (f", {workers} 个进程 workers)" if workers > 1 else ")")
    )
    if sip2_port is not None:
        from wenjin.cli.sip2 import sip2_options
        from wenjin.protocols.sip2.server import BackgroundServer

        BackgroundServer(app_ctx.engine, sip2_options(host, sip2_port)).start()
        console.print(f"文津 SIP2: {host}:{sip2_port}  (自助机 kiosks: wenjin sip2 account list)")
    console.print("按 Ctrl+C 停止 · Press Ctrl+C to stop")
    if workers == 1:
        app = create_app(app_ctx.settings)
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
        return
    # Each worker process builds the app from the environment: hand it these settings.
    os.environ["WENJIN_DATABASE_URL"] = app_ctx.settings.effective_database_url
    os.environ["WENJIN_DATA_DIR"] = str(app_ctx.settings.data_dir.resolve())
    uvicorn.run(
        "wenjin.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        server_header=False,
    )


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _check_port_free(host: str, port: int) -> None:
    """Fail with a message a librarian can act on instead of a uvicorn traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                fail(
                    f"端口 {port} 已被占用，请用 --port 换一个端口 / "
                    f"port {port} is already in use; choose another with --port"
                )
            fail(
                f"无法在 {host}:{port} 上监听（{exc.strerror}），请检查 --host / "
                f"cannot listen on {host}:{port} ({exc.strerror}); check --host"
            )
