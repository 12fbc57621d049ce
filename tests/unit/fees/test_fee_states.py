"""The fee states and their transition table."""

from __future__ import annotations

import pytest

from wenjin.fees.errors import IllegalFeeTransition
from wenjin.fees.states import (
    FEE_TRANSITIONS,
    FeeKind,
    FeeStatus,
    PaymentMethod,
    can_change_fee_status,
    check_fee_transition,
)


def test_an_open_fee_may_be_paid_waived_cancelled_or_refunded() -> None:
    for new in (FeeStatus.PAID, FeeStatus.WAIVED, FeeStatus.CANCELLED, FeeStatus.REFUNDED):
        check_fee_transition(FeeStatus.OPEN, new)


def test_a_paid_fee_can_only_be_refunded() -> None:
    assert FEE_TRANSITIONS[FeeStatus.PAID] == {FeeStatus.REFUNDED}


def test_a_settled_fee_never_reopens() -> None:
    for status in FeeStatus:
        assert not can_change_fee_status(status, FeeStatus.OPEN)
    with pytest.raises(IllegalFeeTransition, match="从 paid 变为 open"):
        check_fee_transition(FeeStatus.PAID, FeeStatus.OPEN)


@pytest.mark.parametrize("status", [FeeStatus.WAIVED, FeeStatus.CANCELLED, FeeStatus.REFUNDED])
def test_waived_cancelled_and_refunded_fees_are_final(status: FeeStatus) -> None:
    assert FEE_TRANSITIONS[status] == frozenset()


def test_every_kind_status_and_method_has_a_chinese_and_an_english_label() -> None:
    for member in (*FeeKind, *FeeStatus, *PaymentMethod):
        assert member.label_zh
        assert member.label_en
