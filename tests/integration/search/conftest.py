"""Search fixtures: the small catalogue of search_library.py, and an index of the test's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from support import load_test_module
from wenjin.db.uow import UnitOfWork
from wenjin.search.engine import SearchIndex


@pytest.fixture
def builders() -> ModuleType:
    return load_test_module("integration/search/search_library.py", "wenjin_search_library")


@pytest.fixture
def library(uow: Callable[..., UnitOfWork], builders: ModuleType) -> Any:
    with uow() as work:
        built = builders.build_search_library(work.session)
        work.commit()
    return built


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    return SearchIndex(tmp_path / "search-index")
