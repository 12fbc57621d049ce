"""The hold lifecycle: allowed transitions and labels."""

from __future__ import annotations

import pytest

from wenjin.holds.errors import IllegalHoldTransition
from wenjin.holds.states import HOLD_TRANSITIONS, HoldStatus, check_hold_transition


def test_every_status_has_chinese_and_english_labels() -> None:
    for status in HoldStatus:
        assert status.label_zh
        assert status.label_en
    assert HoldStatus.READY.label_zh == "待取"


def test_finished_holds_never_change_again() -> None:
    for status in (HoldStatus.FULFILLED, HoldStatus.CANCELLED, HoldStatus.EXPIRED):
        assert HOLD_TRANSITIONS[status] == frozenset()
        with pytest.raises(IllegalHoldTransition):
            check_hold_transition(status, HoldStatus.WAITING)


def test_only_a_hold_on_the_shelf_expires() -> None:
    check_hold_transition(HoldStatus.READY, HoldStatus.EXPIRED)
    with pytest.raises(IllegalHoldTransition):
        check_hold_transition(HoldStatus.WAITING, HoldStatus.EXPIRED)
    with pytest.raises(IllegalHoldTransition):
        check_hold_transition(HoldStatus.IN_TRANSIT, HoldStatus.EXPIRED)
