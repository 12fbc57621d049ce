"""Fixtures for the holds integration tests: the network of ``hold_library.py``."""

from __future__ import annotations

import pytest
from hold_library import HoldLibrary, build_hold_library
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork


@pytest.fixture
def library(engine: Engine) -> HoldLibrary:
    with UnitOfWork(engine) as uow:
        built = build_hold_library(uow.session)
        uow.commit()
    return built
