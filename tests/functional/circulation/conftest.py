"""Fixtures for ``wenjin circ`` and ``wenjin policy`` tests: the circulation integration
tests' lending network, in the test database the command is pointed at."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def circ() -> ModuleType:
    """``circ_library.py``: card numbers, ``build_circ_library``, ``local_time``."""
    return load_test_module(
        "integration/circulation/circ_library.py", "wenjin_functional_circ_library"
    )


@pytest.fixture
def library(engine: Engine, cli_env: dict[str, str], circ: ModuleType) -> Any:
    """The lending network built in the database ``wenjin`` will use."""
    with UnitOfWork(engine) as uow:
        built = circ.build_circ_library(uow.session)
        uow.commit()
    return built
