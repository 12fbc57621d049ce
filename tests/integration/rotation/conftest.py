"""Fixtures for the rotation tests: the lending network of ``rotation_library.py``."""

from __future__ import annotations

import pytest
from rotation_library import RotationLibrary, build_rotation_library
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork


@pytest.fixture
def library(engine: Engine) -> RotationLibrary:
    with UnitOfWork(engine) as uow:
        built = build_rotation_library(uow.session)
        uow.commit()
    return built
