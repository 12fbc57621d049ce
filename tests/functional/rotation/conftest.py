"""Fixtures for the ``wenjin rotation`` and ``wenjin transit`` tests: the rotation tests'
network (stations, courier routes, a batch of books), in the database the command uses."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def network() -> ModuleType:
    return load_test_module(
        "integration/rotation/rotation_library.py", "wenjin_functional_rotation_library"
    )


@pytest.fixture
def library(engine: Engine, cli_env: dict[str, str], network: ModuleType) -> Any:
    with UnitOfWork(engine) as uow:
        built = network.build_rotation_library(uow.session)
        uow.commit()
    return built
