"""Deleting a rule of the policy matrix: a running loan keeps its terms, the log keeps the
rule, the next checkout follows the rules that remain, and the last catch-all rule stays."""

from __future__ import annotations

import pytest
from circ_library import DOCTOR, NOW, CircLibrary
from helpers import Uow, lend
from sqlalchemy import select

from wenjin.circulation.errors import LastCatchAllRule
from wenjin.circulation.models import CirculationEvent, CirculationRule, Loan
from wenjin.circulation.policy import delete_rule, set_rule


def _medical_rule(uow: Uow) -> int:
    with uow(readonly=True) as work:
        return work.session.scalars(
            select(CirculationRule.id).where(
                CirculationRule.note == "优待政策（医护人员）：10册60天"
            )
        ).one()


def test_a_deleted_rule_leaves_running_loans_as_they_were_and_the_next_follows_the_rest(
    library: CircLibrary, uow: Uow
) -> None:
    first = lend(uow, "ZC01000001", card=DOCTOR)
    assert (first.due_on - NOW.date()).days >= 60
    rule_id = _medical_rule(uow)
    with uow() as work:
        removed = delete_rule(work.session, rule_id=rule_id, actor="馆长")
        work.commit()
    assert (removed["category"], removed["loan_days"]) == ("MEDICAL", 60)
    with uow(readonly=True) as work:
        loan = work.session.scalars(select(Loan).order_by(Loan.id)).first()
        assert loan is not None
        assert (loan.rule_id, loan.loan_days) == (None, 60)
        entry = work.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "rule_deleted")
        ).one()
        assert entry.actor == "馆长"
        assert entry.before is not None
        assert entry.before["rule_id"] == rule_id
    second = lend(uow, "ZC01000002", card=DOCTOR)
    assert (second.due_on - NOW.date()).days < 60


def test_the_last_catch_all_rule_cannot_be_deleted_but_one_of_two_can(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        catch_all = work.session.scalars(
            select(CirculationRule).where(
                CirculationRule.point_id.is_(None),
                CirculationRule.point_kind.is_(None),
                CirculationRule.patron_category_id.is_(None),
                CirculationRule.item_type_id.is_(None),
            )
        ).one()
        catch_all_id = catch_all.id
        with pytest.raises(LastCatchAllRule):
            delete_rule(work.session, rule_id=catch_all_id)
    with uow() as work:
        other = CirculationRule(loan_days=21, max_items=5, note="临时通用规则")
        work.session.add(other)
        work.session.flush()
        delete_rule(work.session, rule_id=catch_all_id)
        work.commit()
    with uow(readonly=True) as work:
        assert work.session.get(CirculationRule, catch_all_id) is None


def test_a_catch_all_rule_already_switched_off_may_be_deleted(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        rule = set_rule(work.session, terms={"active": False})
        work.commit()
        rule_id = rule.id
    with uow() as work:
        delete_rule(work.session, rule_id=rule_id)
        work.commit()
