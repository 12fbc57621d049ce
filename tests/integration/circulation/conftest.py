"""Fixtures for the circulation integration tests: the network of ``circ_library.py``."""

from __future__ import annotations

import pytest
from circ_library import CircLibrary, build_circ_library
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork


@pytest.fixture
def library(engine: Engine) -> CircLibrary:
    with UnitOfWork(engine) as uow:
        built = build_circ_library(uow.session)
        uow.commit()
    return built
