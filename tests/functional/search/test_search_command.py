"""``wenjin search`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from wenjin.cli.main import app


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_search_prints_the_ranked_hits_with_available_copies(
    cli_env: dict[str, str], library: Any
) -> None:
    result = wenjin("search", "红楼梦")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "3 条结果" in lines[0]
    assert "1. 红楼梦 / 曹雪芹 2005" in lines[1]
    assert "可借 available 1" in lines[1]


def test_search_json_keeps_its_keys_for_scripts(cli_env: dict[str, str], library: Any) -> None:
    result = wenjin("search", "hlm", "--at", "CC", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["total"] == 1
    assert body["hits"] == [
        {
            "id": library.records["HL1996"],
            "control_number": "HL1996",
            "title": "红楼梦",
            "author": "曹雪芹",
            "year": 1996,
            "available": 1,
        }
    ]


def test_options_may_come_before_the_query_of_several_words(
    cli_env: dict[str, str], library: Any
) -> None:
    result = wenjin("search", "--json", "the", "old", "man")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["hits"][0]["control_number"] == "OMS1"


def test_a_query_of_stray_quotes_and_brackets_is_searched_not_refused(
    cli_env: dict[str, str], library: Any
) -> None:
    result = wenjin("search", '"红楼梦', "(", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["hits"][0]["title"] == "红楼梦"


def test_an_unknown_point_is_refused_in_chinese_and_english(
    cli_env: dict[str, str], library: Any
) -> None:
    result = wenjin("search", "红楼梦", "--at", "NOPE")
    assert result.exit_code == 1
    assert "没有代码为 NOPE 的服务点" in result.output
    assert "No service point with code NOPE" in result.output


def test_reindex_rebuilds_the_index_and_search_still_finds_everything(
    cli_env: dict[str, str], library: Any
) -> None:
    result = wenjin("search", "reindex", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["records"], body["indexed"]) == (11, 11)
    again = wenjin("search", "reindex", "--quiet")  # run again: harmless
    assert again.exit_code == 0, again.output
    found = json.loads(wenjin("search", "changan", "--json").stdout)
    assert found["hits"][0]["control_number"] == "CASE"
