"""The search catalogue of tests/integration/search, in the test database, for the CLI and the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support import load_test_module
from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app


@pytest.fixture
def library(engine: Engine) -> Any:
    builders = load_test_module("integration/search/search_library.py", "wenjin_search_library")
    with UnitOfWork(engine) as uow:
        built = builders.build_search_library(uow.session)
        uow.commit()
    return built


@pytest.fixture
def client(database_url: str, tmp_path: Path, library: Any) -> Iterator[TestClient]:
    """An anonymous client: the catalogue search needs no token."""
    settings = Settings(database_url=database_url, data_dir=tmp_path / "var")
    with TestClient(create_app(settings)) as test_client:
        yield test_client
