"""``wenjin admin``: the first administrator, tokens shown once, disabling."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from wenjin.cli.main import app

runner = CliRunner()


def wenjin(*args: str, ok: bool = True) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert (result.exit_code == 0) is ok, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def test_the_first_administrator_gets_a_token_that_is_shown_once(
    cli_env: dict[str, str],
) -> None:
    created = wenjin(
        "admin",
        "create",
        "--username",
        "zhang.wei",
        "--name",
        "张伟",
        "--password",
        "诸城图书馆借还书2026",
    )
    assert created["account"]["role"] == "admin"
    assert created["account"]["scope"] is None
    token = wenjin(
        "admin", "token", "create", "--username", "zhang.wei", "--name", "自助机", "--days", "30"
    )
    assert token["token"].startswith("wj_")
    listed = wenjin("admin", "token", "list", "--username", "zhang.wei")
    assert listed["tokens"][0]["prefix"] == token["token"][:10]
    assert token["token"] not in json.dumps(listed)
    revoked = wenjin("admin", "token", "revoke", str(token["id"]), "--username", "zhang.wei")
    assert revoked["token"]["revoked_at"]
    assert wenjin("admin", "list")["accounts"][0]["username"] == "zhang.wei"
    assert wenjin("admin", "disable", "zhang.wei")["account"]["active"] is False


def test_a_weak_password_is_refused_in_both_languages(cli_env: dict[str, str]) -> None:
    body = wenjin(
        "admin",
        "create",
        "--username",
        "li.na",
        "--name",
        "李娜",
        "--password",
        "123456",
        ok=False,
    )
    assert body["error"]["code"] == "password_too_weak"
    assert "10" in body["error"]["message_en"]
