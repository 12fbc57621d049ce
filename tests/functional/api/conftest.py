"""The REST API on the test database (SQLite and PostgreSQL): the circulation tests'
lending network, an administrator and a desk account of the 王家庄 village reading room."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from api_tokens import Tokens
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support import load_test_module
from wenjin.accounts.services import create_account, issue_token
from wenjin.accounts.states import Role
from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app

PASSWORD = "诸城图书馆借还书2026"


@pytest.fixture
def circ() -> ModuleType:
    return load_test_module("integration/circulation/circ_library.py", "wenjin_api_circ_library")


@pytest.fixture
def library(engine: Engine, circ: ModuleType) -> Any:
    with UnitOfWork(engine) as uow:
        built = circ.build_circ_library(uow.session)
        uow.commit()
    return built


@pytest.fixture
def tokens(engine: Engine, library: Any) -> Tokens:
    with UnitOfWork(engine) as uow:
        admin = create_account(
            uow.session, username="admin", display_name="馆长", password=PASSWORD, role=Role.ADMIN
        )
        desk = create_account(
            uow.session,
            username="wjz.desk",
            display_name="王家庄书屋管理员",
            password=PASSWORD,
            role=Role.DESK,
            scope="ZC-V01",
        )
        result = Tokens(
            admin=issue_token(uow.session, account=admin, name="测试").token,
            village_desk=issue_token(uow.session, account=desk, name="测试").token,
        )
        uow.commit()
    return result


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "var")


@pytest.fixture
def api(settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    """A client that acts as the administrator."""
    with TestClient(create_app(settings), headers=tokens.header(tokens.admin)) as client:
        yield client


@pytest.fixture
def anonymous(settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client
