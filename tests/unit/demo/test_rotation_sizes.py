"""How big the demo's village deposits are at each scale."""

from __future__ import annotations

from wenjin.demo.rotation import deposit_size
from wenjin.demo.scales import SCALES


def test_a_village_deposit_holds_thirty_books_at_report_scale_and_at_least_two() -> None:
    assert deposit_size(SCALES["report"]) == 30
    assert deposit_size(SCALES["medium"]) == 3
    assert deposit_size(SCALES["small"]) == 2
