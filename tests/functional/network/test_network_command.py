"""The ``wenjin network`` command end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from wenjin.cli.main import app

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "network.yaml"


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, ["network", *args])


@pytest.fixture
def imported(cli_env: dict[str, str]) -> dict[str, str]:
    result = wenjin("import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    return cli_env


def test_import_reports_what_it_created_and_a_second_import_changes_nothing(
    cli_env: dict[str, str],
) -> None:
    first = wenjin("import", str(EXAMPLE), "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["created"], summary["updated"], summary["routes_added"]) == (10, 0, 14)
    second = wenjin("import", str(EXAMPLE))
    assert second.exit_code == 0
    assert "新建 0、更新 0、未变 10" in second.stdout


def test_show_draws_the_tree_with_chinese_kind_labels(imported: dict[str, str]) -> None:
    result = wenjin("show")
    assert result.exit_code == 0, result.output
    assert "ZC 诸城市图书馆总分馆 总分馆体系" in result.stdout
    assert "CC 昌城镇图书馆 镇图书馆 借 取" in result.stdout
    assert "CC-V001 后凉台村农家书屋 农家书屋 借" in result.stdout
    assert result.stdout.index("ZX 诸城市图书馆") < result.stdout.index("CC 昌城镇图书馆")


def test_show_json_lists_every_point_with_its_parent(imported: dict[str, str]) -> None:
    result = wenjin("show", "--json")
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)
    assert len(points) == 10
    by_code = {p["code"]: p for p in points}
    assert by_code["CC-V001"] == by_code["CC-V001"] | {
        "name": "后凉台村农家书屋",
        "name_en": "Houliangtai Village Reading Room",
        "kind": "village",
        "parent": "CC",
        "lends": True,
        "pickup": False,
        "children": 0,
    }
    assert by_code["ZC"]["parent"] is None
    assert by_code["ZX"]["children"] == 3
    assert "address" in by_code["CC"]


def test_show_at_a_point_shows_only_its_subtree(imported: dict[str, str]) -> None:
    result = wenjin("show", "--at", "CC", "--json")
    assert [p["code"] for p in json.loads(result.stdout)] == ["CC", "CC-S01", "CC-V001"]


def test_show_at_an_unknown_point_fails_with_a_readable_message(imported: dict[str, str]) -> None:
    result = wenjin("show", "--at", "QQ")
    assert result.exit_code == 1
    assert "没有代码为 QQ 的服务点" in result.stderr


def test_an_empty_database_says_how_to_start(cli_env: dict[str, str]) -> None:
    result = wenjin("show")
    assert result.exit_code == 0
    assert "wenjin network import" in result.stdout
    assert json.loads(wenjin("show", "--json").stdout) == []


def test_a_bad_file_imports_nothing_and_lists_its_problems(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "points:\n"
        "  - {code: ZC, name: 总分馆, kind: network}\n"
        "  - {code: CC, name: 昌城镇图书馆, kind: twon, parent: ZC}\n"
        "  - {code: CC-V1, name: 村书屋, kind: village, parent: CX}\n",
        encoding="utf-8",
    )
    result = wenjin("import", str(bad))
    assert result.exit_code == 1
    assert "第 3 行（服务点 CC）" in result.stderr
    assert "twon" in result.stderr
    assert "未导入任何内容" in result.stderr
    as_json = wenjin("import", str(bad), "--json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stdout)["error"]
    assert error["code"] == "network_file_invalid"
    assert error["problems"][0]["where"] == "第 3 行（服务点 CC）"
    assert json.loads(wenjin("show", "--json").stdout) == []


def test_a_file_of_unknown_type_or_missing_is_refused(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    wrong = tmp_path / "network.json"
    wrong.write_text("{}", encoding="utf-8")
    assert "yaml" in wenjin("import", str(wrong)).stderr
    missing = wenjin("import", str(tmp_path / "missing.yaml"))
    assert missing.exit_code == 1
    assert "无法读取文件" in missing.stderr


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_export_then_import_with_replace_changes_nothing(
    imported: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"network.{fmt}"
    exported = wenjin("export", "--output", str(path))
    assert exported.exit_code == 0, exported.output
    again = wenjin("import", str(path), "--replace", "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert summary["unchanged"] == 10
    assert summary["created"] + summary["updated"] + summary["deactivated"] == 0
    assert summary["routes_added"] + summary["routes_updated"] + summary["routes_removed"] == 0


def test_export_writes_yaml_or_csv_to_standard_output(imported: dict[str, str]) -> None:
    as_yaml = wenjin("export")
    assert as_yaml.exit_code == 0
    assert "- code: ZC" in as_yaml.stdout
    assert "{from: 2026-02-15, to: 2026-02-23, reason: 春节}" in as_yaml.stdout
    as_csv = wenjin("export", "--format", "csv")
    assert as_csv.stdout.startswith("type,code,name")
    assert "route,,,,,,,,,,,,,,,CC,CC-V001,2,true,thu," in as_csv.stdout
    bad = wenjin("export", "--format", "xml")
    assert bad.exit_code == 1
    assert "yaml 或 csv" in bad.stderr


def test_calendar_shows_the_spring_festival_closure_with_its_reason(
    imported: dict[str, str],
) -> None:
    result = wenjin("calendar", "CC", "--from", "2026-02-14", "--days", "17")
    assert result.exit_code == 0, result.output
    assert "闭馆（春节）" in result.stdout
    assert "每周闭馆日" in result.stdout
    days = json.loads(wenjin("calendar", "CC", "--from", "2026-02-14", "-n", "12", "--json").stdout)
    by_date = {d["date"]: d for d in days["days"]}
    assert by_date["2026-02-14"] == {
        "date": "2026-02-14",
        "weekday": 6,
        "open": True,
        "hours": ["09:00-17:00"],
        "reason": None,
        "reason_en": None,
    }
    assert by_date["2026-02-17"]["reason"] == "闭馆（春节）"
    assert by_date["2026-02-24"]["open"] is True
    assert days["weekly"]["mon"] == []


def test_calendar_refuses_a_bad_date_and_an_unknown_point(imported: dict[str, str]) -> None:
    bad_date = wenjin("calendar", "CC", "--from", "2026-02-30")
    assert bad_date.exit_code == 1
    assert "2026-02-30" in bad_date.stderr
    unknown = wenjin("calendar", "QQ", "--json")
    assert unknown.exit_code == 1
    assert json.loads(unknown.stdout)["error"]["code"] == "point_not_found"


def test_route_shows_the_travel_days_and_the_way(imported: dict[str, str]) -> None:
    result = wenjin("route", "CC-V001", "XZ-T01", "--json", "--on", "2026-03-02")
    assert result.exit_code == 0, result.output
    route = json.loads(result.stdout)
    assert route["days"] == 5
    assert [p["code"] for p in route["path"]] == ["CC-V001", "CC", "ZX-XG", "XZ", "XZ-T01"]
    assert route["arrives"] == "2026-03-13"
    text = wenjin("route", "CC-V001", "XZ-T01")
    assert "路上 5 天" in text.stdout


def test_route_between_unconnected_points_says_so(imported: dict[str, str]) -> None:
    result = wenjin("route", "ZC", "CC", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) | {} == {
        "from": "ZC",
        "to": "CC",
        "reachable": False,
        "days": None,
        "path": [],
        "arrives": None,
    }


def test_the_installed_command_imports_a_csv_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "towns.csv"
    path.write_text(
        "type,code,name,kind,parent,hours,from,to,days\n"
        "point,ZC,诸城市图书馆总分馆,network,,mon-sun:09:00-17:00,,,\n"
        "point,CC,昌城镇图书馆,branch,ZC,,,,\n"
        "point,XZ,相州镇图书馆,branch,ZC,,,,\n"
        "route,,,,,,CC,XZ,2\n",
        encoding="utf-8-sig",
    )
    done = subprocess.run(
        [str(Path(sys.executable).parent / "wenjin"), "network", "import", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**cli_env, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created"] == 3
