"""Helpers for the patrons unit tests: real-shaped resident ID numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stdnum.cn import ric


def make_resident_id(birth: str, sequence: str = "123", area: str = "370782") -> str:
    """An 18-digit ID number with a correct check digit (Zhucheng, 370782, by default)."""
    body = f"{area}{birth}{sequence}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def resident_id() -> Callable[..., str]:
    return make_resident_id
