"""Fixtures shared by every test: databases (SQLite and PostgreSQL) and units of work.

Storage and service tests take the ``engine`` fixture and run twice, once on a
fresh SQLite file and once on PostgreSQL. PostgreSQL comes from
``WENJIN_TEST_DATABASE_URL`` or the local server (127.0.0.1:5432, database
``test``); each pytest worker of each run gets a database of its own. Without PostgreSQL the
PostgreSQL half is skipped, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from wenjin.db.base import Base
from wenjin.db.engine import make_engine
from wenjin.db.migrate import upgrade
from wenjin.db.uow import UnitOfWork

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"

_DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _database_name() -> str:
    # Unique per test run and per worker: two runs at once never drop each other's database.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:10]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"wenjin_test_{run}_{worker}"


def _postgres_admin_url() -> str:
    return os.environ.get("WENJIN_TEST_DATABASE_URL", _DEFAULT_PG)


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this worker's own on the PostgreSQL server, migrated once."""
    admin_url = _postgres_admin_url()
    try:
        admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        _postgres_unavailable(str(exc).splitlines()[0])
    name = _database_name()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """The URL of an empty, migrated database: a fresh SQLite file, or a truncated PostgreSQL one."""
    if request.param == "sqlite":
        path = tmp_path / "wenjin.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        engine = make_engine(url)
        _truncate_all(engine)
        engine.dispose()
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    """SQLite only: for tests about the embedded file itself."""
    path = tmp_path / "wenjin.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> Callable[..., UnitOfWork]:
    """``uow()`` opens a unit of work on the test database; the test commits when it wants."""

    def make(*, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(engine, readonly=readonly)

    return make


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for running the ``wenjin`` command against the test database."""
    env = {"WENJIN_DATABASE_URL": database_url, "WENJIN_DATA_DIR": str(tmp_path / "var")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env
