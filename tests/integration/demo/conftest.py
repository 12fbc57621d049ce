"""One small demo built on SQLite, shared by the tests that only read it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from wenjin.db.engine import make_engine
from wenjin.demo.build import DemoSummary, build_demo
from wenjin.demo.scales import SCALES


@pytest.fixture(scope="module")
def built_demo(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[Engine, DemoSummary]]:
    path = tmp_path_factory.mktemp("demo") / "wenjin.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    summary = build_demo(engine, scale=SCALES["small"], seed=2020)
    yield engine, summary
    engine.dispose()
