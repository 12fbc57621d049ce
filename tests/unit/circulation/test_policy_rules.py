"""The policy matrix in plain Python: which rule wins, and why."""

from __future__ import annotations

from wenjin.circulation.rules import (
    LoanContext,
    PolicyRule,
    explain_rules,
    policy_category_id,
    resolve_rule,
    rule_matches,
)
from wenjin.network.states import PointKind

CENTRAL, VILLAGE_ROOM = 1, 7
ADULT, CHILD, DOCTOR, CREDIT = 10, 11, 12, 13
BOOK, REF = 100, 101

ADULT_BOOK_AT_CENTRAL = LoanContext(
    point_id=CENTRAL, point_kind=PointKind.CENTRAL, category_id=ADULT, item_type_id=BOOK
)


def rule(rule_id: int, **keys: object) -> PolicyRule:
    return PolicyRule(id=rule_id, **keys)  # type: ignore[arg-type]


def test_a_rule_with_every_key_open_matches_every_loan() -> None:
    assert rule_matches(rule(1), ADULT_BOOK_AT_CENTRAL)


def test_a_rule_for_another_category_does_not_match() -> None:
    assert not rule_matches(rule(1, category_id=CHILD), ADULT_BOOK_AT_CENTRAL)


def test_a_rule_for_a_kind_of_point_matches_every_point_of_that_kind() -> None:
    village = LoanContext(VILLAGE_ROOM, PointKind.VILLAGE, ADULT, BOOK)
    assert rule_matches(rule(1, point_kind=PointKind.VILLAGE), village)
    assert not rule_matches(rule(1, point_kind=PointKind.VILLAGE), ADULT_BOOK_AT_CENTRAL)


def test_an_inactive_rule_never_matches() -> None:
    assert not rule_matches(rule(1, active=False), ADULT_BOOK_AT_CENTRAL)


def test_the_most_specific_rule_wins() -> None:
    rules = [rule(1), rule(2, category_id=ADULT), rule(3, category_id=ADULT, item_type_id=BOOK)]
    assert resolve_rule(rules, ADULT_BOOK_AT_CENTRAL) == rules[2]


def test_a_rule_for_a_point_beats_every_network_wide_rule() -> None:
    rules = [rule(1, category_id=ADULT, item_type_id=BOOK), rule(2, point_id=CENTRAL)]
    assert resolve_rule(rules, ADULT_BOOK_AT_CENTRAL).id == 2  # type: ignore[union-attr]


def test_a_specific_point_beats_a_kind_of_point() -> None:
    rules = [rule(1, point_kind=PointKind.CENTRAL), rule(2, point_id=CENTRAL)]
    assert resolve_rule(rules, ADULT_BOOK_AT_CENTRAL).id == 2  # type: ignore[union-attr]


def test_a_category_weighs_more_than_an_item_type() -> None:
    rules = [rule(1, item_type_id=BOOK), rule(2, category_id=ADULT)]
    assert resolve_rule(rules, ADULT_BOOK_AT_CENTRAL).id == 2  # type: ignore[union-attr]


def test_equally_specific_rules_are_decided_by_weight() -> None:
    rules = [rule(1, category_id=ADULT, weight=0), rule(2, category_id=ADULT, weight=5)]
    assert resolve_rule(rules, ADULT_BOOK_AT_CENTRAL).id == 2  # type: ignore[union-attr]


def test_equal_weight_goes_to_the_older_rule() -> None:
    rules = [rule(9, category_id=ADULT), rule(4, category_id=ADULT)]
    assert resolve_rule(rules, ADULT_BOOK_AT_CENTRAL).id == 4  # type: ignore[union-attr]


def test_no_rule_applies_when_none_matches() -> None:
    assert resolve_rule([rule(1, category_id=CHILD)], ADULT_BOOK_AT_CENTRAL) is None


def test_the_score_spells_out_point_category_and_item_type() -> None:
    assert rule(1, point_id=CENTRAL, category_id=ADULT, item_type_id=BOOK).score == 211
    assert rule(1, point_kind=PointKind.BRANCH, item_type_id=BOOK).score == 101
    assert rule(1).score == 0


def test_explain_puts_the_winner_first_and_says_why_the_others_lost() -> None:
    rules = [
        rule(1),
        rule(2, category_id=ADULT),
        rule(3, category_id=ADULT, weight=3),
        rule(4, category_id=CHILD),
    ]
    explanation = explain_rules(rules, ADULT_BOOK_AT_CENTRAL)
    assert explanation.winner == rules[2]
    first, *others = explanation.candidates
    assert first.winner
    assert first.rule.id == 3
    why = {c.rule.id: (c.matches, c.lost_because_en) for c in others}
    assert why[2] == (True, "equally specific; the winner weighs more (3 > 0)")
    assert why[1] == (True, "the winner is more specific on patron category")
    assert why[4][0] is False
    child_rule = next(c for c in others if c.rule.id == 4)
    assert [m.key for m in child_rule.mismatches] == ["category"]


def test_a_credit_based_reader_with_a_lapsed_rating_borrows_as_an_adult() -> None:
    args = {"credit_based": True, "fallback_category_id": ADULT}
    assert policy_category_id(CREDIT, credit_valid=True, **args) == CREDIT  # type: ignore[arg-type]
    assert policy_category_id(CREDIT, credit_valid=False, **args) == ADULT  # type: ignore[arg-type]


def test_other_readers_keep_their_own_category() -> None:
    assert (
        policy_category_id(DOCTOR, credit_based=False, credit_valid=False, fallback_category_id=1)
        == DOCTOR
    )
