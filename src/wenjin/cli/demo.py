"""``wenjin demo``: build the demo network of the 2020 report, with its catalogue."""

from __future__ import annotations

from enum import StrEnum

import typer
from rich.table import Table

from wenjin.cli.common import (
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    err_console,
    progress,
)
from wenjin.demo.build import DEFAULT_BATCH_SIZE, DemoProgress, DemoSummary, build_demo
from wenjin.demo.scales import get_scale
from wenjin.network.states import PointKind


class ScaleName(StrEnum):
    """The choices of ``--scale``: the names of :data:`wenjin.demo.scales.SCALES`."""

    SMALL = "small"
    MEDIUM = "medium"
    REPORT = "report"


SCALE_HELP = (
    "small: 2,000 titles / ~8,000 volumes, seconds (tests); medium: a tenth of the report; "
    "report: the report's 3.07M volumes (700,000 titles; about half an hour on SQLite)"
)


def demo_command(
    ctx: typer.Context,
    scale: ScaleName = typer.Option(ScaleName.SMALL, "--scale", help=SCALE_HELP),
    seed: int = typer.Option(
        2020, "--seed", help="same seed, same demo (names, records, barcodes)"
    ),
    if_absent: bool = typer.Option(
        False, "--if-absent", help="do nothing if this demo is already complete in the database"
    ),
    batch_size: int = typer.Option(
        DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="records saved per transaction"
    ),
    as_json: bool = JsonOption,
) -> None:
    """演示数据 Build the demo network of Zhucheng City Library's 2020 report, with its catalogue.

    1 central library (two buildings), 13 town branches, 16 school libraries, 237 village reading rooms, 32 rotating book stations, the 24-hour library and the scenic-spot reading room, with courier routes, opening hours and holidays; then a catalogue of Chinese and English records with their copies spread over the points.

    Interrupted, it can simply be run again: it carries on where it stopped.
    """
    app_ctx = app_context(ctx)
    with domain_errors(as_json):
        demo_scale = get_scale(str(scale))
        app_ctx.require_schema()
        with progress() as bar:
            task = bar.add_task("书目 records", total=demo_scale.titles)

            def on_progress(state: DemoProgress) -> None:
                bar.update(
                    task,
                    completed=state.records_done,
                    description=f"书目 records（册 items +{state.items_saved:,}）",
                )

            try:
                summary = build_demo(
                    app_ctx.engine,
                    scale=demo_scale,
                    seed=seed,
                    if_absent=if_absent,
                    batch_size=batch_size,
                    on_progress=on_progress,
                )
            except KeyboardInterrupt:
                bar.stop()
                err_console.print(
                    "[yellow]已中断：已提交的批次都保留着，再次运行同一命令即可继续。[/]\n"
                    "Interrupted: the batches committed so far are kept; run the same command "
                    "again to finish."
                )
                raise typer.Exit(130) from None
            if summary.already_complete:
                bar.update(
                    task, completed=demo_scale.titles, description="书目 records（已完整 complete）"
                )
    database = app_ctx.engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json({"database": database, **_jsonable(summary)})
        return
    _print_summary(summary, database)


def _jsonable(summary: DemoSummary) -> dict[str, object]:
    return {
        "scale": summary.scale,
        "seed": summary.seed,
        "points_by_kind": summary.points_by_kind,
        "points": sum(summary.points_by_kind.values()),
        "records": summary.records,
        "items": summary.items,
        "items_by_kind": summary.items_by_kind,
        "seconds": summary.seconds,
        "already_complete": summary.already_complete,
        "batches_saved": summary.batches_saved,
        "batches_skipped": summary.batches_skipped,
    }


def _print_summary(summary: DemoSummary, database: str) -> None:
    if summary.already_complete:
        console.print(f"演示数据已完整，未做改动 The demo is already complete: {database}")
    table = Table(title=f"演示数据 Demo ({summary.scale}, seed {summary.seed})")
    table.add_column("类型 kind")
    table.add_column("服务点 points", justify="right")
    table.add_column("册 items", justify="right")
    for kind in PointKind:
        points = summary.points_by_kind.get(kind.value, 0)
        items = summary.items_by_kind.get(kind.value, 0)
        if points or items:
            table.add_row(f"{kind.label_zh} {kind.value}", f"{points:,}", f"{items:,}")
    table.add_row(
        "合计 total",
        f"{sum(summary.points_by_kind.values()):,}",
        f"{summary.items:,}",
        end_section=True,
    )
    console.print(table)
    console.print(
        f"书目 records {summary.records:,} · 册 items {summary.items:,} · "
        f"{summary.seconds:.1f} s · {database}"
    )
    if summary.batches_skipped:
        console.print(
            f"[dim]{summary.batches_skipped} 个批次已由上次运行保存 "
            f"batches were already saved by an earlier run[/]"
        )
