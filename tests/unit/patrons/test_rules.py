from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest

from wenjin.patrons.errors import CategoryAgeMismatch
from wenjin.patrons.rules import (
    BlockCode,
    CreditStatus,
    ManualBlockFacts,
    PatronFacts,
    add_years,
    block_reasons,
    check_category_age,
    credit_status,
    deposit_outstanding_fen,
    deposit_required,
    renewed_expiry,
)
from wenjin.patrons.states import CardStatus, PatronStatus

TODAY = date(2025, 9, 1)


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_en: str
    deposit_fen: int
    expiry_years: int = 5
    credit_based: bool = False
    min_age: int | None = None
    max_age: int | None = None


ADULT = Category("ADULT", "成人读者", "Adult", 10000)
MEDICAL = Category("MEDICAL", "医护人员", "Medical staff", 0, 3)
CREDIT = Category("CREDIT", "信易阅读者", "Credit-based reader", 10000, credit_based=True)
CHILD = Category("CHILD", "少儿读者", "Child", 5000, 3, max_age=14)
SENIOR = Category("SENIOR", "老年读者", "Senior", 0, 5, min_age=60)


def reader(**changes: object) -> PatronFacts:
    facts = PatronFacts(
        name="王小明",
        status=PatronStatus.ACTIVE,
        expires_on=date(2026, 10, 1),
        category=ADULT,
        card_number="ZC00012345",
        card_status=CardStatus.ACTIVE,
        active_card_number="ZC00012345",
        deposit_held_fen=10000,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def codes(facts: PatronFacts, **kwargs: int) -> list[BlockCode]:
    return [r.code for r in block_reasons(facts, today=TODAY, **kwargs)]


def test_an_adult_with_a_paid_deposit_and_a_valid_card_may_borrow() -> None:
    assert block_reasons(reader(), today=TODAY) == []


def test_an_expired_card_says_when_and_what_to_do() -> None:
    [reason] = block_reasons(reader(expires_on=date(2025, 8, 31)), today=TODAY)
    assert reason.code is BlockCode.EXPIRED
    assert reason.message_zh == "读者证已于2025-08-31过期，请先办理续期"
    assert "renew" in reason.message_en


def test_a_card_is_valid_through_its_expiry_date() -> None:
    assert codes(reader(expires_on=TODAY)) == []


def test_a_lost_card_is_refused_and_points_to_the_new_card_by_its_last_digits() -> None:
    facts = reader(
        card_number="ZC00012345",
        card_status=CardStatus.LOST,
        card_ended_on=date(2025, 3, 1),
        active_card_number="ZC00067890",
    )
    [reason] = block_reasons(facts, today=TODAY)
    assert reason.code is BlockCode.CARD_LOST
    assert "2025-03-01挂失" in reason.message_zh
    assert "尾号7890" in reason.message_zh
    assert "ZC00067890" not in reason.message_zh  # whoever holds the lost card learns nothing


def test_a_reader_whose_only_card_is_lost_is_told_to_get_a_new_one() -> None:
    facts = reader(card_number=None, card_status=None, active_card_number=None)
    [reason] = block_reasons(facts, today=TODAY)
    assert reason.code is BlockCode.NO_ACTIVE_CARD
    assert "补卡" in reason.message_zh


def test_a_closed_account_gives_that_one_reason_only() -> None:
    facts = reader(
        status=PatronStatus.CLOSED,
        closed_on=date(2025, 6, 30),
        card_status=CardStatus.CANCELLED,
        expires_on=date(2020, 1, 1),
    )
    assert codes(facts) == [BlockCode.ACCOUNT_CLOSED]


def test_overdue_items_block_beyond_the_limit_circulation_passes() -> None:
    assert codes(reader(), overdue_count=1) == [BlockCode.OVERDUE]
    assert codes(reader(), overdue_count=2, max_overdue=2) == []
    [reason] = block_reasons(reader(), today=TODAY, overdue_count=3, max_overdue=2)
    assert "3册" in reason.message_zh
    assert "2册的上限" in reason.message_zh


def test_fines_block_only_above_the_threshold() -> None:
    assert codes(reader(), fines_fen=1000) == []
    [reason] = block_reasons(reader(), today=TODAY, fines_fen=1250)
    assert reason.code is BlockCode.FINES
    assert "¥12.50" in reason.message_zh
    assert "¥10.00" in reason.message_zh


def test_a_manual_block_reads_out_the_reason_the_librarian_wrote() -> None:
    facts = reader(manual_blocks=(ManualBlockFacts("损坏图书未赔偿", date(2025, 8, 20), "李老师"),))
    [reason] = block_reasons(facts, today=TODAY)
    assert reason.code is BlockCode.MANUAL
    assert reason.message_zh == "馆员于2025-08-20暂停借阅：损坏图书未赔偿"


def test_every_reason_that_applies_is_reported_at_once() -> None:
    facts = reader(
        expires_on=date(2025, 1, 1),
        deposit_held_fen=0,
        manual_blocks=(ManualBlockFacts("证件待核实", date(2025, 8, 1)),),
    )
    assert codes(facts, overdue_count=2, fines_fen=5000) == [
        BlockCode.EXPIRED,
        BlockCode.DEPOSIT_UNPAID,
        BlockCode.OVERDUE,
        BlockCode.FINES,
        BlockCode.MANUAL,
    ]


def test_an_unpaid_deposit_blocks_an_adult_but_medical_staff_pay_none() -> None:
    [reason] = block_reasons(reader(deposit_held_fen=0), today=TODAY)
    assert reason.code is BlockCode.DEPOSIT_UNPAID
    assert "¥100.00" in reason.message_zh
    assert codes(reader(category=MEDICAL, deposit_held_fen=0)) == []


def test_a_standing_waiver_stands_in_for_the_deposit() -> None:
    assert codes(reader(deposit_held_fen=0, deposit_waived=True)) == []


def rated(verified: date | None, expires: date | None) -> PatronFacts:
    return reader(
        category=CREDIT,
        deposit_held_fen=0,
        credit_source="诸城市公共信用信息平台" if verified else None,
        credit_verified_on=verified,
        credit_expires_on=expires,
    )


def test_a_credit_based_reader_pays_no_deposit_while_the_rating_is_valid() -> None:
    facts = rated(date(2025, 1, 10), date(2026, 1, 9))
    assert credit_status(facts, TODAY) is CreditStatus.VALID
    assert not deposit_required(CREDIT, facts, TODAY)
    assert codes(facts) == []


def test_the_credit_waiver_lapses_the_day_after_the_rating_expires() -> None:
    facts = rated(date(2024, 9, 1), date(2025, 8, 31))
    assert credit_status(facts, date(2025, 8, 31)) is CreditStatus.VALID
    assert credit_status(facts, TODAY) is CreditStatus.LAPSED
    assert deposit_required(CREDIT, facts, TODAY)
    [reason] = block_reasons(facts, today=TODAY)
    assert reason.code is BlockCode.CREDIT_LAPSED
    assert "2025-08-31到期" in reason.message_zh
    assert "诸城市公共信用信息平台" in reason.message_zh


def test_a_lapsed_credit_reader_who_pays_the_deposit_may_borrow() -> None:
    facts = replace(rated(date(2024, 9, 1), date(2025, 8, 31)), deposit_held_fen=10000)
    assert codes(facts) == []


def test_a_credit_based_reader_never_rated_is_asked_to_verify() -> None:
    facts = rated(None, None)
    assert credit_status(facts, TODAY) is CreditStatus.NONE
    [reason] = block_reasons(facts, today=TODAY)
    assert "尚未核验" in reason.message_zh


def test_after_a_move_to_a_dearer_category_only_the_difference_is_owed() -> None:
    facts = reader(category=ADULT, deposit_held_fen=5000)
    owed = deposit_outstanding_fen(ADULT, facts, TODAY, held_fen=5000, waived=False)
    assert owed == 5000


def test_a_fifteen_year_old_cannot_hold_a_child_card() -> None:
    check_category_age(CHILD, date(2011, 9, 1), TODAY)  # 14 today
    with pytest.raises(CategoryAgeMismatch, match="14周岁及以下"):
        check_category_age(CHILD, date(2010, 8, 31), TODAY)


def test_a_senior_card_needs_sixty_years() -> None:
    with pytest.raises(CategoryAgeMismatch, match="须年满60周岁"):
        check_category_age(SENIOR, date(1966, 1, 1), TODAY)
    check_category_age(SENIOR, date(1965, 9, 1), TODAY)
    check_category_age(SENIOR, None, TODAY)  # no ID number given: nothing to check


def test_renewing_early_extends_from_the_expiry_and_late_from_today() -> None:
    assert renewed_expiry(date(2025, 12, 31), TODAY, 1) == date(2026, 12, 31)
    assert renewed_expiry(date(2024, 5, 1), TODAY, 1) == date(2026, 9, 1)


def test_a_card_issued_on_29_february_expires_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
