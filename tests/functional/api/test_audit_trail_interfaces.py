"""The audit trail names who acted, whichever interface they used: the API's token
account, ``cli:<user>`` for a command; reading it needs ``accounts.manage``."""

from __future__ import annotations

import json
from typing import Any

from api_tokens import Tokens
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from wenjin.cli.common import cli_actor
from wenjin.cli.main import app

runner = CliRunner()


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_reader_changed_through_the_api_is_in_the_trail_under_the_token_account(
    api: TestClient,
) -> None:
    _ok(
        api.post(
            "/api/v1/patrons",
            json={"card": "ZC00099002", "name": "孙丽娟", "category": "ADULT", "home": "ZC-XX"},
        ),
        201,
    )
    _ok(api.patch("/api/v1/patrons/ZC00099002", json={"phone": "13905368888"}))
    trail = _ok(api.get("/api/v1/audit", params={"entity": "patrons", "by": "admin"}))
    assert trail["total"] == 2
    changed, created = trail["items"]
    assert created["action"] == "created"
    assert created["after"]["name"] == "孙丽娟"
    assert changed["action"] == "changed"
    assert changed["after"] == {"phone": "13905368888"}
    assert changed["actor"] == "admin"


def test_a_desk_account_may_not_read_the_trail(
    settings: Any, tokens: Tokens, api: TestClient
) -> None:
    refused = api.get("/api/v1/audit", headers=tokens.header(tokens.village_desk))
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["permission"] == "accounts.manage"


def test_a_command_is_in_the_trail_under_the_user_who_ran_it(cli_env: dict[str, str]) -> None:
    created = runner.invoke(
        app,
        [
            "admin",
            "create",
            "--username",
            "li.na",
            "--name",
            "李娜",
            "--password",
            "诸城图书馆借还书2026",
            "--json",
        ],
    )
    assert created.exit_code == 0, created.output
    listed = runner.invoke(app, ["audit", "list", "--entity", "staff_accounts", "--json"])
    assert listed.exit_code == 0, listed.output
    [entry] = json.loads(listed.stdout)["entries"]
    assert entry["actor"] == cli_actor()
    assert entry["label"] == "li.na"
    assert entry["after"]["password_hash"] == "***"


def test_the_trail_command_refuses_a_table_it_does_not_follow(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["audit", "list", "--entity", "loans", "--json"])
    assert result.exit_code != 0
    assert "audit_entity_unknown" in result.stdout
