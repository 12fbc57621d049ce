"""The fee rules, without a database: fines, payments, waivers, lost items, amnesty days."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenjin.fees.errors import (
    AmnestyDatesReversed,
    InvalidAmnestyWindow,
    InvalidAmount,
    NothingOwed,
    Overpayment,
    UnknownPaymentMethod,
    WaiverReasonMissing,
    WaiverTooLarge,
    yuan,
)
from wenjin.fees.rules import (
    DEFAULT_REPLACEMENT_PRICE_FEN,
    PROCESSING_FEE_FEN,
    Allocation,
    AmnestyTerms,
    OpenFee,
    allocate_payment,
    balance_fen,
    check_amnesty_window,
    check_waiver,
    found_item_outcome,
    lost_item_charge,
    matching_amnesty,
    overdue_fine_fen,
    parse_amount_fen,
    payment_method,
    receipt_number,
    refund_method,
    settled_status,
)
from wenjin.fees.states import FeeKind, FeeStatus, PaymentMethod

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def fee(fee_id: int, balance: int, *, days_ago: int = 0) -> OpenFee:
    return OpenFee(fee_id, MONDAY - timedelta(days=days_ago), balance)


# --- overdue fines ---


def test_a_fine_accrues_per_open_day_late() -> None:
    assert overdue_fine_fen(1, per_day_fen=10, max_fen=2000) == 10
    assert overdue_fine_fen(7, per_day_fen=10, max_fen=2000) == 70


def test_a_fine_stops_at_the_maximum() -> None:
    assert overdue_fine_fen(199, per_day_fen=10, max_fen=2000) == 1990
    assert overdue_fine_fen(200, per_day_fen=10, max_fen=2000) == 2000
    assert overdue_fine_fen(3650, per_day_fen=10, max_fen=2000) == 2000


def test_an_item_returned_on_time_owes_no_fine() -> None:
    assert overdue_fine_fen(0, per_day_fen=10, max_fen=2000) == 0
    assert overdue_fine_fen(-3, per_day_fen=10, max_fen=2000) == 0


def test_a_rule_without_fines_charges_nothing_however_late() -> None:
    assert overdue_fine_fen(40, per_day_fen=0, max_fen=2000) == 0
    assert overdue_fine_fen(40, per_day_fen=10, max_fen=0) == 0


def test_negative_fine_terms_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        overdue_fine_fen(3, per_day_fen=-10, max_fen=2000)


# --- payments ---


def test_a_payment_pays_the_oldest_open_fee_first() -> None:
    fees = [fee(2, 300, days_ago=1), fee(1, 500, days_ago=9), fee(3, 200, days_ago=0)]
    assert allocate_payment(500, fees) == [Allocation(1, 500)]
    assert allocate_payment(700, fees) == [Allocation(1, 500), Allocation(2, 200)]


def test_a_partial_payment_leaves_the_rest_of_a_fee_open() -> None:
    assert allocate_payment(120, [fee(1, 500)]) == [Allocation(1, 120)]


def test_fees_charged_at_the_same_moment_are_paid_in_fee_number_order() -> None:
    fees = [fee(8, 500), fee(7, 5000)]
    assert allocate_payment(5200, fees) == [Allocation(7, 5000), Allocation(8, 200)]


def test_an_overpayment_is_refused_with_what_is_owed() -> None:
    with pytest.raises(Overpayment) as refused:
        allocate_payment(1300, [fee(1, 500), fee(2, 750)], patron_name="李娜")
    assert refused.value.owed_fen == 1250
    assert "李娜 应缴 ¥12.50，收款 ¥13.00 超出应缴金额" in refused.value.message_zh
    assert "keeps no credit balance" in refused.value.message_en


def test_a_payment_from_a_reader_who_owes_nothing_is_refused() -> None:
    with pytest.raises(NothingOwed, match="没有未缴的费用"):
        allocate_payment(100, [], patron_name="李娜")


@pytest.mark.parametrize("amount", [0, -100])
def test_a_payment_of_nothing_or_less_is_refused(amount: int) -> None:
    with pytest.raises(InvalidAmount, match="必须大于零"):
        allocate_payment(amount, [fee(1, 500)])


@given(
    balances=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=12),
    share=st.floats(min_value=0.0001, max_value=1.0),
)
def test_an_allocation_spends_the_payment_exactly_and_in_age_order(
    balances: list[int], share: float
) -> None:
    fees = [fee(i + 1, b, days_ago=len(balances) - i) for i, b in enumerate(balances)]
    amount = max(1, int(sum(balances) * share))
    allocations = allocate_payment(amount, fees)
    assert sum(a.amount_fen for a in allocations) == amount
    for allocation, open_fee in zip(allocations, fees, strict=False):
        assert allocation.fee_id == open_fee.fee_id
        assert 0 < allocation.amount_fen <= open_fee.balance_fen
    for allocation, open_fee in zip(allocations[:-1], fees, strict=False):
        assert allocation.amount_fen == open_fee.balance_fen  # only the last may be partial


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("12.50", 1250),
        ("12.5", 1250),
        ("12", 1200),
        ("0.1", 10),
        (".5", 50),
        ("¥3.20", 320),
        ("3.2元", 320),
        ("１２.５０", 1250),
        (" 1,200.00 ", 120000),
    ],
)
def test_an_amount_typed_in_yuan_becomes_exact_fen(typed: str, fen: int) -> None:
    assert parse_amount_fen(typed) == fen


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12.345", "最多两位小数"),
        ("-3", "不能为负数"),
        ("0", "必须大于零"),
        ("0.00", "必须大于零"),
        ("十二元", "请写成元"),
        ("", "请写成元"),
        ("1e3", "请写成元"),
        ("1000000.01", "超过单笔上限"),
    ],
)
def test_an_amount_that_is_not_yuan_and_fen_is_refused_saying_why(typed: str, why: str) -> None:
    with pytest.raises(InvalidAmount, match=why):
        parse_amount_fen(typed)


@pytest.mark.parametrize(
    ("typed", "method"),
    [
        ("cash", PaymentMethod.CASH),
        ("WeChat", PaymentMethod.WECHAT),
        ("微信", PaymentMethod.WECHAT),
        ("支付宝", PaymentMethod.ALIPAY),
        ("银行卡", PaymentMethod.CARD),
        (PaymentMethod.CARD, PaymentMethod.CARD),
    ],
)
def test_a_payment_method_is_known_by_its_code_or_its_chinese_name(
    typed: str, method: PaymentMethod
) -> None:
    assert payment_method(typed) is method


def test_an_unknown_payment_method_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(UnknownPaymentMethod, match="cash, wechat, alipay, card"):
        payment_method("bitcoin")


def test_a_receipt_number_carries_the_day_and_a_six_digit_sequence() -> None:
    assert receipt_number("JF", date(2026, 11, 24), 123) == "JF-20261124-000123"
    assert receipt_number("TK", date(2026, 1, 5), 1_234_567) == "TK-20260105-1234567"
    with pytest.raises(ValueError, match="start at 1"):
        receipt_number("JF", date(2026, 11, 24), 0)


def test_a_fee_settled_by_money_is_paid_and_one_settled_by_waivers_alone_is_waived() -> None:
    assert settled_status(paid_fen=100) is FeeStatus.PAID
    assert settled_status(paid_fen=0) is FeeStatus.WAIVED
    assert balance_fen(2000, 500, 300, 0) == 1200


def test_money_is_shown_in_yuan_to_the_fen() -> None:
    assert yuan(1250) == "¥12.50"
    assert yuan(5) == "¥0.05"
    assert yuan(-30) == "-¥0.30"


# --- waivers ---


def test_a_waiver_needs_a_reason() -> None:
    with pytest.raises(WaiverReasonMissing, match="减免必须写明原因"):
        check_waiver(1, "   ", 100, 500)
    with pytest.raises(WaiverReasonMissing):
        check_waiver(1, None, 100, 500)


def test_a_waiver_may_not_exceed_what_is_left_on_the_fee() -> None:
    with pytest.raises(WaiverTooLarge, match=re.escape("只剩 ¥5.00 未缴，不能减免 ¥6.00")):
        check_waiver(7, "读者住院", 600, 500)


def test_a_waiver_reason_is_kept_tidy_with_its_chinese_punctuation_as_typed() -> None:
    assert check_waiver(7, "  读者  住院　两周 ", 500, 500) == "读者 住院 两周"
    assert (
        check_waiver(7, "家庭困难，馆长批准（见审批单）", 500, 500)
        == "家庭困难，馆长批准（见审批单）"
    )


# --- lost items ---


def test_a_lost_item_is_charged_its_own_price_first() -> None:
    charge = lost_item_charge(4580, 3900)
    assert (charge.price_fen, charge.price_source) == (4580, "item")
    assert charge.processing_fen == PROCESSING_FEE_FEN
    assert charge.total_fen == 4580 + PROCESSING_FEE_FEN


def test_a_lost_item_without_a_price_is_charged_its_records_price() -> None:
    assert lost_item_charge(None, 3900).price_fen == 3900
    assert lost_item_charge(0, 3900).price_source == "record"  # a gift copy still costs a copy


def test_a_lost_item_with_no_price_anywhere_is_charged_the_default() -> None:
    charge = lost_item_charge(None, None)
    assert (charge.price_fen, charge.price_source) == (DEFAULT_REPLACEMENT_PRICE_FEN, "default")
    assert "默认书价" in charge.price_note_zh


def test_a_found_items_unpaid_charges_are_cancelled() -> None:
    for kind in (FeeKind.LOST_ITEM, FeeKind.PROCESSING):
        outcome = found_item_outcome(kind, FeeStatus.OPEN, paid_fen=0, balance=4580)
        assert outcome is not None
        assert (outcome.new_status, outcome.cancel_fen, outcome.refund_fen) == (
            FeeStatus.CANCELLED,
            4580,
            0,
        )


def test_a_found_items_paid_price_is_refunded() -> None:
    outcome = found_item_outcome(FeeKind.LOST_ITEM, FeeStatus.PAID, paid_fen=4580, balance=0)
    assert outcome is not None
    assert (outcome.new_status, outcome.refund_fen) == (FeeStatus.REFUNDED, 4580)


def test_a_found_items_part_paid_price_is_refunded_and_the_rest_cancelled() -> None:
    outcome = found_item_outcome(FeeKind.LOST_ITEM, FeeStatus.OPEN, paid_fen=1000, balance=3580)
    assert outcome is not None
    assert (outcome.new_status, outcome.cancel_fen, outcome.refund_fen) == (
        FeeStatus.REFUNDED,
        3580,
        1000,
    )


def test_a_found_items_paid_processing_fee_is_kept() -> None:
    assert found_item_outcome(FeeKind.PROCESSING, FeeStatus.PAID, paid_fen=500, balance=0) is None


def test_a_found_items_part_paid_processing_fee_keeps_the_money_and_drops_the_rest() -> None:
    outcome = found_item_outcome(FeeKind.PROCESSING, FeeStatus.OPEN, paid_fen=200, balance=300)
    assert outcome is not None
    assert (outcome.new_status, outcome.cancel_fen, outcome.refund_fen) == (
        FeeStatus.PAID,
        300,
        0,
    )


def test_a_found_items_waived_or_settled_charges_stay_as_they_are() -> None:
    for status in (FeeStatus.WAIVED, FeeStatus.CANCELLED, FeeStatus.REFUNDED):
        assert found_item_outcome(FeeKind.LOST_ITEM, status, paid_fen=0, balance=0) is None


def test_only_loss_charges_follow_the_found_item_rule() -> None:
    with pytest.raises(ValueError, match="not a charge for a lost item"):
        found_item_outcome(FeeKind.OVERDUE, FeeStatus.OPEN, paid_fen=0, balance=100)


def test_money_goes_back_the_way_it_was_last_paid() -> None:
    assert refund_method([PaymentMethod.CASH, PaymentMethod.WECHAT]) is PaymentMethod.WECHAT
    assert refund_method([]) is PaymentMethod.CASH


# --- amnesty days ---

BOOK_DAY = AmnestyTerms(1, "4·23世界读书日特别还书日", date(2026, 4, 23), date(2026, 4, 23))
AT_BRANCH = AmnestyTerms(
    2, "辛兴镇特别还书周", date(2026, 4, 20), date(2026, 4, 26), covered_point_ids=frozenset({5, 6})
)


def test_an_amnesty_for_the_whole_network_covers_a_return_anywhere_on_its_day() -> None:
    assert BOOK_DAY.covers(returned_on=date(2026, 4, 23), point_id=99)


def test_an_amnesty_does_not_cover_the_day_before_or_after() -> None:
    assert not BOOK_DAY.covers(returned_on=date(2026, 4, 22), point_id=99)
    assert not BOOK_DAY.covers(returned_on=date(2026, 4, 24), point_id=99)


def test_an_amnesty_at_chosen_points_does_not_cover_a_return_elsewhere() -> None:
    assert AT_BRANCH.covers(returned_on=date(2026, 4, 21), point_id=6)
    assert not AT_BRANCH.covers(returned_on=date(2026, 4, 21), point_id=7)


def test_a_withdrawn_amnesty_covers_nothing() -> None:
    withdrawn = AmnestyTerms(3, "撤销", date(2026, 4, 23), date(2026, 4, 23), active=False)
    assert not withdrawn.covers(returned_on=date(2026, 4, 23), point_id=1)


def test_the_earliest_starting_of_overlapping_amnesties_is_the_one_recorded() -> None:
    found = matching_amnesty([BOOK_DAY, AT_BRANCH], returned_on=date(2026, 4, 23), point_id=5)
    assert found is AT_BRANCH
    assert matching_amnesty([AT_BRANCH], returned_on=date(2026, 4, 23), point_id=9) is None


def test_an_amnesty_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(AmnestyDatesReversed, match="早于开始日期"):
        check_amnesty_window("特别还书日", date(2026, 4, 23), date(2026, 4, 22))


def test_an_amnesty_needs_a_name() -> None:
    with pytest.raises(InvalidAmnestyWindow, match="请填写名称"):
        check_amnesty_window("  ", date(2026, 4, 23), date(2026, 4, 23))
    assert check_amnesty_window(" 读书日 ", date(2026, 4, 23), date(2026, 4, 23)) == "读书日"
