"""The lending policy matrix in the staff client (借阅规则): every rule as a table row,
a form that sets the rule with exactly the given keys (as ``wenjin policy set`` and
``PUT /api/v1/policy/rules``), deleting a rule (``wenjin policy delete``, ``DELETE
/api/v1/policy/rules/{id}``; never the last catch-all rule), and the explain view
(reader + item + point → which rule applies and why, as ``wenjin policy explain``
prints). Changing a rule needs ``policy.write`` over the whole network; the change is
logged under the account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.rules import POLICY_WRITE, WHOLE_NETWORK, may
from wenjin.catalog.errors import UnknownItemType
from wenjin.catalog.models import ItemType
from wenjin.circulation.policy import (
    RULE_TERMS,
    delete_rule,
    explain_policy,
    list_rules,
    parse_point_kind,
    policy_rule,
    rule_views,
    set_rule,
)
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.network.states import PointKind
from wenjin.patrons.models import PatronCategory
from wenjin.patrons.queries import network_today
from wenjin.patrons.services import resolve_category
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

POLICY_PAGE = "/staff/policy"
# Terms the form sets: whole numbers (fen for money) and yes/no flags.
NUMBER_TERMS = (
    "loan_days",
    "max_items",
    "max_items_of_type",
    "renewals",
    "renewal_days",
    "fine_per_day_fen",
    "max_fine_fen",
    "max_overdue_items",
    "max_unpaid_fen",
    "hold_limit",
    "weight",
)
FLAG_TERMS = ("lendable", "fine_capped_at_price", "holds_allowed", "active")
assert set(NUMBER_TERMS) | set(FLAG_TERMS) == set(RULE_TERMS)
NUMBER_LIMITS = {"weight": (-1000, 1000)}


class RuleFormError(ValueError):
    """A term of the rule form that is not a whole number in range (said in zh and en)."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(name)
        self.name = name
        self.value = value


def _choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    return {
        "points": [
            (p.code, p.name)
            for p in session.scalars(select(ServicePoint).order_by(ServicePoint.sort_order))
        ],
        "categories": [
            (c.code, c.name)
            for c in session.scalars(select(PatronCategory).order_by(PatronCategory.code))
        ],
        "item_types": [
            (i.code, i.name) for i in session.scalars(select(ItemType).order_by(ItemType.code))
        ],
    }


def _terms_from_form(form: dict[str, Any]) -> dict[str, Any]:
    """The terms given; a blank number or a flag left at "keep" keeps its value."""
    terms: dict[str, Any] = {}
    for name in NUMBER_TERMS:
        raw = str(form.get(name, "") or "").strip()
        if not raw:
            continue
        low, high = NUMBER_LIMITS.get(name, (0, 1_000_000))
        try:
            value = int(raw)
        except ValueError:
            raise RuleFormError(name, raw) from None
        if not low <= value <= high:
            raise RuleFormError(name, raw)
        terms[name] = value
    for name in FLAG_TERMS:
        raw = str(form.get(name, "") or "").strip()
        if raw in ("yes", "no"):
            terms[name] = raw == "yes"
        elif raw:
            raise RuleFormError(name, raw)
    return terms


@router.get("/policy", name="staff_policy")
def policy_page(
    request: Request,
    actor: StaffActor,
    patron: Annotated[str | None, Query(max_length=32)] = None,
    item: Annotated[str | None, Query(max_length=32)] = None,
    at: Annotated[str | None, Query(max_length=32)] = None,
    inactive: bool = False,
) -> Response:
    lang = get_lang(request)
    explanation = None
    problem: str | None = None
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        rows = [policy_rule(r) for r in list_rules(uow.session, include_inactive=inactive)]
        views = list(rule_views(uow.session, rows).values())
        choices = _choices(uow.session)
        asked = {
            "patron": (patron or "").strip(),
            "item": (item or "").strip(),
            "at": (at or "").strip(),
        }
        if any(asked.values()):
            if not all(asked.values()):
                problem = t("policy_page.explain_needs_all", lang)
            else:
                try:
                    explanation = explain_policy(
                        uow.session,
                        card_number=asked["patron"],
                        barcode=asked["item"],
                        at=asked["at"],
                        today=network_today(),
                    )
                except WenjinError as error:
                    problem = error.message(lang)
    return render_with_flash(
        request,
        "staff/policy.html",
        {
            "actor": actor,
            "active_nav": "policy",
            "rules": views,
            "inactive": inactive,
            "may_write": may(actor, POLICY_WRITE, WHOLE_NETWORK),
            "number_terms": NUMBER_TERMS,
            "flag_terms": FLAG_TERMS,
            "asked": asked,
            "explanation": explanation,
            "problem": problem,
            "point_kinds": list(PointKind),
            **choices,
        },
    )


@router.post("/policy/rules", name="staff_policy_set")
async def set_policy_rule(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, POLICY_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    form = dict(await request.form())
    keys = {
        k: str(form.get(k, "") or "").strip()[:32]
        for k in ("point", "kind", "category", "item_type")
    }
    note = str(form.get("note", "") or "").strip()[:500] or None
    try:
        terms = _terms_from_form(form)
    except RuleFormError as error:
        return redirect_with_message(
            POLICY_PAGE,
            "error",
            t(
                "policy_page.bad_number",
                lang,
                term=t(f"policy_page.term.{error.name}", lang),
                value=error.value,
            ),
        )
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        session = uow.session
        try:
            the_type = None
            if keys["item_type"]:
                types = {it.code: it for it in session.scalars(select(ItemType))}
                the_type = types.get(keys["item_type"].upper())
                if the_type is None:
                    raise UnknownItemType(keys["item_type"], sorted(types))
            rule = set_rule(
                session,
                point=get_point_by_code(session, keys["point"]) if keys["point"] else None,
                point_kind=parse_point_kind(keys["kind"]) if keys["kind"] else None,
                category=resolve_category(session, keys["category"]) if keys["category"] else None,
                item_type=the_type,
                terms=terms,
                note=note,
                actor=actor.username,
            )
            rule_id = rule.id
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(POLICY_PAGE, "error", error.message(lang))
    return redirect_with_message(
        f"{POLICY_PAGE}?inactive=1#rule-{rule_id}", "ok", t("policy_page.saved", lang, id=rule_id)
    )


@router.post("/policy/rules/{rule_id}/delete", name="staff_policy_delete")
def delete_policy_rule(
    request: Request, actor: StaffActor, rule_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    require_staff(request, actor, POLICY_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            delete_rule(uow.session, rule_id=rule_id, actor=actor.username)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(POLICY_PAGE, "error", error.message(lang))
    return redirect_with_message(POLICY_PAGE, "ok", t("rule_delete.done", lang, id=rule_id))
