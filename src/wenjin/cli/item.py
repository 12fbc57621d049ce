"""``wenjin item``: add a copy (册) to a record, and show one by its barcode."""

from __future__ import annotations

from datetime import date
from typing import Any

import typer

from wenjin.catalog.queries import ItemDetails, find_record, item_details
from wenjin.catalog.rules import DEFAULT_ITEM_TYPE, format_yuan, parse_yuan
from wenjin.catalog.services import add_item
from wenjin.cli.common import JsonOption, app_context, console, domain_errors, emit_json, fail
from wenjin.network.queries import get_point_by_code

app = typer.Typer(help="册 Items: the copies on the shelves", no_args_is_help=True)


def _details_json(details: ItemDetails) -> dict[str, Any]:
    return {
        "barcode": details.barcode,
        "record_id": details.record_id,
        "title": details.title,
        "status": details.status.value,
        "status_label": details.status.label_zh,
        "owning_point": {"code": details.owning_point.code, "name": details.owning_point.name},
        "current_point": {"code": details.current_point.code, "name": details.current_point.name},
        "call_number": details.call_number,
        "item_type": details.item_type,
        "price_fen": details.price_fen,
        "location": details.location,
        "volume": details.volume,
        "acquired_on": details.acquired_on.isoformat() if details.acquired_on else None,
        "floating": details.floating,
        "sip_properties": details.sip_properties,
        "loan": details.loan,
    }


def _print_details(details: ItemDetails) -> None:
    rows = [
        ("条码 Barcode", details.barcode),
        ("题名 Title", f"{details.title} [dim](#{details.record_id})[/]"),
        ("状态 Status", f"{details.status.label_zh} ({details.status.value})"),
        ("所属馆 Home", f"{details.owning_point.code} {details.owning_point.name}"),
        ("所在馆 Now at", f"{details.current_point.code} {details.current_point.name}"),
        ("索书号 Call number", details.call_number or "—"),
        ("文献类型 Type", f"{details.item_type} {details.item_type_name}"),
        (
            "价格 Price",
            f"¥{format_yuan(details.price_fen)}" if details.price_fen is not None else "—",
        ),
        ("馆藏位置 Location", details.location or "—"),
        ("借阅 Loan", "—"),
    ]
    if details.volume:
        rows.insert(6, ("卷册 Volume", details.volume))
    if details.floating:
        rows.append(("浮动馆藏 Floating", "是 yes"))
    if details.sip_properties:
        rows.append(("自助机属性 SIP2 properties", details.sip_properties))
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        console.print(f"[bold]{label.ljust(width)}[/]  {value}")


@app.command("add")
def add_command(
    ctx: typer.Context,
    record: str = typer.Option(
        ..., "--record", help="the record: its 001 control number, or #id for the internal id"
    ),
    barcode: str = typer.Option(..., "--barcode", help="the barcode on the copy"),
    at: str = typer.Option(..., "--at", help="code of the service point that owns the copy"),
    item_type: str = typer.Option(
        DEFAULT_ITEM_TYPE, "--type", help="item type code (BOOK, CHILD, REF, PERIODICAL, AV, LOCAL)"
    ),
    call_number: str | None = typer.Option(
        None, "--call-number", help="call number, e.g. I247.5/1234"
    ),
    price: str | None = typer.Option(None, "--price", help="price in yuan, e.g. 45.80"),
    location: str | None = typer.Option(
        None, "--location", help="shelving location, e.g. 少儿借阅区"
    ),
    acquired: str | None = typer.Option(None, "--acquired", help="date acquired, YYYY-MM-DD"),
    floating: bool = typer.Option(False, "--floating", help="a floating copy: its home moves"),
    as_json: bool = JsonOption,
) -> None:
    """Add a copy of a record, on the shelf (在架) at its point."""
    app_ctx = app_context(ctx)
    acquired_on: date | None = None
    if acquired is not None:
        try:
            acquired_on = date.fromisoformat(acquired)
        except ValueError:
            fail(
                f"入藏日期 {acquired!r} 应写作 YYYY-MM-DD / the date acquired {acquired!r} must be "
                "YYYY-MM-DD",
                as_json=as_json,
                code="date_invalid",
            )
    with domain_errors(as_json):
        price_fen = parse_yuan(price) if price is not None else None
        app_ctx.require_schema()
        with app_ctx.uow() as uow:
            item = add_item(
                uow.session,
                record=find_record(uow.session, record),
                barcode=barcode,
                point=get_point_by_code(uow.session, at),
                item_type=item_type,
                call_number=call_number,
                price_fen=price_fen,
                location=location,
                acquired_on=acquired_on,
                floating=floating,
            )
            uow.commit()
            details = item_details(uow.session, item.barcode)
    if as_json:
        emit_json(_details_json(details))
        return
    console.print(f"[green]已添加 Added[/] {details.barcode}")
    _print_details(details)


@app.command("show")
def show_command(
    ctx: typer.Context,
    barcode: str = typer.Argument(..., help="the barcode on the copy"),
    as_json: bool = JsonOption,
) -> None:
    """Show a copy: its record, status, home and current point, call number, price."""
    app_ctx = app_context(ctx)
    with domain_errors(as_json):
        app_ctx.require_schema()
        with app_ctx.uow(readonly=True) as uow:
            details = item_details(uow.session, barcode)
    if as_json:
        emit_json(_details_json(details))
        return
    _print_details(details)
