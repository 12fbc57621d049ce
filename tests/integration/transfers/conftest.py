"""Fixtures for the transfers tests: the rotation tests' network, with its courier routes."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def network() -> ModuleType:
    """``rotation_library.py``: stations, courier routes, ``day``."""
    return load_test_module(
        "integration/rotation/rotation_library.py", "wenjin_transfers_rotation_library"
    )


@pytest.fixture
def library(engine: Engine, network: ModuleType) -> Any:
    with UnitOfWork(engine) as uow:
        built = network.build_rotation_library(uow.session)
        uow.commit()
    return built
