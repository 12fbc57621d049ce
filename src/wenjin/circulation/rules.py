"""Lending policy in plain Python: which rule applies, due dates, overdue days, limits.

Nothing here reads the database or the clock. Callers pass rules as
:class:`PolicyRule` values, the facts of a loan as a :class:`LoanContext`,
dates in the network's time zone, and the lending point's
:class:`~wenjin.network.rules.OpeningCalendar`.

The policy matrix (借阅规则)
---------------------------
A rule has three keys, each of which may be left open ("any"):

* where: a specific service point, or a kind of point (every village reading
  room), or any point;
* who: a patron category (成人, 少儿, 医护 …), or any;
* what: an item type (普通图书, 期刊 …), or any.

A rule *matches* a loan when each key it sets equals the loan's. Among the
matching active rules **the most specific wins**, judged key by key in this
order:

1. where: a specific point (2) beats a kind of point (1) beats any point (0);
2. then who: a category (1) beats any category (0);
3. then what: an item type (1) beats any item type (0).

So a rule a branch writes for itself beats every network-wide rule, whoever
borrows and whatever the item. When two matching rules are equally specific,
the higher ``weight`` wins, then the older rule (the lower id).

Two more things decide who counts as which category:

* a credit-based reader (信易阅) borrows under their category's rules only while
  the credit rating is valid; otherwise under the rules of ordinary adults
  (:data:`CREDIT_FALLBACK_CATEGORY`);
* whether an item type may be lent at all is also a property of the type
  itself (工具书, 地方文献 are reading-room only): a type marked not lendable is
  never lent, whatever a rule says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from wenjin.network.rules import OpeningCalendar
from wenjin.network.states import PointKind

# A credit-based reader whose rating has lapsed borrows as an ordinary adult.
CREDIT_FALLBACK_CATEGORY = "ADULT"

POINT_SPECIFIC = 2
POINT_KIND = 1
POINT_ANY = 0


@dataclass(frozen=True)
class PolicyRule:
    """One cell of the policy matrix, as the rules see it (a row of ``circulation_rules``)."""

    id: int
    point_id: int | None = None
    point_kind: PointKind | None = None
    category_id: int | None = None
    item_type_id: int | None = None
    lendable: bool = True
    loan_days: int = 30
    max_items: int = 5
    max_items_of_type: int | None = None
    renewals: int = 1
    renewal_days: int = 30
    fine_per_day_fen: int = 10
    max_fine_fen: int = 2000
    fine_capped_at_price: bool = True
    max_overdue_items: int = 0
    max_unpaid_fen: int = 1000
    holds_allowed: bool = True
    hold_limit: int = 5
    weight: int = 0
    active: bool = True
    note: str | None = None

    @property
    def point_level(self) -> int:
        if self.point_id is not None:
            return POINT_SPECIFIC
        if self.point_kind is not None:
            return POINT_KIND
        return POINT_ANY

    @property
    def specificity(self) -> tuple[int, int, int]:
        """(where, who, what): compared left to right, higher is more specific."""
        return (
            self.point_level,
            int(self.category_id is not None),
            int(self.item_type_id is not None),
        )

    @property
    def score(self) -> int:
        """The specificity as one number for display: 211 = a point, a category, an item type."""
        where, who, what = self.specificity
        return where * 100 + who * 10 + what

    def rank(self) -> tuple[int, int, int, int, int]:
        """Sort key: the greatest wins (specificity, then weight, then the lowest id)."""
        return (*self.specificity, self.weight, -self.id)


@dataclass(frozen=True)
class LoanContext:
    """Who borrows what where, as rule matching sees it."""

    point_id: int
    point_kind: PointKind
    category_id: int | None
    item_type_id: int | None


@dataclass(frozen=True)
class Mismatch:
    """Why a rule does not apply: which key differs."""

    key: str  # "point", "point_kind", "category", "item_type", "inactive"
    message_zh: str
    message_en: str


def mismatches(rule: PolicyRule, context: LoanContext) -> list[Mismatch]:
    """Every reason ``rule`` does not apply to ``context`` (empty: it matches)."""
    reasons: list[Mismatch] = []
    if not rule.active:
        reasons.append(Mismatch("inactive", "规则已停用", "the rule is inactive"))
    if rule.point_id is not None and rule.point_id != context.point_id:
        reasons.append(Mismatch("point", "服务点不同", "another service point"))
    if rule.point_kind is not None and rule.point_kind is not context.point_kind:
        reasons.append(
            Mismatch("point_kind", "服务点类型不同", f"for {rule.point_kind.value} points")
        )
    if rule.category_id is not None and rule.category_id != context.category_id:
        reasons.append(Mismatch("category", "读者类型不同", "another patron category"))
    if rule.item_type_id is not None and rule.item_type_id != context.item_type_id:
        reasons.append(Mismatch("item_type", "文献类型不同", "another item type"))
    return reasons


def rule_matches(rule: PolicyRule, context: LoanContext) -> bool:
    return (
        rule.active
        and (rule.point_id is None or rule.point_id == context.point_id)
        and (rule.point_kind is None or rule.point_kind is context.point_kind)
        and (rule.category_id is None or rule.category_id == context.category_id)
        and (rule.item_type_id is None or rule.item_type_id == context.item_type_id)
    )


def resolve_rule(rules: Iterable[PolicyRule], context: LoanContext) -> PolicyRule | None:
    """The rule that governs ``context``: the most specific matching active rule, or None."""
    best: PolicyRule | None = None
    for rule in rules:
        if rule_matches(rule, context) and (best is None or rule.rank() > best.rank()):
            best = rule
    return best


@dataclass(frozen=True)
class Candidate:
    rule: PolicyRule
    matches: bool
    mismatches: tuple[Mismatch, ...]
    winner: bool = False
    lost_because_zh: str | None = None
    lost_because_en: str | None = None


@dataclass(frozen=True)
class Explanation:
    """Every rule considered for a loan, the winner first, each with why it won or lost."""

    context: LoanContext
    winner: PolicyRule | None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


_KEY_NAMES = (
    ("服务点", "service point"),
    ("读者类型", "patron category"),
    ("文献类型", "item type"),
)


def _why_lost(loser: PolicyRule, winner: PolicyRule) -> tuple[str, str]:
    for (zh, en), theirs, ours in zip(
        _KEY_NAMES, winner.specificity, loser.specificity, strict=True
    ):
        if theirs > ours:
            return f"获胜规则的{zh}更具体", f"the winner is more specific on {en}"
    if winner.weight > loser.weight:
        return (
            f"同样具体，获胜规则权重更高（{winner.weight} > {loser.weight}）",
            f"equally specific; the winner weighs more ({winner.weight} > {loser.weight})",
        )
    return (
        f"同样具体、权重相同，编号较小的规则（{winner.id}）优先",
        f"equally specific and weighted; the older rule ({winner.id}) wins",
    )


def explain_rules(rules: Sequence[PolicyRule], context: LoanContext) -> Explanation:
    """Why the winning rule won: matching rules by rank, then the rules that do not match."""
    winner = resolve_rule(rules, context)
    matching = sorted((r for r in rules if rule_matches(r, context)), key=PolicyRule.rank)
    candidates: list[Candidate] = []
    for rule in reversed(matching):
        if rule is winner:
            candidates.append(Candidate(rule, True, (), winner=True))
            continue
        assert winner is not None
        zh, en = _why_lost(rule, winner)
        candidates.append(Candidate(rule, True, (), lost_because_zh=zh, lost_because_en=en))
    for rule in sorted(rules, key=lambda r: r.id):
        if not rule_matches(rule, context):
            candidates.append(Candidate(rule, False, tuple(mismatches(rule, context))))
    return Explanation(context=context, winner=winner, candidates=tuple(candidates))


def policy_category_id(
    category_id: int,
    *,
    credit_based: bool,
    credit_valid: bool,
    fallback_category_id: int | None,
) -> int:
    """The category whose rules a reader borrows under (信易阅 only while the rating is valid)."""
    if credit_based and not credit_valid and fallback_category_id is not None:
        return fallback_category_id
    return category_id


# --- dates -----------------------------------------------------------------


def due_date_for(calendar: OpeningCalendar, today: date, loan_days: int) -> date:
    """``loan_days`` after ``today``, moved forward to a day the lending point is open."""
    return calendar.due_date(today, loan_days)


def renewed_due_date(
    calendar: OpeningCalendar, *, today: date, current_due: date, renewal_days: int
) -> date:
    """A renewal counts ``renewal_days`` from the day of renewal (续借之日起算), moved to an
    open day, and never shortens the loan: renewing early keeps the current due date
    when that is later."""
    return max(calendar.due_date(today, renewal_days), current_due)


def is_overdue(due_on: date, today: date) -> bool:
    """An item is due by closing time on ``due_on``: overdue from the next day."""
    return today > due_on


def open_days_late(calendar: OpeningCalendar, due_on: date, returned_on: date) -> int:
    """Days the lending point was open after the due date, up to and including the return.

    Days the point is closed do not count: a reader could not have returned the
    item there.
    """
    count = 0
    day = due_on + timedelta(days=1)
    while day <= returned_on:
        if calendar.is_open(day):
            count += 1
        day += timedelta(days=1)
    return count


def fine_cap_fen(rule: PolicyRule, price_fen: int | None) -> int:
    """The most one loan's overdue fine may reach: the rule's maximum, and, when the rule
    says so, never more than the item's price (whichever is lower)."""
    if rule.fine_capped_at_price and price_fen is not None and price_fen > 0:
        return min(rule.max_fine_fen, price_fen)
    return rule.max_fine_fen


# --- limits ----------------------------------------------------------------


@dataclass(frozen=True)
class LoanCounts:
    """A reader's open loans, as the limits see them."""

    total: int
    of_type: int
    overdue: int


def over_total_limit(rule: PolicyRule, counts: LoanCounts) -> bool:
    return counts.total >= rule.max_items


def over_type_limit(rule: PolicyRule, counts: LoanCounts) -> bool:
    return rule.max_items_of_type is not None and counts.of_type >= rule.max_items_of_type


def renewals_left(renewals_allowed: int, renewals_used: int) -> int:
    return max(0, renewals_allowed - renewals_used)
