"""The lending policy matrix in the staff client: the rules as a table, setting a rule
(policy.write over the whole network only), and the explain view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from staff_helpers import csrf_of

from wenjin.circulation.models import CirculationEvent, CirculationRule
from wenjin.circulation.policy import ensure_default_rules
from wenjin.circulation.states import CirculationAction
from wenjin.db.uow import UnitOfWork
from wenjin.patrons.services import register_patron


@pytest.fixture
def with_rules(engine: Engine, library: Any) -> None:
    with UnitOfWork(engine) as uow:
        ensure_default_rules(uow.session)
        register_patron(
            uow.session,
            card_number="ZC2026000123",
            name="李明",
            category="ADULT",
            home_point="ZC-XZ",
        )
        uow.commit()


def test_the_policy_page_shows_every_active_rule_as_a_table_row(
    signed_in_as: Callable[[str], TestClient], with_rules: None, engine: Engine
) -> None:
    client = signed_in_as("admin")
    page = client.get("/staff/policy")
    assert page.status_code == 200
    with UnitOfWork(engine, readonly=True) as uow:
        ids = uow.session.scalars(
            select(CirculationRule.id).where(CirculationRule.active.is_(True))
        ).all()
    assert ids
    for rule_id in ids:
        assert f'id="rule-{rule_id}"' in page.text
    assert "设置规则" in page.text


def test_an_administrator_sets_a_rule_and_it_is_logged_under_the_account(
    signed_in_as: Callable[[str], TestClient], with_rules: None, engine: Engine
) -> None:
    client = signed_in_as("admin")
    page = client.get("/staff/policy")
    response = client.post(
        "/staff/policy/rules",
        data={
            "csrf_token": csrf_of(page.text),
            "point": "ZC-XZ",
            "category": "ADULT",
            "item_type": "BOOK",
            "loan_days": "21",
            "max_items": "3",
            "lendable": "yes",
            "note": "镇馆成人图书借期三周",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    shown = client.get(response.headers["location"])
    assert "已保存" in shown.text
    assert "镇馆成人图书借期三周" in shown.text
    with UnitOfWork(engine, readonly=True) as uow:
        rule = uow.session.scalars(
            select(CirculationRule).where(CirculationRule.note == "镇馆成人图书借期三周")
        ).one()
        assert (rule.loan_days, rule.max_items, rule.lendable) == (21, 3, True)
        logged = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.RULE_CHANGED
            )
        ).all()
        assert [e.actor for e in logged if (e.after or {}).get("rule_id") == rule.id] == ["admin"]


def test_a_term_that_is_not_a_number_is_refused_in_words_and_changes_nothing(
    signed_in_as: Callable[[str], TestClient], with_rules: None, engine: Engine
) -> None:
    client = signed_in_as("admin")
    with UnitOfWork(engine, readonly=True) as uow:
        before = len(uow.session.scalars(select(CirculationRule)).all())
    page = client.get("/staff/policy")
    response = client.post(
        "/staff/policy/rules",
        data={"csrf_token": csrf_of(page.text), "point": "ZC-XZ", "loan_days": "三十"},
    )
    assert response.status_code == 200
    assert "“借期（天）”的值“三十”无效" in response.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert len(uow.session.scalars(select(CirculationRule)).all()) == before


def test_a_desk_account_sees_the_rules_but_may_not_change_them(
    signed_in_as: Callable[[str], TestClient], with_rules: None
) -> None:
    client = signed_in_as("wang.li")
    page = client.get("/staff/policy")
    assert page.status_code == 200
    assert "设置规则" not in page.text
    refused = client.post(
        "/staff/policy/rules",
        data={"csrf_token": csrf_of(page.text), "point": "ZC-XZ", "loan_days": "90"},
    )
    assert refused.status_code == 403
    assert "policy.write" in refused.text


def test_explain_names_the_rule_that_applies_and_why(
    signed_in_as: Callable[[str], TestClient], with_rules: None
) -> None:
    client = signed_in_as("wang.li")
    page = client.get(
        "/staff/policy", params={"patron": "ZC2026000123", "item": "ZC00000101", "at": "ZC-XZ"}
    )
    assert page.status_code == 200
    assert 'id="explanation"' in page.text
    assert "适用规则 #" in page.text
    assert "最具体的匹配规则，采用" in page.text


def test_explain_for_an_unknown_card_says_so(
    signed_in_as: Callable[[str], TestClient], with_rules: None
) -> None:
    client = signed_in_as("admin")
    page = client.get(
        "/staff/policy", params={"patron": "NOSUCHCARD", "item": "ZC00000101", "at": "ZC-XZ"}
    )
    assert page.status_code == 200
    assert 'id="explain-problem"' in page.text
    assert 'id="explanation"' not in page.text
