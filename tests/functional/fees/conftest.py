"""Fixtures for ``wenjin fees`` tests: the fees integration tests' small library, in the
test database the command is pointed at."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def fee_library() -> ModuleType:
    """``fee_library.py``: ``build_fee_library``, ``make_loan``, ``local_time``, ``BOOK_DAY``."""
    return load_test_module("integration/fees/fee_library.py", "wenjin_functional_fee_library")


@pytest.fixture
def library(engine: Engine, cli_env: dict[str, str], fee_library: ModuleType) -> Any:
    """The library built in the database ``wenjin`` will use (its ``FeeLibrary`` of ids)."""
    with UnitOfWork(engine) as uow:
        built = fee_library.build_fee_library(uow.session)
        uow.commit()
    return built
