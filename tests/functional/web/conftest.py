"""The web application on the test database (SQLite and PostgreSQL), with sample data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_library import SampleLibrary, build_sample_library
from sqlalchemy import Engine

from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app


@pytest.fixture
def library(engine: Engine) -> SampleLibrary:
    with UnitOfWork(engine) as uow:
        sample = build_sample_library(uow.session)
        uow.commit()
    return sample


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, data_dir=tmp_path / "var", network_name="诸城市图书馆"
    )


@pytest.fixture
def client(settings: Settings, library: SampleLibrary) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def empty_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The application over a migrated database with nothing in it."""
    with TestClient(create_app(settings)) as client:
        yield client
