"""Fixtures for ``wenjin holds`` and ``wenjin notices`` tests: the holds integration tests'
network, in the test database the command is pointed at."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def holds_lib() -> ModuleType:
    """``hold_library.py``: barcodes, ``build_hold_library``, and ``circ`` (card numbers)."""
    return load_test_module("integration/holds/hold_library.py", "wenjin_functional_hold_library")


@pytest.fixture
def library(engine: Engine, cli_env: dict[str, str], holds_lib: ModuleType) -> Any:
    with UnitOfWork(engine) as uow:
        built = holds_lib.build_hold_library(uow.session)
        uow.commit()
    return built
