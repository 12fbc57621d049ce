"""``wenjin policy``: list, set and explain the lending rules."""

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


def test_list_shows_the_default_rules(library: Any) -> None:
    rules = wenjin("policy", "list")["rules"]
    keys = {(r["point_kind"], r["category"], r["item_type"]) for r in rules}
    assert (None, "MEDICAL", None) in keys
    assert (None, None, "REF") in keys
    assert ("village", None, None) in keys


def test_set_creates_a_rule_for_a_branch_and_explain_shows_it_winning(library: Any) -> None:
    rule = wenjin(
        "policy",
        "set",
        "--point",
        "ZC-CC",
        "--loan-days",
        "21",
        "--max-items",
        "8",
        "--note",
        "昌城镇馆试行21天借期",
    )["rule"]
    assert (rule["point"], rule["terms"]["loan_days"], rule["score"]) == ("ZC-CC", 21, 200)
    body = wenjin(
        "policy", "explain", "--patron", "ZC00020001", "--item", "ZC01000001", "--at", "ZC-CC"
    )
    assert body["winner"]["id"] == rule["id"]
    assert body["candidates"][0]["winner"] is True
    medical = next(c for c in body["candidates"] if c["rule"]["category"] == "MEDICAL")
    assert medical["matches"] is True
    assert "服务点更具体" in medical["why_zh"]


def test_set_refuses_an_unknown_category_naming_the_known_ones(library: Any) -> None:
    body = wenjin("policy", "set", "--category", "PILOT", "--loan-days", "7", ok=False)
    assert body["error"]["code"] == "category_unknown"
    assert "ADULT" in body["error"]["message"]


def test_set_refuses_an_unknown_kind_of_point(library: Any) -> None:
    body = wenjin("policy", "set", "--kind", "moon-base", "--loan-days", "7", ok=False)
    assert body["error"]["code"] == "point_kind_unknown"


def test_explain_prints_a_table_for_people(library: Any) -> None:
    result = runner.invoke(
        app, ["policy", "explain", "--patron", "ZC00012345", "--item", "ZC04000001", "--at", "ZC"]
    )
    assert result.exit_code == 0, result.output
    assert "不外借" in result.stdout
    assert "候选规则" in result.stdout


def test_defaults_can_be_installed_again_without_harm(library: Any) -> None:
    before = wenjin("policy", "list", "--all")["rules"]
    after = wenjin("policy", "defaults")["rules"]
    assert len(after) == len(before)
