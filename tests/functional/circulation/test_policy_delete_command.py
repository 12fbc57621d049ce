"""``wenjin policy delete --rule ID``: a rule goes, logged; the last catch-all rule stays."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from wenjin.cli.main import app

runner = CliRunner()


def wenjin(*args: str, ok: bool = True) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert (result.exit_code == 0) is ok, result.output
    return json.loads(result.stdout)


def _rule_id(item_type: str | None, category: str | None = None) -> int:
    rules = wenjin("policy", "list")["rules"]
    return next(
        r["id"]
        for r in rules
        if (r["point"], r["point_kind"], r["category"], r["item_type"])
        == (None, None, category, item_type)
    )


def test_delete_removes_a_rule_and_list_no_longer_shows_it(library: Any) -> None:
    local = _rule_id("LOCAL")
    body = wenjin("policy", "delete", "--rule", str(local), "--by", "zhang.wei")
    assert body["deleted"]["rule_id"] == local
    assert body["deleted"]["item_type"] == "LOCAL"
    assert local not in {r["id"] for r in wenjin("policy", "list")["rules"]}


def test_delete_refuses_the_last_catch_all_rule(library: Any) -> None:
    body = wenjin("policy", "delete", "--rule", str(_rule_id(None)), ok=False)
    assert body["error"]["code"] == "rule_last_catch_all"


def test_delete_of_an_unknown_rule_names_the_command_that_lists_them(library: Any) -> None:
    body = wenjin("policy", "delete", "--rule", "999999", ok=False)
    assert body["error"]["code"] == "rule_not_found"
    assert "wenjin policy list" in body["error"]["message"]
