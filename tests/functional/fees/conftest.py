"""Fixtures for ``wenjin fees`` tests: the fees integration tests' small library, in the
test database the command is pointed at."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork

FEE_LIBRARY = Path(__file__).resolve().parents[2] / "integration" / "fees" / "fee_library.py"


def _load_fee_library() -> ModuleType:
    name = "wenjin_functional_fee_library"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FEE_LIBRARY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fee_library() -> ModuleType:
    """``fee_library.py``: ``build_fee_library``, ``make_loan``, ``local_time``, ``BOOK_DAY``."""
    return _load_fee_library()


@pytest.fixture
def library(engine: Engine, cli_env: dict[str, str], fee_library: ModuleType) -> Any:
    """The library built in the database ``wenjin`` will use (its ``FeeLibrary`` of ids)."""
    with UnitOfWork(engine) as uow:
        built = fee_library.build_fee_library(uow.session)
        uow.commit()
    return built
