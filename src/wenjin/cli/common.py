"""What every ``wenjin`` sub-command shares: settings, the engine, output and errors."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine

from wenjin.config import Settings
from wenjin.db.engine import make_engine
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError

console = Console()
err_console = Console(stderr=True)

JsonOption = typer.Option(False, "--json", help="machine-readable JSON on stdout")
# Options that many commands share, spelt once.
AtOption = typer.Option(..., "--at", help="服务点 the service point code of this desk")
ItemOption = typer.Option(..., "--item", help="册条码 item barcode")
ActorOption = typer.Option(None, "--by", help="经办人 who does it (for the log)")


@dataclass
class AppContext:
    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(
                self.settings.effective_database_url, echo=self.settings.sql_echo
            )
        return self._engine

    def close(self) -> None:
        """Dispose of the engine: no pooled connection outlives the command (or a CliRunner run)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def uow(self, *, readonly: bool = False, actor: str | None = None) -> UnitOfWork:
        """A unit of work; its changes are in the audit trail as ``actor`` (``--by``) or
        as ``cli:<user>``, the account that ran the command."""
        return UnitOfWork(self.engine, readonly=readonly, actor=actor or cli_actor())

    def require_schema(self) -> None:
        """Migrate an empty or outdated database so that no command meets a missing table."""
        from wenjin.db.migrate import is_up_to_date, upgrade

        if not is_up_to_date(self.engine):
            upgrade(self.engine)


def cli_actor() -> str:
    """``cli:<login name>`` of whoever runs the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return f"cli:uid{os.getuid()}"


def app_context(ctx: typer.Context) -> AppContext:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = AppContext(settings=Settings())
        root.call_on_close(root.obj.close)
    obj: AppContext = root.obj
    return obj


def to_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n")


def fail(
    message: str, *, as_json: bool = False, code: str = "error", exit_code: int = 1
) -> NoReturn:
    if as_json:
        emit_json({"error": {"code": code, "message": message}})
    else:
        err_console.print(f"[bold red]错误 Error:[/] {message}")
    raise typer.Exit(exit_code)


@contextmanager
def domain_errors(as_json: bool = False) -> Iterator[None]:
    """Turn a domain error into a readable message and a non-zero exit."""
    try:
        yield
    except WenjinError as exc:
        if as_json:
            emit_json(
                {
                    "error": {
                        "code": exc.code,
                        "message": exc.message_zh,
                        "message_en": exc.message_en,
                    }
                }
            )
            raise typer.Exit(1) from exc
        err_console.print(f"[bold red]错误:[/] {exc.message_zh}")
        if exc.message_en != exc.message_zh:
            err_console.print(f"[red]Error:[/] {exc.message_en}")
        raise typer.Exit(1) from exc


def progress(*, transient: bool = False, quiet: bool = False) -> Progress:
    """A progress bar on stderr, so that ``--json`` output on stdout stays clean."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=transient,
        disable=quiet,
    )


ProgressCallback = Callable[[int], None]


def parse_date(value: str, option: str, as_json: bool) -> date:
    """A date typed at the terminal (2026-04-23 or 2026/04/23), or a readable refusal."""
    try:
        return date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError:
        fail(
            f"{option} {value!r} 不是日期，请写成 2026-04-23 / {option} {value!r} is not a date; "
            "write 2026-04-23",
            as_json=as_json,
            code="date_invalid",
        )
