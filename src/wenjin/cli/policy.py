"""``wenjin policy``: the lending policy matrix (借阅规则) — list, set, explain, defaults.

Which rule applies is explained in :mod:`wenjin.circulation.rules`: the most
specific one (a point beats a kind of point beats any point; then a category;
then an item type), ties broken by weight, then by the older rule.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from sqlalchemy import select

from wenjin.catalog.errors import UnknownItemType
from wenjin.catalog.models import ItemType
from wenjin.circulation.policy import (
    RULE_TERMS,
    PolicyExplanation,
    RuleView,
    delete_rule,
    ensure_default_rules,
    explain_policy,
    list_rules,
    parse_point_kind,
    policy_rule,
    rule_views,
    set_rule,
)
from wenjin.cli.common import JsonOption, app_context, console, domain_errors, emit_json
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.patrons.services import resolve_category

app = typer.Typer(help="借阅规则 The lending policy matrix", no_args_is_help=True)


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def _key(view: RuleView) -> str:
    where = view.point or (f"kind:{view.point_kind}" if view.point_kind else "*")
    return f"{where} × {view.category or '*'} × {view.item_type or '*'}"


def _terms(view: RuleView) -> str:
    t = view.terms
    if not t["lendable"]:
        return "不外借 not for loan"
    of_type = f"（本类 {t['max_items_of_type']}）" if t["max_items_of_type"] is not None else ""
    return (
        f"{t['max_items']}册{of_type} {t['loan_days']}天，续借{t['renewals']}次×{t['renewal_days']}天，"
        f"{_yuan(t['fine_per_day_fen'])}/天 上限{_yuan(t['max_fine_fen'])}"
        + ("（不超书价）" if t["fine_capped_at_price"] else "")
    )


def _rules_table(views: list[RuleView]) -> Table:
    table = Table(title="借阅规则 Circulation rules")
    for header in ("#", "服务点 × 读者 × 文献", "得分", "权重", "规则 Terms", "备注 Note"):
        table.add_column(header)
    for view in views:
        style = "" if view.terms["active"] else "dim"
        table.add_row(
            str(view.id),
            _key(view),
            str(view.score),
            str(view.terms["weight"]),
            _terms(view) + ("" if view.terms["active"] else "（停用 inactive）"),
            view.note or "",
            style=style,
        )
    return table


@app.command("list")
def list_command(
    ctx: typer.Context,
    include_inactive: bool = typer.Option(False, "--all", help="include inactive rules"),
    as_json: bool = JsonOption,
) -> None:
    """List the rules of the policy matrix."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        rules = [policy_rule(r) for r in list_rules(uow.session, include_inactive=include_inactive)]
        views = list(rule_views(uow.session, rules).values())
    if as_json:
        emit_json({"rules": views})
    else:
        console.print(_rules_table(views))


@app.command("defaults")
def defaults_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Install the default rules that are missing (never changes an edited rule)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        rows = ensure_default_rules(uow.session)
        views = list(rule_views(uow.session, [policy_rule(r) for r in rows]).values())
        uow.commit()
    if as_json:
        emit_json({"rules": views})
    else:
        console.print(_rules_table(views))


@app.command("set")
def set_command(
    ctx: typer.Context,
    point: str | None = typer.Option(None, "--point", help="a service point code"),
    kind: str | None = typer.Option(None, "--kind", help="a kind of point: branch, village …"),
    category: str | None = typer.Option(None, "--category", help="patron category code"),
    item_type: str | None = typer.Option(None, "--item-type", help="item type code"),
    loan_days: int | None = typer.Option(None, "--loan-days"),
    max_items: int | None = typer.Option(None, "--max-items"),
    max_items_of_type: int | None = typer.Option(None, "--max-items-of-type"),
    renewals: int | None = typer.Option(None, "--renewals"),
    renewal_days: int | None = typer.Option(None, "--renewal-days"),
    fine_per_day_fen: int | None = typer.Option(None, "--fine-per-day-fen"),
    max_fine_fen: int | None = typer.Option(None, "--max-fine-fen"),
    fine_capped_at_price: bool | None = typer.Option(
        None, "--cap-at-price/--no-cap-at-price", help="fine never above the item's price"
    ),
    max_overdue_items: int | None = typer.Option(None, "--max-overdue-items"),
    max_unpaid_fen: int | None = typer.Option(None, "--max-unpaid-fen"),
    holds_allowed: bool | None = typer.Option(None, "--holds/--no-holds"),
    hold_limit: int | None = typer.Option(None, "--hold-limit"),
    lendable: bool | None = typer.Option(None, "--lendable/--not-lendable"),
    weight: int | None = typer.Option(None, "--weight"),
    active: bool | None = typer.Option(None, "--active/--inactive"),
    note: str | None = typer.Option(None, "--note"),
    by: str | None = typer.Option(None, "--by", help="who made the change (for the log)"),
    as_json: bool = JsonOption,
) -> None:
    """Create or change the rule with exactly these keys (unset keys mean "any")."""
    given: dict[str, Any] = {
        "loan_days": loan_days,
        "max_items": max_items,
        "max_items_of_type": max_items_of_type,
        "renewals": renewals,
        "renewal_days": renewal_days,
        "fine_per_day_fen": fine_per_day_fen,
        "max_fine_fen": max_fine_fen,
        "fine_capped_at_price": fine_capped_at_price,
        "max_overdue_items": max_overdue_items,
        "max_unpaid_fen": max_unpaid_fen,
        "holds_allowed": holds_allowed,
        "hold_limit": hold_limit,
        "lendable": lendable,
        "weight": weight,
        "active": active,
    }
    terms = {name: value for name, value in given.items() if value is not None}
    assert set(terms) <= set(RULE_TERMS)
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        session = uow.session
        the_point = get_point_by_code(session, point) if point else None
        the_kind = parse_point_kind(kind) if kind else None
        the_category = resolve_category(session, category) if category else None
        the_type = None
        if item_type:
            types = {t.code: t for t in session.scalars(select(ItemType))}
            the_type = types.get(item_type.strip().upper())
            if the_type is None:
                raise UnknownItemType(item_type, sorted(types))
        rule = set_rule(
            session,
            point=the_point,
            point_kind=the_kind,
            category=the_category,
            item_type=the_type,
            terms=terms,
            note=note,
            actor=by,
        )
        view = rule_views(session, [policy_rule(rule)])[rule.id]
        uow.commit()
    if as_json:
        emit_json({"rule": view})
    else:
        console.print(_rules_table([view]))


@app.command("delete")
def delete_command(
    ctx: typer.Context,
    rule: int = typer.Option(
        ..., "--rule", min=1, help="规则编号 the rule id (`wenjin policy list`)"
    ),
    by: str | None = typer.Option(None, "--by", help="who made the change (for the log)"),
    as_json: bool = JsonOption,
) -> None:
    """删除规则 Delete a rule (not the last catch-all rule); loans made under it keep their terms."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        removed = delete_rule(uow.session, rule_id=rule, actor=by)
        uow.commit()
    if as_json:
        emit_json({"deleted": removed})
    else:
        console.print(f"[green]已删除规则 Rule deleted[/] {removed['rule_id']}")


def _print_explanation(explanation: PolicyExplanation) -> None:
    console.print(
        f"读者 {explanation.patron}（{explanation.patron_category}"
        + (
            f"，按 {explanation.policy_category} 规则"
            if explanation.policy_category != explanation.patron_category
            else ""
        )
        + f"）在 {explanation.point} 借 {explanation.item}（{explanation.item_type}）"
    )
    if not explanation.item_type_lendable:
        console.print("[red]该文献类型不外借 This item type is never lent[/]")
    if explanation.winner is None:
        console.print("[bold red]没有适用的规则 No rule applies[/]")
    else:
        console.print(
            f"[bold green]适用规则 #{explanation.winner.id}[/] {_key(explanation.winner)}："
            f"{_terms(explanation.winner)}"
        )
    table = Table(title="候选规则 Candidate rules")
    for header in ("#", "服务点 × 读者 × 文献", "得分", "权重", "结果 Why"):
        table.add_column(header)
    for candidate in explanation.candidates:
        mark = "✔ " if candidate.winner else ""
        table.add_row(
            str(candidate.rule.id),
            _key(candidate.rule),
            str(candidate.rule.score),
            str(candidate.rule.terms["weight"]),
            f"{mark}{candidate.why_zh}",
            style="bold" if candidate.winner else ("" if candidate.matches else "dim"),
        )
    console.print(table)


@app.command("explain")
def explain_command(
    ctx: typer.Context,
    patron: str = typer.Option(..., "--patron", help="读者证号 card number"),
    item: str = typer.Option(..., "--item", help="册条码 item barcode"),
    at: str = typer.Option(..., "--at", help="服务点 service point code"),
    as_json: bool = JsonOption,
) -> None:
    """Which rule applies to this reader borrowing this item here, and why."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        explanation = explain_policy(
            uow.session, card_number=patron, barcode=item, at=at, today=network_today()
        )
    if as_json:
        emit_json(explanation)
    else:
        _print_explanation(explanation)
