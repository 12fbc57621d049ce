"""The staff client on the test database (SQLite and PostgreSQL), with the sample library
and one account per role; ``signed_in_as(username)`` gives a browser-like client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from staff_helpers import STAFF_PASSWORD, csrf_of

from support import load_test_module
from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app

_sample = load_test_module("functional/web/sample_library.py", "wenjin_staff_sample_library")
# Desk accounts in these tests work at the town branch (镇馆) of the sample library.
BRANCH = "ZC-XZ"


@pytest.fixture
def library(engine: Engine) -> Any:
    with UnitOfWork(engine) as uow:
        sample = _sample.build_sample_library(uow.session)
        uow.commit()
    return sample


@pytest.fixture
def staff_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, data_dir=tmp_path / "var", network_name="诸城市图书馆"
    )


@pytest.fixture
def staff_accounts(engine: Engine, library: Any) -> dict[str, str]:
    """username → role: an administrator of the network and a desk librarian of the first branch."""
    with UnitOfWork(engine) as uow:
        create_account(
            uow.session,
            username="admin",
            display_name="管理员",
            password=STAFF_PASSWORD,
            role=Role.ADMIN,
        )
        create_account(
            uow.session,
            username="wang.li",
            display_name="王丽",
            password=STAFF_PASSWORD,
            role=Role.DESK,
            scope=BRANCH,
        )
        # staffcat: a cataloguer of the whole network (catalogue pages)
        create_account(
            uow.session,
            username="zhao.min",
            display_name="赵敏",
            password=STAFF_PASSWORD,
            role=Role.CATALOGUER,
        )
        uow.commit()
    return {"admin": "admin", "wang.li": "desk", "zhao.min": "cataloguer"}


@pytest.fixture
def staff_client(staff_settings: Settings, staff_accounts: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(staff_settings)) as client:
        yield client


@pytest.fixture
def signed_in_as(staff_client: TestClient) -> Callable[[str], TestClient]:
    def sign_in(username: str) -> TestClient:
        page = staff_client.get("/staff/login")
        response = staff_client.post(
            "/staff/login",
            data={
                "username": username,
                "password": STAFF_PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
        )
        assert response.status_code == 200, response.text
        return staff_client

    return sign_in
