"""``wenjin demo``: build the demo network of the 2020 report, with its catalogue, readers and
a year of circulation; ``wenjin demo check``: verify the circulation state is consistent."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum

import typer
from rich.progress import TaskID
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
from wenjin.demo.checks import circulation_problems
from wenjin.demo.circulation import CirculationFigures
from wenjin.demo.scales import get_scale
from wenjin.fees.errors import yuan
from wenjin.network.states import PointKind
from wenjin.patrons.queries import network_today

app = typer.Typer(no_args_is_help=False)

PHASE_LABELS = {
    "patrons": "读者 readers",
    "history": "模拟一年流通 simulating a year (days)",
    "saving": "写入流通记录 saving circulation",
}


class ScaleName(StrEnum):
    """The choices of ``--scale``: the names of :data:`wenjin.demo.scales.SCALES`."""

    SMALL = "small"
    MEDIUM = "medium"
    REPORT = "report"


SCALE_HELP = (
    "small: 2,000 titles / ~8,000 volumes, seconds (tests); medium: a tenth of the report; "
    "report: the report's 3.07M volumes (700,000 titles; about half an hour on SQLite)"
)


@app.callback(invoke_without_command=True)
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

    1 central library (two buildings), 13 town branches, 16 school libraries, 237 village reading rooms, 32 rotating book stations, the 24-hour library and the scenic-spot reading room, with courier routes, opening hours and holidays; then a catalogue of Chinese and English records with their copies spread over the points; then the report's 13.5万 card holders (scaled like the catalogue) and the year of circulation before today: loans open and overdue, items in transit, fines paid, waived and owed. Every demo reader's PIN is 123456.

    Interrupted, it can simply be run again: it carries on where it stopped. `wenjin demo check` verifies the result.
    """
    if ctx.invoked_subcommand is not None:
        return
    app_ctx = app_context(ctx)
    with domain_errors(as_json):
        demo_scale = get_scale(str(scale))
        app_ctx.require_schema()
        with progress() as bar:
            task = bar.add_task("书目 records", total=demo_scale.titles)
            phases: dict[str, TaskID] = {}

            def on_progress(state: DemoProgress) -> None:
                if state.phase == "records":
                    bar.update(
                        task,
                        completed=state.records_done,
                        description=f"书目 records（册 items +{state.items_saved:,}）",
                    )
                    return
                if state.phase not in phases:
                    label = PHASE_LABELS.get(state.phase, state.phase)
                    phases[state.phase] = bar.add_task(label, total=state.phase_total)
                bar.update(phases[state.phase], completed=state.phase_done, total=state.phase_total)

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
        "circulation": asdict(summary.circulation) if summary.circulation else None,
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
    if summary.circulation is not None:
        _print_circulation(summary.circulation)
    if summary.batches_skipped:
        console.print(
            f"[dim]{summary.batches_skipped} 个批次已由上次运行保存 "
            f"batches were already saved by an earlier run[/]"
        )


def _print_circulation(figures: CirculationFigures) -> None:
    table = Table(title="读者与一年流通 Readers and a year of circulation")
    table.add_column("项目 figure")
    table.add_column("数量 count", justify="right")
    for label, value in (
        ("读者 patrons", f"{figures.patrons:,}"),
        ("一年借出 loans in the year", f"{figures.loans_in_year:,}"),
        ("其中24小时自助 of them self-service", f"{figures.self_service_loans:,}"),
        ("在借 open loans", f"{figures.open_loans:,}"),
        ("超期 overdue", f"{figures.overdue:,}"),
        ("在途 in transit", f"{figures.in_transit:,}"),
        ("罚款 fines charged", yuan(figures.fines_charged_fen)),
        ("已缴 paid", yuan(figures.fines_paid_fen)),
        ("减免 waived", yuan(figures.fines_waived_fen)),
        ("未缴 outstanding", yuan(figures.fines_outstanding_fen)),
    ):
        table.add_row(label, value)
    console.print(table)


@app.command("check")
def check_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """核对 Verify the circulation state: items on loan and in transit match their loans and
    transits, nobody is over their limits, fees add up to payments, waivers and what is owed."""
    app_ctx = app_context(ctx)
    with domain_errors(as_json):
        app_ctx.require_schema()
        with app_ctx.uow(readonly=True) as uow:
            problems = circulation_problems(uow.session, today=network_today())
    if as_json:
        emit_json({"ok": not problems, "problems": [asdict(p) for p in problems]})
    elif not problems:
        console.print("流通数据一致 The circulation state is consistent.")
    else:
        for problem in problems:
            err_console.print(f"[red]✗[/] {problem.message_zh}\n  {problem.message_en}")
        err_console.print(f"发现 {len(problems)} 处不一致 {len(problems)} inconsistencies found")
    if problems:
        raise typer.Exit(1)
