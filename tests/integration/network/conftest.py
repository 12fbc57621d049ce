"""Network fixtures: the example network file, imported on the test database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wenjin.db.uow import UnitOfWork
from wenjin.network.io import NetworkData, read_network_file
from wenjin.network.services import import_network

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "network.yaml"


@pytest.fixture
def example_data() -> NetworkData:
    return read_network_file(EXAMPLE)


@pytest.fixture
def example_network(uow: Callable[..., UnitOfWork], example_data: NetworkData) -> NetworkData:
    """The example network of docs/examples/network.yaml, committed."""
    with uow() as work:
        import_network(work.session, example_data)
        work.commit()
    return example_data
