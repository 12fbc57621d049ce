"""``wenjin patron``: register readers, look them up, block, replace cards, import classes.

Output never carries a resident ID number or a PIN in clear: the masked ID only.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from wenjin.cli.common import (
    JsonOption,
    app_context,
    console,
    domain_errors,
    emit_json,
    err_console,
    parse_date,
    progress,
)
from wenjin.patrons.importing import ImportResult, import_patrons
from wenjin.patrons.models import Patron, PatronCard
from wenjin.patrons.queries import (
    PatronSummary,
    duplicate_warnings,
    find_patrons,
    get_patron_by_card,
    patron_summary,
)
from wenjin.patrons.services import (
    block_patron,
    change_pin,
    ensure_default_categories,
    pay_deposit,
    record_credit_rating,
    register_patron,
    renew_membership,
    reopen_account,
    replace_card,
    report_card_lost,
    set_keep_history,
    unblock_patron,
    waive_deposit,
)
from wenjin.patrons.states import DepositMethod, ReplaceReason

app = typer.Typer(
    help="读者 Patrons: one card for the whole network (一卡通)", no_args_is_help=True
)

_METHODS = ", ".join(m.value for m in DepositMethod)


def _print_summary(summary: PatronSummary) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    card = summary.card_number or "—"
    if summary.card_status is not None:
        card += f"（{summary.card_status.label_zh}）"
    table.add_row("读者证 Card", card)
    if summary.active_card and summary.active_card != summary.card_number:
        table.add_row("在用卡 Active card", summary.active_card)
    table.add_row("姓名 Name", summary.name)
    if summary.id_masked:
        table.add_row("身份证 ID", summary.id_masked)
    if summary.age is not None:
        table.add_row("年龄 Age", f"{summary.age}周岁")
    if summary.phone_masked:
        table.add_row("手机 Phone", summary.phone_masked)
    category = summary.category
    flags = [
        label
        for key, label in (
            ("preferential", "优待"),
            ("credit_based", "信易阅"),
            ("institutional", "集体"),
        )
        if category[key]
    ]
    table.add_row(
        "类别 Category",
        f"{category['name']} {category['code']}" + (f"（{'、'.join(flags)}）" if flags else ""),
    )
    table.add_row("所属馆 Home", f"{summary.home['name']} {summary.home['code']}")
    table.add_row("账户 Account", summary.status.label_zh)
    expiry = summary.expires_on.isoformat() + ("（已过期 expired）" if summary.expired else "")
    table.add_row("有效期至 Expires", expiry)
    deposit = summary.deposit
    if deposit.waived_reason:
        deposit_text = f"免押金：{deposit.waived_reason}"
    elif deposit.credit_waived:
        deposit_text = "信易阅免押金 waived (credit)"
    elif not deposit.required:
        deposit_text = "无需押金 none required"
    elif deposit.outstanding_fen:
        deposit_text = f"未缴 unpaid ¥{deposit.outstanding_fen / 100:.2f}"
    else:
        deposit_text = f"已缴 paid ¥{deposit.held_fen / 100:.2f}"
    table.add_row("押金 Deposit", deposit_text)
    if summary.category["credit_based"] or summary.credit.source:
        credit = summary.credit
        table.add_row(
            "信用 Credit",
            f"{credit.status.value} {credit.source or ''} "
            f"{credit.verified_on or ''} → {credit.expires_on or ''}".strip(),
        )
    table.add_row("借阅历史 History", "保留 kept" if summary.keep_history else "不保留 off")
    console.print(table)
    if summary.blocks:
        console.print("[bold red]不能借书 May not borrow:[/]")
        for reason in summary.blocks:
            console.print(f"  • {reason.message_zh}\n    [dim]{reason.message_en}[/]")
    else:
        console.print("[bold green]可以借书 May borrow[/]")


def _emit(
    patron: Patron, as_json: bool, *, card: PatronCard | None = None, **extra: object
) -> None:
    summary = patron_summary(patron, card=card)
    if as_json:
        emit_json({**extra, "patron": summary})
    else:
        _print_summary(summary)


@app.command("add")
def add_command(
    ctx: typer.Context,
    card: str = typer.Option(..., "--card", help="读者证号 card number (barcode)"),
    name: str = typer.Option(..., "--name", help="姓名 name"),
    category: str = typer.Option(..., "--category", help="类别 category code, e.g. ADULT"),
    home: str = typer.Option(..., "--home", help="所属馆 home service point code"),
    id_number: str | None = typer.Option(None, "--id-number", help="身份证号 (stored hashed)"),
    pin: str | None = typer.Option(None, "--pin", help="6-digit PIN (stored hashed)"),
    phone: str | None = typer.Option(None, "--phone", help="手机 mobile or landline"),
    expires: str | None = typer.Option(None, "--expires", help="有效期至 YYYY-MM-DD"),
    notes: str | None = typer.Option(None, "--notes", help="备注"),
    deposit: str | None = typer.Option(
        None, "--deposit", help=f"take the category's deposit now, paid by: {_METHODS}"
    ),
    waive: str | None = typer.Option(None, "--waive-deposit", help="waive the deposit: reason"),
    as_json: bool = JsonOption,
) -> None:
    """办证 Register a reader and issue the first card."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    expires_on = parse_date(expires, "--expires", as_json) if expires else None
    with domain_errors(as_json), app_ctx.uow() as uow:
        ensure_default_categories(uow.session)
        patron = register_patron(
            uow.session,
            card_number=card,
            name=name,
            category=category,
            home_point=home,
            id_number=id_number,
            phone=phone,
            pin=pin,
            expires_on=expires_on,
            notes=notes,
        )
        if deposit:
            pay_deposit(uow.session, patron=patron, method=deposit)
        if waive:
            waive_deposit(uow.session, patron=patron, reason=waive)
        warnings = duplicate_warnings(
            uow.session, name=patron.name, phone=patron.phone, exclude_patron_id=patron.id
        )
        uow.commit()
        if not as_json:
            console.print(f"[green]已办证 Registered[/] {patron.name} {patron.cards[0].number}")
            for warning in warnings:
                err_console.print(f"[yellow]注意:[/] {warning.message_zh}")
        _emit(patron, as_json, action="registered", warnings=warnings)


@app.command("show")
def show_command(
    ctx: typer.Context, card: str = typer.Argument(...), as_json: bool = JsonOption
) -> None:
    """Show a reader by card number: category, expiry, blocks and why, deposit, credit."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        found = get_patron_by_card(uow.session, card)
        _emit(found.patron, as_json, card=found.card)


@app.command("find")
def find_command(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="name, card, phone (or its last 4), ID tail or full ID"),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = JsonOption,
) -> None:
    """Find readers by name, card number, phone, or the last four characters of the ID number."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        patrons = find_patrons(uow.session, text, limit=limit)
        rows = []
        for patron in patrons:
            active = patron.active_card
            rows.append(
                {
                    "patron_id": patron.id,
                    "name": patron.name,
                    "card": active.number if active else None,
                    "id_masked": patron.id_masked,
                    "category": patron.category.code,
                    "home": patron.home_point.code,
                    "status": patron.status,
                    "expires_on": patron.expires_on,
                }
            )
    if as_json:
        emit_json({"patrons": rows})
        return
    table = Table("读者证 card", "姓名 name", "身份证 ID", "类别", "所属馆", "有效期至")
    for row in rows:
        table.add_row(
            str(row["card"] or "—"),
            str(row["name"]),
            str(row["id_masked"] or ""),
            str(row["category"]),
            str(row["home"]),
            str(row["expires_on"]),
        )
    console.print(table)


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV (UTF-8 or GB18030) or XLSX"),
    batch_size: int = typer.Option(200, "--batch-size", min=1, help="rows per transaction"),
    waive: str | None = typer.Option(
        None, "--waive-deposit", help="waive the deposit of new readers, with this reason"
    ),
    as_json: bool = JsonOption,
) -> None:
    """Register or update readers from a file; bad rows go to <file>.rejects.csv."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with app_ctx.uow() as uow:
        ensure_default_categories(uow.session)
        uow.commit()
    with domain_errors(as_json), progress(quiet=as_json) as bar:
        task = bar.add_task("导入读者 Importing patrons", total=None)
        result = import_patrons(
            file,
            unit_of_work=app_ctx.uow,
            batch_size=batch_size,
            waive_deposit_reason=waive,
            on_total=lambda n: bar.update(task, total=n),
            on_progress=lambda n: bar.advance(task, n),
        )
    _report_import(result, as_json)


def _report_import(result: ImportResult, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "total": result.total,
                "imported": result.imported,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
                "rejects_file": result.rejects_file,
                "ignored_columns": result.ignored_columns,
                "rejects": result.rejects,
                "warnings": result.warnings,
            }
        )
        return
    console.print(
        f"新办 imported {result.imported}，更新 updated {result.updated}，"
        f"未变 unchanged {result.unchanged}，拒绝 rejected {result.rejected}（共 {result.total} 行）"
    )
    if result.ignored_columns:
        console.print(
            f"[yellow]未识别的列（已忽略）ignored columns:[/] {', '.join(result.ignored_columns)}"
        )
    for warning in result.warnings:
        console.print(f"[yellow]第{warning.row}行 注意:[/] {warning.message_zh}")
    for reject in result.rejects[:20]:
        console.print(f"[red]第{reject.row}行:[/] {reject.message_zh}")
    if result.rejects_file:
        console.print(f"被拒绝的行及原因见 rejects written to {result.rejects_file}")


@app.command("block")
def block_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    reason: str = typer.Option(..., "--reason", help="原因, read out to the reader"),
    by: str | None = typer.Option(None, "--by", help="staff name"),
    as_json: bool = JsonOption,
) -> None:
    """人工暂停借阅 Block a reader, with the reason."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        block_patron(uow.session, patron=found.patron, reason=reason, by=by)
        uow.commit()
        _emit(found.patron, as_json, card=found.card, action="blocked")


@app.command("unblock")
def unblock_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    reason: str | None = typer.Option(None, "--reason"),
    by: str | None = typer.Option(None, "--by"),
    as_json: bool = JsonOption,
) -> None:
    """Lift the manual blocks of a reader."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        lifted = unblock_patron(uow.session, patron=found.patron, reason=reason, by=by)
        uow.commit()
        _emit(found.patron, as_json, card=found.card, action="unblocked", lifted=len(lifted))


@app.command("replace-card")
def replace_card_command(
    ctx: typer.Context,
    card: str = typer.Argument(..., help="the old card number"),
    new_card: str = typer.Option(..., "--new-card", help="the new card's number"),
    reason: ReplaceReason = typer.Option(ReplaceReason.LOST, "--reason"),
    as_json: bool = JsonOption,
) -> None:
    """补卡/换卡 Issue a new card; the old one is blocked. Loans stay with the reader."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        new = replace_card(
            uow.session, patron=found.patron, new_card_number=new_card, reason=reason
        )
        uow.commit()
        _emit(found.patron, as_json, card=new, action="card_replaced", old_card=found.card.number)


@app.command("report-lost")
def report_lost_command(
    ctx: typer.Context, card: str = typer.Argument(...), as_json: bool = JsonOption
) -> None:
    """挂失 Block a lost card at once; issue the new one later with replace-card."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        lost = report_card_lost(uow.session, patron=found.patron)
        uow.commit()
        _emit(found.patron, as_json, card=lost, action="card_lost")


@app.command("renew")
def renew_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    years: int | None = typer.Option(None, "--years", help="default: the category's period"),
    as_json: bool = JsonOption,
) -> None:
    """续期 Extend a reader's card."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        renew_membership(uow.session, patron=found.patron, years=years)
        uow.commit()
        _emit(found.patron, as_json, card=found.card, action="renewed")


@app.command("pay-deposit")
def pay_deposit_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    method: DepositMethod = typer.Option(DepositMethod.CASH, "--method"),
    amount_fen: int | None = typer.Option(None, "--amount-fen", help="default: what is owed"),
    by: str | None = typer.Option(None, "--by"),
    as_json: bool = JsonOption,
) -> None:
    """缴纳押金 Take the deposit the reader's category asks for."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        paid = pay_deposit(
            uow.session, patron=found.patron, method=method, amount_fen=amount_fen, by=by
        )
        uow.commit()
        _emit(
            found.patron,
            as_json,
            card=found.card,
            action="deposit_paid",
            amount_fen=paid.amount_fen,
        )


@app.command("credit")
def credit_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    source: str = typer.Option(..., "--source", help="who rated the reader, e.g. 诸城市信用中心"),
    verified: str = typer.Option(..., "--verified", help="核验日期 YYYY-MM-DD"),
    expires: str = typer.Option(..., "--expires", help="有效期至 YYYY-MM-DD"),
    as_json: bool = JsonOption,
) -> None:
    """信易阅 Record a reader's credit rating (no deposit while it is valid)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    verified_on = parse_date(verified, "--verified", as_json)
    expires_on = parse_date(expires, "--expires", as_json)
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        record_credit_rating(
            uow.session,
            patron=found.patron,
            source=source,
            verified_on=verified_on,
            expires_on=expires_on,
        )
        uow.commit()
        _emit(found.patron, as_json, card=found.card, action="credit_recorded")


@app.command("history")
def history_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    keep: bool = typer.Option(..., "--keep/--off", help="keep the reader's loan history or not"),
    as_json: bool = JsonOption,
) -> None:
    """阅读隐私 Switch the reader's own loan history on or off."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        set_keep_history(uow.session, patron=found.patron, keep=keep)
        uow.commit()
        _emit(found.patron, as_json, card=found.card, action="history_set")


@app.command("set-pin")
def set_pin_command(
    ctx: typer.Context,
    card: str = typer.Argument(...),
    pin: str = typer.Option(
        ..., "--pin", prompt="新密码 New PIN", hide_input=True, confirmation_prompt=True
    ),
    as_json: bool = JsonOption,
) -> None:
    """重置密码 Reset a reader's PIN at the desk (after checking the ID card)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        change_pin(uow.session, patron=found.patron, new_pin=pin, current_pin=None)
        uow.commit()
        _emit(found.patron, as_json, card=found.card, action="pin_set")


@app.command("reopen")
def reopen_command(
    ctx: typer.Context,
    card: str = typer.Argument(..., help="a card the closed account held"),
    new_card: str = typer.Option(..., "--new-card"),
    as_json: bool = JsonOption,
) -> None:
    """重新开通 Reopen a closed account with a new card."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        found = get_patron_by_card(uow.session, card)
        new = reopen_account(uow.session, patron=found.patron, new_card_number=new_card)
        uow.commit()
        _emit(found.patron, as_json, card=new, action="reopened")


@app.command("categories")
def categories_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """List the reader categories with their deposit, validity and policy flags."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with app_ctx.uow() as uow:
        categories = ensure_default_categories(uow.session)
        uow.commit()
    if as_json:
        emit_json(
            {
                "categories": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "name_en": c.name_en,
                        "deposit_fen": c.deposit_fen,
                        "expiry_years": c.expiry_years,
                        "preferential": c.preferential,
                        "credit_based": c.credit_based,
                        "institutional": c.institutional,
                        "staff": c.staff,
                        "min_age": c.min_age,
                        "max_age": c.max_age,
                    }
                    for c in categories
                ]
            }
        )
        return
    table = Table("代码 code", "名称", "押金 deposit", "有效期 years", "政策 policy")
    for c in categories:
        flags = (
            (c.preferential, "优待"),
            (c.credit_based, "信易阅"),
            (c.institutional, "集体"),
            (c.staff, "馆员"),
        )
        table.add_row(
            c.code,
            c.name,
            f"¥{c.deposit_fen / 100:.2f}",
            str(c.expiry_years),
            "、".join(label for flag, label in flags if flag),
        )
    console.print(table)
