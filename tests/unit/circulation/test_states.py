"""Loan and transit states change only along the declared transitions."""

from __future__ import annotations

import pytest

from wenjin.circulation.errors import IllegalLoanTransition, IllegalTransitTransition
from wenjin.circulation.slips import Slip, reshelve, transit_box
from wenjin.circulation.states import (
    CURRENT_LOAN_STATUSES,
    LOAN_TRANSITIONS,
    LoanStatus,
    TransitStatus,
    check_loan_transition,
    check_transit_transition,
)


def test_an_open_loan_can_be_returned_declared_lost_or_claimed_returned() -> None:
    for new in (LoanStatus.RETURNED, LoanStatus.LOST, LoanStatus.CLAIMED_RETURNED):
        check_loan_transition(LoanStatus.OPEN, new)


def test_a_returned_loan_never_changes_again() -> None:
    for new in LoanStatus:
        with pytest.raises(IllegalLoanTransition):
            check_loan_transition(LoanStatus.RETURNED, new)


def test_a_lost_loan_ends_only_by_the_item_coming_back() -> None:
    assert LOAN_TRANSITIONS[LoanStatus.LOST] == {LoanStatus.RETURNED}
    with pytest.raises(IllegalLoanTransition):
        check_loan_transition(LoanStatus.LOST, LoanStatus.OPEN)


def test_every_loan_state_but_returned_keeps_the_item_out() -> None:
    assert set(LoanStatus) - CURRENT_LOAN_STATUSES == {LoanStatus.RETURNED}


def test_a_transit_ends_once_received_cancelled_or_lost() -> None:
    for end in (TransitStatus.RECEIVED, TransitStatus.CANCELLED, TransitStatus.LOST):
        check_transit_transition(TransitStatus.IN_TRANSIT, end)
        with pytest.raises(IllegalTransitTransition):
            check_transit_transition(end, TransitStatus.IN_TRANSIT)


def test_every_state_has_a_chinese_and_an_english_label() -> None:
    for status in (*LoanStatus, *TransitStatus):
        assert status.label_zh
        assert status.label_en


def test_the_transit_slip_names_the_box_to_put_the_item_in() -> None:
    slip = transit_box("昌城镇图书馆", "ZC-CC")
    assert slip.zh == "请放入送往 昌城镇图书馆 的周转箱"
    assert "ZC-CC" in slip.en


def test_slips_join_in_the_order_the_desk_reads_them() -> None:
    joined = Slip("滞纳金 ¥0.30", "a fine of ¥0.30") + reshelve("I247.5/1", None)
    assert joined.zh == "滞纳金 ¥0.30；请上架（索书号 I247.5/1）"
    assert joined.en == "a fine of ¥0.30. Reshelve here (call number I247.5/1)"
