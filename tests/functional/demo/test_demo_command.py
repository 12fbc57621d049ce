"""``wenjin demo`` end to end: the JSON summary, --if-absent, and a build killed half-way."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner, Result

from wenjin.cli.main import app
from wenjin.db.engine import make_engine

REPORT_POINTS = {
    "network": 1,
    "central": 1,
    "building": 2,
    "branch": 13,
    "school": 16,
    "village": 237,
    "station": 32,
    "self_service": 1,
    "scenic": 1,
}


def wenjin(*args: str) -> Result:
    return CliRunner().invoke(app, ["demo", *args])


def test_demo_small_json_builds_the_reports_network_and_if_absent_then_does_nothing(
    cli_env: dict[str, str],
) -> None:
    result = wenjin("--scale", "small", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["points_by_kind"] == REPORT_POINTS
    assert summary["records"] == 2_000
    assert 7_000 <= summary["items"] <= 9_000
    assert summary["items"] == sum(summary["items_by_kind"].values())
    assert summary["already_complete"] is False
    assert summary["seconds"] > 0
    circulation = summary["circulation"]
    assert 300 <= circulation["patrons"] <= 400
    assert circulation["loans_in_year"] > 1_000
    assert circulation["open_loans"] > circulation["overdue"] > 0
    assert circulation["fines_charged_fen"] == (
        circulation["fines_paid_fen"]
        + circulation["fines_waived_fen"]
        + circulation["fines_outstanding_fen"]
    )

    again = wenjin("--scale", "small", "--if-absent")
    assert again.exit_code == 0, again.output
    assert "演示数据已完整" in again.stdout
    assert "农家书屋 village" in again.stdout
    assert "237" in again.stdout
    assert "超期 overdue" in again.stdout
    assert "未缴 outstanding" in again.stdout

    # `wenjin demo check` finds the demo consistent, and names what is not once broken.
    result = wenjin("check", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "problems": []}
    assert "流通数据一致" in wenjin("check").stdout

    engine = make_engine(cli_env["WENJIN_DATABASE_URL"])
    with engine.begin() as conn:  # an item marked on loan behind the loans' back
        conn.execute(
            text(
                "UPDATE items SET status = 'on_loan' WHERE id = "
                "(SELECT min(id) FROM items WHERE status = 'available')"
            )
        )
    engine.dispose()
    broken = wenjin("check", "--json")
    assert broken.exit_code == 1
    report = json.loads(broken.stdout)
    assert report["ok"] is False
    assert [p["rule"] for p in report["problems"]] == ["on_loan_has_one_loan"]


def test_an_unknown_scale_is_refused_with_the_choices() -> None:
    result = wenjin("--scale", "huge")
    assert result.exit_code == 2
    assert "small" in result.output
    assert "report" in result.output


def _count(database: Path, table: str) -> int:
    if not database.exists():
        return 0
    try:
        with closing(sqlite3.connect(database, timeout=1)) as conn:
            return int(conn.execute(f"select count(*) from {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def test_a_demo_build_killed_half_way_finishes_when_run_again(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "WENJIN_DATABASE_URL": f"sqlite:///{database}",
        "WENJIN_DATA_DIR": str(tmp_path),
    }
    runner = [
        sys.executable,
        "-c",
        "from wenjin.cli.main import main; main()",
        *("demo", "--scale", "small", "--batch-size", "200"),
    ]
    process = subprocess.Popen(
        runner, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while _count(database, "bib_records") < 200:
            assert process.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "no batch was committed within a minute"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert 200 <= _count(database, "bib_records") < 2_000

    finished = subprocess.run(
        [*runner, "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    summary = json.loads(finished.stdout)
    assert summary["records"] == _count(database, "bib_records") == 2_000
    assert summary["batches_skipped"] >= 1
    assert summary["items"] == _count(database, "items")
    with closing(sqlite3.connect(database)) as conn:
        duplicated = conn.execute(
            "select count(*) from (select source, control_number from bib_records "
            "group by 1, 2 having count(*) > 1)"
        ).fetchone()[0]
        unfinished = conn.execute(
            "select count(*) from catalog_imports where finished_at is null"
        ).fetchone()[0]
    assert duplicated == 0
    assert unfinished == 0
