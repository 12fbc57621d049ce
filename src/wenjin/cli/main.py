"""The ``wenjin`` command."""

from __future__ import annotations

import typer

from wenjin import __version__
from wenjin.cli import (
    admin,
    audit,
    catalog,
    circ,
    db,
    demo,
    fees,
    holds,
    item,
    network,
    notices,
    patron,
    policy,
    rotation,
    search,
    sip2,
    transit,
)
from wenjin.cli.serve import serve_command

app = typer.Typer(
    name="wenjin",
    help="文津 Wenjin — 图书馆总分馆服务平台 · library services platform for public library networks",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(admin.app, name="admin")
app.add_typer(audit.app, name="audit")
app.add_typer(catalog.app, name="catalog")
app.add_typer(item.app, name="item")
app.add_typer(network.app, name="network")
app.add_typer(patron.app, name="patron")
app.add_typer(fees.app, name="fees")
app.add_typer(circ.app, name="circ")
app.add_typer(policy.app, name="policy")
app.add_typer(transit.app, name="transit")
app.add_typer(rotation.app, name="rotation")
app.add_typer(holds.app, name="holds")
app.add_typer(notices.app, name="notices")
app.add_typer(sip2.app, name="sip2")
app.add_typer(search.app, name="search")
app.command("serve")(serve_command)
app.add_typer(demo.app, name="demo")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wenjin {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="print the version"
    ),
) -> None:
    """Settings come from WENJIN_* environment variables (WENJIN_DATABASE_URL, WENJIN_DATA_DIR)."""


def main() -> None:
    app()
