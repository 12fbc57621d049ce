"""Fixtures for the SIP2 adapter tests: the lending network with its kiosks."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from kiosk_library import KioskLibrary, build_kiosk_library
from sqlalchemy import Engine

from wenjin.db.uow import UnitOfWork


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with its smallest cost: every kiosk and reader here hashes a password, and the
    production cost (most of a second on a busy machine) would dominate the run. A hash
    carries its own parameters, so verification is exercised all the same."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("wenjin.accounts.services._hasher", cheap)
    monkeypatch.setattr("wenjin.patrons.identity._hasher", cheap)


@pytest.fixture
def library(engine: Engine, cheap_argon2: None) -> KioskLibrary:
    with UnitOfWork(engine) as uow:
        built = build_kiosk_library(uow.session)
        uow.commit()
    return built
