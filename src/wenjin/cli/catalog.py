"""``wenjin catalog``: import and export MARC records (with their items)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any, BinaryIO

import typer
from rich.table import Table

from wenjin.catalog.errors import ImportFileUnreadable
from wenjin.catalog.exporting import ExportProgress, run_export
from wenjin.catalog.importing import (
    DEFAULT_BATCH_SIZE,
    ImportProgress,
    ImportSummary,
    default_rejects_path,
    run_import,
)
from wenjin.catalog.marc.charsets import normalise_encoding_name
from wenjin.catalog.states import MarcFlavour
from wenjin.cli.common import (
    JsonOption,
    app_context,
    cli_actor,
    console,
    domain_errors,
    emit_json,
    err_console,
    fail,
    progress,
)

app = typer.Typer(
    help="书目 Catalogue: import and export MARC records (MARC21, CNMARC) with their items",
    no_args_is_help=True,
)

_FLAVOURS = {flavour.value: flavour for flavour in MarcFlavour}


def _flavour(value: str | None, as_json: bool) -> MarcFlavour | None:
    if value is None:
        return None
    flavour = _FLAVOURS.get(value.strip().lower())
    if flavour is None:
        fail(
            f"不认识的 MARC 格式 {value!r}，可用 marc21 或 cnmarc / unknown flavour {value!r}: "
            "use marc21 or cnmarc",
            as_json=as_json,
            code="flavour_unknown",
            exit_code=2,
        )
    return flavour


def _rejects_path(given: Path | None, path: Path, several: bool) -> Path | None:
    if given is None:
        return None
    if several or given.is_dir():
        return given / default_rejects_path(path).name
    return given


@app.command("import")
def import_command(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        ..., help="MARC files: ISO 2709 (.mrc/.iso), MARCXML (.xml) or MARC-in-JSON (.json)"
    ),
    source: str | None = typer.Option(
        None,
        "--source",
        help="where the records come from, for matching on re-import (default: 003, else local)",
    ),
    encoding: str | None = typer.Option(
        None,
        "--encoding",
        help="character set of every record (utf-8, gb18030, gbk, marc-8, cp1251 …); "
        "default: leader/9 for MARC21, 100$a/26-29 for CNMARC",
    ),
    flavour: str | None = typer.Option(
        None, "--flavour", help="marc21 or cnmarc for every record (default: told per record)"
    ),
    items_at: str | None = typer.Option(
        None,
        "--items-at",
        help="service point code for copies that name none; one copy per record without "
        "holdings; barcodes generated where missing",
    ),
    rejects: Path | None = typer.Option(
        None,
        "--rejects",
        help="rejects report (default <file>.rejects.txt beside each file; a directory when "
        "several files are given)",
    ),
    batch_size: int = typer.Option(
        DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="records per transaction"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Import MARC records; re-importing a file updates its records instead of duplicating them.

    A bad record never stops the import: it goes to the rejects report with its
    position, byte offset, 001 and the reason (ISO 2709 rejects also to
    <file>.rejects.mrc, as they were, to fix and import again). Exit status 0 when
    every file could be read, even with rejected records.
    """
    app_ctx = app_context(ctx)
    wanted_flavour = _flavour(flavour, as_json)
    if encoding is not None:
        try:
            normalise_encoding_name(encoding)
        except LookupError:
            fail(
                f"不认识的编码 {encoding!r} / unknown encoding {encoding!r}",
                as_json=as_json,
                code="encoding_unknown",
                exit_code=2,
            )
    summaries: list[ImportSummary] = []
    unreadable: list[dict[str, str]] = []
    with domain_errors(as_json):
        app_ctx.require_schema()
        with progress() as bar:
            for path in files:
                task = bar.add_task(f"导入 {path.name}", total=None)

                def on_progress(
                    state: ImportProgress, task: Any = task, name: str = path.name
                ) -> None:
                    bar.update(
                        task,
                        completed=state.bytes_done,
                        total=state.bytes_total,
                        description=f"导入 {name} · {state.records:,} 条",
                    )

                try:
                    summary = run_import(
                        app_ctx.engine,
                        path,
                        source=source,
                        encoding=encoding,
                        flavour=wanted_flavour,
                        items_at=items_at,
                        rejects_path=_rejects_path(rejects, path, len(files) > 1),
                        batch_size=batch_size,
                        on_progress=on_progress,
                        actor=cli_actor(),
                    )
                except ImportFileUnreadable as exc:
                    bar.update(task, visible=False)
                    unreadable.append(
                        {"file": str(path), "message": exc.message_zh, "message_en": exc.message_en}
                    )
                    err_console.print(f"[bold red]错误:[/] {exc.message_zh}")
                    err_console.print(f"[red]Error:[/] {exc.message_en}")
                    continue
                summaries.append(summary)
    _report_import(summaries, unreadable, as_json)
    if unreadable:
        raise typer.Exit(1)


def _summary_json(summary: ImportSummary) -> dict[str, Any]:
    return {
        "file": summary.path,
        "format": summary.format,
        "records": summary.records,
        "imported": summary.imported,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "items_created": summary.items_created,
        "items_updated": summary.items_updated,
        "problems": summary.problems,
        "rejects_file": str(summary.rejects_path) if summary.rejects_path else None,
        "rejects_marc_file": str(summary.rejects_marc_path) if summary.rejects_marc_path else None,
        "seconds": round(summary.seconds, 3),
        "records_per_second": round(summary.records_per_second, 1),
    }


def _report_import(
    summaries: list[ImportSummary], unreadable: list[dict[str, str]], as_json: bool
) -> None:
    def total(attribute: str) -> int:
        return sum(int(getattr(summary, attribute)) for summary in summaries)

    seconds = sum(summary.seconds for summary in summaries)
    records = total("records")
    reports = [str(s.rejects_path) for s in summaries if s.rejects_path]
    if as_json:
        emit_json(
            {
                "imported": total("imported"),
                "updated": total("updated"),
                "unchanged": total("unchanged"),
                "rejected": total("rejected"),
                "items_created": total("items_created"),
                "items_updated": total("items_updated"),
                "rejects_file": reports[0] if len(summaries) == 1 and reports else None,
                "seconds": round(seconds, 3),
                "records_per_second": round(records / seconds, 1) if seconds else 0.0,
                "files": [_summary_json(summary) for summary in summaries],
                "unreadable": unreadable,
            }
        )
        return
    table = Table(title="导入结果 Import")
    for header in (
        "文件 file",
        "新增 new",
        "更新 updated",
        "拒收 rejected",
        "新增册 items",
        "条/秒 rec/s",
    ):
        table.add_column(header, justify="left" if header.startswith("文件") else "right")
    for s in summaries:
        table.add_row(
            Path(s.path).name,
            f"{s.imported:,}",
            f"{s.updated:,}" + (f" ({s.unchanged:,} 未变)" if s.unchanged else ""),
            f"{s.rejected:,}",
            f"{s.items_created:,}",
            f"{s.records_per_second:,.0f}",
        )
    console.print(table)
    console.print(
        f"共 {total('imported'):,} 条新增，{total('updated'):,} 条更新，"
        f"{total('rejected'):,} 条拒收，新增 {total('items_created'):,} 册，用时 {seconds:.1f} 秒"
    )
    for report in reports:
        console.print(f"问题报告 Report: {report}")


@app.command("export")
def export_command(
    ctx: typer.Context,
    file_format: str = typer.Option(
        "iso2709", "--format", help="iso2709 (UTF-8), marcxml or json (MARC-in-JSON)"
    ),
    flavour: str | None = typer.Option(
        None, "--flavour", help="marc21 or cnmarc (default: each record in its own flavour)"
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="file to write (default: standard output)"
    ),
    point: str | None = typer.Option(
        None, "--point", help="only the items of this point and those under it (and their records)"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Export the catalogue with its items (952 in MARC21, 905 in CNMARC)."""
    app_ctx = app_context(ctx)
    if file_format not in ("iso2709", "marcxml", "json"):
        fail(
            f"不认识的格式 {file_format!r}，可用 iso2709、marcxml、json / unknown format "
            f"{file_format!r}: use iso2709, marcxml or json",
            as_json=as_json,
            code="format_unknown",
            exit_code=2,
        )
    wanted_flavour = _flavour(flavour, as_json)
    with domain_errors(as_json):
        app_ctx.require_schema()
        destination = output.open("wb") if output else nullcontext(sys.stdout.buffer)
        with destination as stream, progress() as bar:
            task = bar.add_task("导出 export", total=None)

            def on_progress(state: ExportProgress) -> None:
                bar.update(task, completed=state.records, total=state.total)

            summary = run_export(
                app_ctx.engine,
                _binary(stream),
                file_format=file_format,  # type: ignore[arg-type]
                flavour=wanted_flavour,
                point=point,
                on_progress=on_progress,
            )
    data = {
        "records": summary.records,
        "items": summary.items,
        "skipped": summary.skipped,
        "problems": summary.problems,
        "format": summary.format,
        "flavour": summary.flavour,
        "output": str(output) if output else None,
        "seconds": round(summary.seconds, 3),
    }
    # With no --output the records are on standard output: the summary goes to stderr.
    if as_json and output:
        emit_json(data)
        return
    target = console if output else err_console
    for problem in summary.problems:
        err_console.print(f"[yellow]{problem}[/]")
    target.print(
        f"导出 {summary.records:,} 条记录、{summary.items:,} 册"
        + (f"，{summary.skipped} 条过长未导出" if summary.skipped else "")
        + (f" → {output}" if output else "")
    )


def _binary(stream: Any) -> BinaryIO:
    return stream  # type: ignore[no-any-return]
