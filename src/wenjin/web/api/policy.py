"""``/api/v1/policy``: the loan policy matrix, as ``wenjin policy`` shows and changes it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select

from wenjin.accounts.rules import POLICY_WRITE, WHOLE_NETWORK
from wenjin.catalog.errors import UnknownItemType
from wenjin.catalog.models import ItemType
from wenjin.circulation.policy import (
    delete_rule,
    explain_policy,
    list_rules,
    parse_point_kind,
    policy_rule,
    rule_views,
    set_rule,
)
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.patrons.services import resolve_category
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import MAX_INT, RuleSet

router = APIRouter(prefix="/policy", tags=["policy 借阅规则"])


@router.get("/rules", summary="借阅规则 The rules of the policy matrix")
def rules(
    actor: ActorDep, session: ReadSession, page: PageDep, include_inactive: bool = False
) -> dict[str, Any]:
    rows = [policy_rule(r) for r in list_rules(session, include_inactive=include_inactive)]
    views = list(rule_views(session, rows).values())
    return {
        "items": jsonable_encoder(views[page.offset : page.offset + page.per_page]),
        "page": page.page,
        "per_page": page.per_page,
        "total": len(views),
    }


@router.put("/rules", summary="设置规则 Create or change the rule with exactly these keys")
def put_rule(actor: ActorDep, body: RuleSet, uow: WriteUoW) -> dict[str, Any]:
    require(actor, POLICY_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    the_type = None
    if body.item_type:
        types = {t.code: t for t in session.scalars(select(ItemType))}
        the_type = types.get(body.item_type.strip().upper())
        if the_type is None:
            raise UnknownItemType(body.item_type, sorted(types))
    rule = set_rule(
        session,
        point=get_point_by_code(session, body.point) if body.point else None,
        point_kind=parse_point_kind(body.kind) if body.kind else None,
        category=resolve_category(session, body.category) if body.category else None,
        item_type=the_type,
        terms=body.terms(),
        note=body.note,
        actor=actor.username,
    )
    view = rule_views(session, [policy_rule(rule)])[rule.id]
    uow.commit()
    return {"rule": jsonable_encoder(view)}


@router.delete(
    "/rules/{rule_id}",
    summary="删除规则 Delete a rule (never the last catch-all one); logged under the account",
)
def remove_rule(
    actor: ActorDep,
    uow: WriteUoW,
    rule_id: Annotated[int, Path(ge=1, le=MAX_INT, description="规则编号 rule id")],
) -> dict[str, Any]:
    require(actor, POLICY_WRITE, at=WHOLE_NETWORK)
    removed = delete_rule(uow.session, rule_id=rule_id, actor=actor.username)
    uow.commit()
    return {"deleted": jsonable_encoder(removed)}


@router.get("/explain", summary="规则说明 Which rule applies to this loan here, and why")
def explain(
    actor: ActorDep,
    session: ReadSession,
    patron: Annotated[str, Query(min_length=1, max_length=32)],
    item: Annotated[str, Query(min_length=1, max_length=32)],
    at: Annotated[str, Query(min_length=1, max_length=32)],
) -> dict[str, Any]:
    explanation = explain_policy(
        session, card_number=patron, barcode=item, at=at, today=network_today()
    )
    return jsonable_encoder(explanation)
