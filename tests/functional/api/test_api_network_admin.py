"""The API's network administration: deleting a rule of the policy matrix, creating and
moving points, opening hours, closed days, holidays and courier routes; network-wide
settings refused to a desk account of one village reading room."""

from __future__ import annotations

from typing import Any

from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from wenjin.circulation.models import CirculationEvent, CirculationRule
from wenjin.circulation.states import CirculationAction
from wenjin.db.uow import UnitOfWork


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _rule_id(engine: Engine, note: str) -> int:
    with UnitOfWork(engine, readonly=True) as uow:
        return uow.session.scalars(
            select(CirculationRule.id).where(CirculationRule.note == note)
        ).one()


def test_a_rule_is_deleted_over_the_api_and_logged_under_the_account(
    api: TestClient, engine: Engine
) -> None:
    rule_id = _rule_id(engine, "工具书仅限馆内阅览，不外借")
    body = _ok(api.delete(f"/api/v1/policy/rules/{rule_id}"))
    assert (body["deleted"]["rule_id"], body["deleted"]["item_type"]) == (rule_id, "REF")
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.get(CirculationRule, rule_id) is None
        event = uow.session.scalars(
            select(CirculationEvent).where(
                CirculationEvent.action == CirculationAction.RULE_DELETED
            )
        ).one()
        assert event.actor == "admin"
    gone = api.delete(f"/api/v1/policy/rules/{rule_id}")
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "rule_not_found"


def test_the_last_catch_all_rule_is_refused_with_409(api: TestClient, engine: Engine) -> None:
    rule_id = _rule_id(engine, "成人读者默认规则：5册30天，可续借1次30天")
    refused = api.delete(f"/api/v1/policy/rules/{rule_id}")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "rule_last_catch_all"


def test_a_desk_account_may_not_delete_a_rule(
    api: TestClient, tokens: Tokens, engine: Engine
) -> None:
    rule_id = _rule_id(engine, "工具书仅限馆内阅览，不外借")
    refused = api.delete(
        f"/api/v1/policy/rules/{rule_id}", headers=tokens.header(tokens.village_desk)
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["permission"] == "policy.write"
