"""Deleting a rule of the policy matrix in the staff client: logged under the account, never
the last catch-all rule, and only by a network-wide account with policy.write."""

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


@pytest.fixture
def rules(engine: Engine, library: Any) -> dict[str, int]:
    """The default rules: the id of the catch-all rule and of the reference-books rule."""
    with UnitOfWork(engine) as uow:
        ensure_default_rules(uow.session)
        uow.commit()
        by_note = {r.note: r.id for r in uow.session.scalars(select(CirculationRule))}
    return {
        "catch_all": by_note["成人读者默认规则：5册30天，可续借1次30天"],
        "reference": by_note["工具书仅限馆内阅览，不外借"],
    }


def _delete(client: TestClient, rule_id: int) -> Any:
    page = client.get("/staff/policy")
    return client.post(
        f"/staff/policy/rules/{rule_id}/delete", data={"csrf_token": csrf_of(page.text)}
    )


def test_an_administrator_deletes_a_rule_and_it_is_logged_under_the_account(
    signed_in_as: Callable[[str], TestClient], rules: dict[str, int], engine: Engine
) -> None:
    client = signed_in_as("admin")
    page = client.get("/staff/policy")
    assert f'action="/staff/policy/rules/{rules["reference"]}/delete"' in page.text
    deleted = _delete(client, rules["reference"])
    assert deleted.status_code == 200
    assert f"已删除规则 {rules['reference']}" in deleted.text
    assert f'id="rule-{rules["reference"]}"' not in deleted.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(CirculationRule, rules["reference"]) is None
        event = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.RULE_DELETED
            )
        ).one()
        assert event.actor == "admin"
        assert event.before is not None
        assert event.before["item_type"] == "REF"


def test_the_last_catch_all_rule_cannot_be_deleted(
    signed_in_as: Callable[[str], TestClient], rules: dict[str, int], engine: Engine
) -> None:
    refused = _delete(signed_in_as("admin"), rules["catch_all"])
    assert "唯一一条适用于所有服务点、读者类型和文献类型的通用规则" in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(CirculationRule, rules["catch_all"]) is not None


def test_deleting_a_rule_that_does_not_exist_says_so(
    signed_in_as: Callable[[str], TestClient], rules: dict[str, int]
) -> None:
    refused = _delete(signed_in_as("admin"), 999_999)
    assert "没有编号为 999999 的借阅规则" in refused.text


def test_a_desk_account_may_not_delete_a_rule(
    signed_in_as: Callable[[str], TestClient], rules: dict[str, int], engine: Engine
) -> None:
    client = signed_in_as("wang.li")
    page = client.get("/staff/policy")
    assert "/delete" not in page.text
    refused = _delete(client, rules["reference"])
    assert refused.status_code == 403
    assert "policy.write" in refused.text
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(CirculationRule, rules["reference"]) is not None
