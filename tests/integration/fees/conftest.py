"""Fixtures for the fees integration tests: the small library of ``fee_library.py``."""

from __future__ import annotations

import pytest
from fee_library import FeeLibrary, build_fee_library
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork


@pytest.fixture
def library(engine: Engine) -> FeeLibrary:
    with UnitOfWork(engine) as uow:
        built = build_fee_library(uow.session)
        uow.commit()
    return built
