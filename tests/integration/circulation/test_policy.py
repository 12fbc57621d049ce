"""The policy matrix in the database: defaults, edits, the cache, explain."""

from __future__ import annotations

import pytest
from circ_library import ADULT, DOCTOR, LAPSED, NOW, SENIOR, CircLibrary
from helpers import Uow, lend
from sqlalchemy import Engine, select

from wenjin.catalog.models import ItemType
from wenjin.circulation.errors import InvalidRuleTerm
from wenjin.circulation.models import CirculationEvent, CirculationRule
from wenjin.circulation.policy import (
    DEFAULT_RULES,
    ensure_default_rules,
    explain_policy,
    list_rules,
    set_rule,
)
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind


def test_the_default_rules_are_installed_once_and_never_overwrite_an_edit(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        first = work.session.scalars(select(CirculationRule).order_by(CirculationRule.id)).first()
        assert first is not None
        first.loan_days = 21
        work.commit()
    with uow() as work:
        rules = ensure_default_rules(work.session)
        work.commit()
    assert len(rules) == len(DEFAULT_RULES)
    assert rules[0].loan_days == 21


def test_setting_a_rule_with_the_same_keys_changes_it_and_logs_the_change(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        branch = work.session.scalars(
            select(ServicePoint).where(ServicePoint.code == "ZC-CC")
        ).one()
        created = set_rule(work.session, point=branch, terms={"loan_days": 21}, actor="馆长")
        changed = set_rule(work.session, point=branch, terms={"max_items": 8}, note="镇馆试点")
        assert created.id == changed.id
        assert (changed.loan_days, changed.max_items, changed.note) == (21, 8, "镇馆试点")
        work.commit()
    with uow(readonly=True) as work:
        entries = work.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "rule_changed")
        ).all()
        assert entries[0].before is None
        assert entries[0].actor == "馆长"
        assert entries[1].before is not None
        assert entries[1].before["max_items"] == 5
        assert entries[1].after is not None
        assert entries[1].after["max_items"] == 8


def test_a_rule_cannot_name_a_point_and_a_kind_of_point(library: CircLibrary, uow: Uow) -> None:
    with uow() as work:
        branch = work.session.scalars(select(ServicePoint).where(ServicePoint.code == "ZC")).one()
        with pytest.raises(InvalidRuleTerm):
            set_rule(work.session, point=branch, point_kind=PointKind.BRANCH, terms={})


@pytest.mark.parametrize(
    "terms",
    [{"loan_days": -1}, {"fine_per_day_fen": -10}, {"colour": "red"}, {"loan_days": 0}],
)
def test_impossible_terms_are_refused(library: CircLibrary, uow: Uow, terms: dict) -> None:  # type: ignore[type-arg]
    with uow() as work, pytest.raises(InvalidRuleTerm):
        set_rule(work.session, terms=terms)


def test_a_rule_changed_in_another_session_applies_to_the_next_checkout(
    library: CircLibrary, uow: Uow, engine: Engine
) -> None:
    lend(uow, "ZC01000001", card=SENIOR)  # fills the rule cache
    with UnitOfWork(engine) as work:
        rule = work.session.scalars(
            select(CirculationRule).where(
                CirculationRule.point_id.is_(None),
                CirculationRule.point_kind.is_(None),
                CirculationRule.patron_category_id.is_(None),
                CirculationRule.item_type_id.is_(None),
            )
        ).one()
        rule.loan_days = 14
        work.commit()
    assert (lend(uow, "ZC01000002", card=SENIOR).due_on - NOW.date()).days == 14


def test_explain_names_the_winner_and_why_the_others_lost(library: CircLibrary, uow: Uow) -> None:
    with uow(readonly=True) as work:
        explanation = explain_policy(
            work.session, card_number=DOCTOR, barcode="ZC01000001", at="ZC", today=NOW.date()
        )
    assert (explanation.patron_category, explanation.policy_category) == ("MEDICAL", "MEDICAL")
    assert explanation.winner is not None
    assert explanation.winner.category == "MEDICAL"
    first = explanation.candidates[0]
    assert first.winner
    assert first.rule.id == explanation.winner.id
    catch_all = next(c for c in explanation.candidates if c.rule.score == 0)
    assert catch_all.matches
    assert "读者类型更具体" in catch_all.why_zh
    ref = next(c for c in explanation.candidates if c.rule.item_type == "REF")
    assert not ref.matches
    assert "文献类型不同" in ref.why_zh


def test_explain_shows_a_lapsed_credit_reader_under_adult_rules(
    library: CircLibrary, uow: Uow
) -> None:
    with uow(readonly=True) as work:
        explanation = explain_policy(
            work.session, card_number=LAPSED, barcode="ZC01000001", at="ZC", today=NOW.date()
        )
    assert (explanation.patron_category, explanation.policy_category) == ("CREDIT", "ADULT")


def test_explain_shows_a_kind_rule_beating_a_category_rule_at_a_village_room(
    library: CircLibrary, uow: Uow
) -> None:
    with uow(readonly=True) as work:
        explanation = explain_policy(
            work.session, card_number=DOCTOR, barcode="ZC01000001", at="ZC-V01", today=NOW.date()
        )
    assert explanation.winner is not None
    assert explanation.winner.point_kind == "village"
    doctors = next(c for c in explanation.candidates if c.rule.category == "MEDICAL")
    assert "服务点更具体" in doctors.why_zh


def test_explain_says_when_an_item_type_is_never_lent(library: CircLibrary, uow: Uow) -> None:
    with uow(readonly=True) as work:
        explanation = explain_policy(
            work.session, card_number=ADULT, barcode="ZC04000001", at="ZC", today=NOW.date()
        )
        assert explanation.item_type == "REF"
        assert not explanation.item_type_lendable
        assert explanation.winner is not None
        assert explanation.winner.terms["lendable"] is False
        assert list_rules(work.session)  # the rules are there to explain
        assert work.session.scalars(select(ItemType).where(ItemType.code == "REF")).one()
