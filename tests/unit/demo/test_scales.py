"""The demo's scales and the command's choice of them."""

from __future__ import annotations

import pytest

from wenjin.cli.demo import ScaleName
from wenjin.demo.scales import SCALES, get_scale
from wenjin.errors import InvalidInput


def test_the_command_offers_every_scale() -> None:
    assert {name.value for name in ScaleName} == set(SCALES)


def test_report_scale_is_the_reports_volumes_and_small_is_for_tests() -> None:
    assert SCALES["report"].volumes == 3_070_000
    assert SCALES["medium"].volumes == SCALES["report"].volumes // 10
    assert (SCALES["small"].titles, SCALES["small"].volumes) == (2_000, 8_000)


def test_an_unknown_scale_names_the_ones_there_are() -> None:
    with pytest.raises(InvalidInput) as raised:
        get_scale("huge")
    assert "small, medium, report" in raised.value.message_en
