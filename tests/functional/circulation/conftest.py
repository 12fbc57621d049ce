"""Fixtures for ``wenjin circ`` and ``wenjin policy`` tests: the circulation integration
tests' lending network, in the test database the command is pointed at."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork

CIRC_LIBRARY = (
    Path(__file__).resolve().parents[2] / "integration" / "circulation" / "circ_library.py"
)


def _load_circ_library() -> ModuleType:
    name = "wenjin_functional_circ_library"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, CIRC_LIBRARY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def circ() -> ModuleType:
    """``circ_library.py``: card numbers, ``build_circ_library``, ``local_time``."""
    return _load_circ_library()


@pytest.fixture
def library(engine: Engine, cli_env: dict[str, str], circ: ModuleType) -> Any:
    """The lending network built in the database ``wenjin`` will use."""
    with UnitOfWork(engine) as uow:
        built = circ.build_circ_library(uow.session)
        uow.commit()
    return built
