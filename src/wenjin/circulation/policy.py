"""The policy matrix in the database: default rules, editing, a cache for the hot path, explain.

Which rule wins is decided in :mod:`wenjin.circulation.rules`; this module
loads the rows, keeps them in a per-engine cache and ships the defaults.

The cache holds the active rules as frozen :class:`PolicyRule` values. Before
every use it asks the database one cheap question (how many rules, the sum of
their revisions, how many categories): any edit through the ORM bumps a rule's
revision, so an edit made by another process (``wenjin policy set`` while the
server runs) is seen by the next checkout.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import Item, ItemType
from wenjin.circulation.errors import (
    InvalidRuleTerm,
    LastCatchAllRule,
    RuleNotFound,
    UnknownPointKind,
)
from wenjin.circulation.log import record_event
from wenjin.circulation.lookups import DeskPatron, PointFacts, desk_patron_by_card, point_by_code
from wenjin.circulation.models import CirculationRule
from wenjin.circulation.rules import (
    CREDIT_FALLBACK_CATEGORY,
    LoanContext,
    PolicyRule,
    explain_rules,
    policy_category_id,
    resolve_rule,
)
from wenjin.circulation.states import CirculationAction
from wenjin.db.fastsql import Prepared
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.models import PatronCategory
from wenjin.patrons.rules import CreditStatus, credit_status

# --- the defaults ------------------------------------------------------------


@dataclass(frozen=True)
class DefaultRule:
    point_kind: PointKind | None
    category: str | None
    item_type: str | None
    terms: dict[str, Any]
    note: str


_ADULT = {"loan_days": 30, "max_items": 5, "renewals": 1, "renewal_days": 30}
_PREFERENTIAL = {"loan_days": 60, "max_items": 10, "renewals": 1, "renewal_days": 30}

# What most Chinese county and city public libraries publish (借阅规则): 5 books for
# 30 days, one renewal of 30 days, 滞纳金 ¥0.10 a day up to the book's price (and
# at most ¥20). The report's preferential policy (医护、消防) and 信易阅 double the
# limits; institutional cards (a class, a reading room) borrow in bulk.
DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule(None, None, None, _ADULT, "成人读者默认规则：5册30天，可续借1次30天"),
    DefaultRule(None, None, "REF", {**_ADULT, "lendable": False}, "工具书仅限馆内阅览，不外借"),
    DefaultRule(None, None, "LOCAL", {**_ADULT, "lendable": False}, "地方文献仅限馆内阅览，不外借"),
    DefaultRule(None, "CHILD", None, _ADULT, "少儿读者：5册30天"),
    DefaultRule(None, "MEDICAL", None, _PREFERENTIAL, "优待政策（医护人员）：10册60天"),
    DefaultRule(None, "FIREFIGHTER", None, _PREFERENTIAL, "优待政策（消防救援人员）：10册60天"),
    DefaultRule(
        None, "CREDIT", None, _PREFERENTIAL, "信易阅：信用有效期内10册60天，失效后按成人规则"
    ),
    DefaultRule(
        None,
        "INSTITUTION",
        None,
        {
            "loan_days": 90,
            "max_items": 100,
            "renewals": 1,
            "renewal_days": 90,
            "max_overdue_items": 3,
        },
        "集体读者（班级、阅览室）：100册90天",
    ),
    DefaultRule(
        PointKind.SELF_SERVICE,
        None,
        None,
        {**_ADULT, "max_items": 3},
        "24小时自助图书馆无人值守：每证限借3册30天",
    ),
    DefaultRule(
        PointKind.VILLAGE,
        None,
        None,
        {**_ADULT, "max_items": 3, "fine_per_day_fen": 0},
        "农家书屋：3册30天，不收滞纳金",
    ),
    DefaultRule(
        PointKind.STATION,
        None,
        None,
        {**_ADULT, "max_items": 3, "fine_per_day_fen": 0},
        "图书流动站：3册30天，不收滞纳金",
    ),
)


def ensure_default_rules(session: Session) -> list[CirculationRule]:
    """Create the default rules that are missing (matched on their keys); never overwrite an edit.

    The default patron categories and item types are created first if missing.
    """
    from wenjin.catalog.services import ensure_default_item_types
    from wenjin.patrons.services import ensure_default_categories

    ensure_default_categories(session)
    ensure_default_item_types(session)
    categories = dict(session.execute(select(PatronCategory.code, PatronCategory.id)).all())
    types = dict(session.execute(select(ItemType.code, ItemType.id)).all())
    existing = {
        (r.point_id, r.point_kind, r.patron_category_id, r.item_type_id)
        for r in session.scalars(select(CirculationRule))
    }
    for default in DEFAULT_RULES:
        category_id = categories[default.category] if default.category else None
        type_id = types[default.item_type] if default.item_type else None
        if (None, default.point_kind, category_id, type_id) in existing:
            continue
        session.add(
            CirculationRule(
                point_kind=default.point_kind,
                patron_category_id=category_id,
                item_type_id=type_id,
                note=default.note,
                **_with_defaults(default.terms),
            )
        )
    session.flush()
    return list_rules(session, include_inactive=True)


_TERM_DEFAULTS: dict[str, Any] = {
    "lendable": True,
    "loan_days": 30,
    "max_items": 5,
    "max_items_of_type": None,
    "renewals": 1,
    "renewal_days": 30,
    "fine_per_day_fen": 10,
    "max_fine_fen": 2000,
    "fine_capped_at_price": True,
    "max_overdue_items": 0,
    "max_unpaid_fen": 1000,
    "holds_allowed": True,
    "hold_limit": 5,
    "weight": 0,
    "active": True,
}

RULE_TERMS = tuple(_TERM_DEFAULTS)


def _with_defaults(terms: dict[str, Any]) -> dict[str, Any]:
    return {**_TERM_DEFAULTS, **terms}


# --- the cache -----------------------------------------------------------------


@dataclass(frozen=True)
class PolicySnapshot:
    """The active rules and the one category id rule resolution needs, at one revision."""

    signature: tuple[int, int, int]
    rules: tuple[PolicyRule, ...]
    fallback_category_id: int | None


_cache: weakref.WeakKeyDictionary[Engine, PolicySnapshot] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()

_SIGNATURE = Prepared(
    select(
        func.count(CirculationRule.id),
        func.coalesce(func.sum(CirculationRule.revision), 0),
        select(func.count(PatronCategory.id)).scalar_subquery(),
    )
)


def policy_rule(row: CirculationRule) -> PolicyRule:
    return PolicyRule(
        id=row.id,
        point_id=row.point_id,
        point_kind=row.point_kind,
        category_id=row.patron_category_id,
        item_type_id=row.item_type_id,
        note=row.note,
        **{name: getattr(row, name) for name in RULE_TERMS},
    )


def policy_snapshot(session: Session) -> PolicySnapshot:
    """The active rules, from the cache when no rule has changed since it was filled."""
    signature = tuple(_SIGNATURE.first(session))
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    cached = _cache.get(engine.engine)
    if cached is not None and cached.signature == signature:
        return cached
    rows = session.scalars(select(CirculationRule).where(CirculationRule.active.is_(True))).all()
    fallback = session.scalar(
        select(PatronCategory.id).where(PatronCategory.code == CREDIT_FALLBACK_CATEGORY)
    )
    snapshot = PolicySnapshot(
        signature=(int(signature[0]), int(signature[1]), int(signature[2])),
        rules=tuple(policy_rule(row) for row in rows),
        fallback_category_id=fallback,
    )
    with _cache_lock:
        _cache[engine.engine] = snapshot
    return snapshot


def loan_context(
    snapshot: PolicySnapshot,
    *,
    point: PointFacts,
    patron: DeskPatron,
    item_type_id: int | None,
    today: date,
) -> LoanContext:
    """Who borrows what where, with a lapsed 信易阅 reader counted as an ordinary adult."""
    category = patron.category
    return LoanContext(
        point_id=point.id,
        point_kind=point.kind,
        category_id=policy_category_id(
            category.id,
            credit_based=category.credit_based,
            credit_valid=credit_status(patron.facts, today) is CreditStatus.VALID,
            fallback_category_id=snapshot.fallback_category_id,
        ),
        item_type_id=item_type_id,
    )


def rule_for(
    session: Session,
    *,
    point: PointFacts,
    patron: DeskPatron,
    item_type_id: int | None,
    today: date,
) -> PolicyRule | None:
    """The rule that governs this reader borrowing this type of item at this point."""
    snapshot = policy_snapshot(session)
    context = loan_context(
        snapshot, point=point, patron=patron, item_type_id=item_type_id, today=today
    )
    return resolve_rule(snapshot.rules, context)


# --- reading and editing -----------------------------------------------------------


def list_rules(session: Session, *, include_inactive: bool = False) -> list[CirculationRule]:
    stmt = select(CirculationRule).order_by(CirculationRule.id)
    if not include_inactive:
        stmt = stmt.where(CirculationRule.active.is_(True))
    return list(session.scalars(stmt))


def get_rule(session: Session, rule_id: int) -> CirculationRule:
    rule = session.get(CirculationRule, rule_id)
    if rule is None:
        raise RuleNotFound(rule_id)
    return rule


def parse_point_kind(value: str) -> PointKind:
    wanted = value.strip().lower()
    for kind in PointKind:
        if wanted in (kind.value, kind.label_zh):
            return kind
    raise UnknownPointKind(value, [k.value for k in PointKind])


_NON_NEGATIVE = (
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
)


def _check_terms(terms: dict[str, Any]) -> None:
    unknown = set(terms) - set(RULE_TERMS)
    if unknown:
        raise InvalidRuleTerm(", ".join(sorted(unknown)), "没有这一项", "no such term")
    for name in _NON_NEGATIVE:
        value = terms.get(name)
        if value is not None and value < 0:
            raise InvalidRuleTerm(name, f"不能为负数（{value}）", f"must not be negative ({value})")
    if terms.get("lendable", True) and terms.get("loan_days") == 0:
        raise InvalidRuleTerm(
            "loan_days",
            "可外借的规则借期至少 1 天；不外借请设 lendable=false",
            "a lendable rule lends for at least 1 day; set lendable=false to stop lending",
        )


def set_rule(
    session: Session,
    *,
    point: ServicePoint | None = None,
    point_kind: PointKind | None = None,
    category: PatronCategory | None = None,
    item_type: ItemType | None = None,
    terms: dict[str, Any],
    note: str | None = None,
    actor: str | None = None,
) -> CirculationRule:
    """Create the rule with exactly these keys, or change the terms of the one that exists.

    Terms not given keep their current value (or the default, for a new rule).
    The change is written to the circulation log with the terms before and after.
    """
    if point is not None and point_kind is not None:
        raise InvalidRuleTerm(
            "point",
            "一条规则只能指定具体服务点或服务点类型之一",
            "a rule names a service point or a kind of point, not both",
        )
    _check_terms(terms)
    key = (
        point.id if point else None,
        point_kind,
        category.id if category else None,
        item_type.id if item_type else None,
    )
    rule = session.scalars(
        select(CirculationRule).where(
            _is(CirculationRule.point_id, key[0]),
            _is(CirculationRule.point_kind, key[1]),
            _is(CirculationRule.patron_category_id, key[2]),
            _is(CirculationRule.item_type_id, key[3]),
        )
    ).first()
    before = _terms_of(rule) if rule else None
    if rule is None:
        merged = _with_defaults(terms)
        _check_terms(merged)
        rule = CirculationRule(
            point_id=key[0],
            point_kind=key[1],
            patron_category_id=key[2],
            item_type_id=key[3],
            note=note,
            **merged,
        )
        session.add(rule)
    else:
        merged = {**_terms_of(rule), **terms}
        _check_terms(merged)
        for name, value in terms.items():
            setattr(rule, name, value)
        if note is not None:
            rule.note = note
    session.flush()
    record_event(
        session,
        action=CirculationAction.RULE_CHANGED,
        point=point,
        actor=actor,
        before=before,
        after={"rule_id": rule.id, **_terms_of(rule)},
    )
    return rule


def _is_catch_all(rule: CirculationRule) -> bool:
    """A rule with no keys: any point, any patron category, any item type."""
    return (
        rule.point_id is None
        and rule.point_kind is None
        and rule.patron_category_id is None
        and rule.item_type_id is None
    )


def delete_rule(session: Session, *, rule_id: int, actor: str | None = None) -> dict[str, Any]:
    """Remove a rule of the policy matrix; loans made under it keep their terms.

    The last active catch-all rule may not go: without it a loan matching no other
    rule would have none (``NoRuleApplies`` at the desk). The deletion is written to
    the circulation log with the rule's keys and terms. Returns what was deleted.
    """
    rule = get_rule(session, rule_id)
    if rule.active and _is_catch_all(rule):
        others = session.scalar(
            select(func.count(CirculationRule.id)).where(
                CirculationRule.id != rule.id,
                CirculationRule.active.is_(True),
                CirculationRule.point_id.is_(None),
                CirculationRule.point_kind.is_(None),
                CirculationRule.patron_category_id.is_(None),
                CirculationRule.item_type_id.is_(None),
            )
        )
        if not others:
            raise LastCatchAllRule(rule.id)
    view = rule_views(session, [policy_rule(rule)])[rule.id]
    removed = {
        "rule_id": rule.id,
        "point": view.point,
        "point_kind": view.point_kind,
        "category": view.category,
        "item_type": view.item_type,
        "note": rule.note,
        **_terms_of(rule),
    }
    point_id = rule.point_id
    session.delete(rule)
    session.flush()
    record_event(
        session,
        action=CirculationAction.RULE_DELETED,
        point=point_id,
        actor=actor,
        before=removed,
        after=None,
    )
    return removed


def _is(column: Any, value: Any) -> Any:
    return column.is_(None) if value is None else column == value


def _terms_of(rule: CirculationRule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in RULE_TERMS}


# --- explain ---------------------------------------------------------------------


@dataclass(frozen=True)
class RuleView:
    """A rule with its keys spelled out for people (codes and names, not ids)."""

    id: int
    point: str | None
    point_kind: str | None
    category: str | None
    item_type: str | None
    score: int
    terms: dict[str, Any]
    note: str | None


def rule_views(session: Session, rules: list[PolicyRule]) -> dict[int, RuleView]:
    points = dict(session.execute(select(ServicePoint.id, ServicePoint.code)).all())
    categories = dict(session.execute(select(PatronCategory.id, PatronCategory.code)).all())
    types = dict(session.execute(select(ItemType.id, ItemType.code)).all())
    return {
        rule.id: RuleView(
            id=rule.id,
            point=points.get(rule.point_id) if rule.point_id else None,
            point_kind=rule.point_kind.value if rule.point_kind else None,
            category=categories.get(rule.category_id) if rule.category_id else None,
            item_type=types.get(rule.item_type_id) if rule.item_type_id else None,
            score=rule.score,
            terms={f.name: getattr(rule, f.name) for f in fields(rule) if f.name in RULE_TERMS},
            note=rule.note,
        )
        for rule in rules
    }


@dataclass(frozen=True)
class CandidateView:
    rule: RuleView
    matches: bool
    winner: bool
    why_zh: str
    why_en: str


@dataclass(frozen=True)
class PolicyExplanation:
    """Which rule governs a reader borrowing an item at a point, and why (``policy explain``)."""

    point: str
    patron: str
    patron_category: str
    policy_category: str  # the category whose rules apply (a lapsed 信易阅 reader: ADULT)
    item: str
    item_type: str
    item_type_lendable: bool
    winner: RuleView | None
    candidates: list[CandidateView]


def explain_policy(
    session: Session,
    *,
    card_number: str,
    barcode: str,
    at: str,
    today: date,
) -> PolicyExplanation:
    """Every rule considered for this loan, the winner first, and why each won or lost."""
    point = point_by_code(session, at)
    patron = desk_patron_by_card(session, card_number)
    row = session.execute(
        select(Item.barcode, ItemType.id, ItemType.code, ItemType.lendable)
        .join(ItemType, ItemType.id == Item.item_type_id)
        .where(Item.barcode == barcode.strip())
    ).one_or_none()
    if row is None:
        raise ItemNotFound(barcode)
    snapshot = policy_snapshot(session)
    context = loan_context(snapshot, point=point, patron=patron, item_type_id=row[1], today=today)
    every_rule = [policy_rule(r) for r in list_rules(session, include_inactive=True)]
    explanation = explain_rules(every_rule, context)
    views = rule_views(session, every_rule)
    categories = dict(session.execute(select(PatronCategory.id, PatronCategory.code)).all())
    candidates = []
    for candidate in explanation.candidates:
        if candidate.winner:
            why_zh, why_en = "最具体的匹配规则，采用", "the most specific matching rule: it applies"
        elif candidate.matches:
            why_zh = candidate.lost_because_zh or ""
            why_en = candidate.lost_because_en or ""
        else:
            why_zh = "不适用：" + "；".join(m.message_zh for m in candidate.mismatches)
            why_en = "does not apply: " + "; ".join(m.message_en for m in candidate.mismatches)
        candidates.append(
            CandidateView(
                rule=views[candidate.rule.id],
                matches=candidate.matches,
                winner=candidate.winner,
                why_zh=why_zh,
                why_en=why_en,
            )
        )
    winner = explanation.winner
    return PolicyExplanation(
        point=point.code,
        patron=patron.card_number,
        patron_category=patron.category.code,
        policy_category=categories.get(context.category_id, "") if context.category_id else "",
        item=row[0],
        item_type=row[2],
        item_type_lendable=row[3],
        winner=views[winner.id] if winner else None,
        candidates=candidates,
    )
