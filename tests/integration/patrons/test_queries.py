from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine

from wenjin.cli.common import to_jsonable
from wenjin.db.uow import UnitOfWork
from wenjin.patrons.errors import CardNotFound
from wenjin.patrons.queries import (
    card_number_in_use,
    duplicate_warnings,
    find_patrons,
    get_patron_by_card,
    get_patron_by_id_number,
    patron_summary,
)
from wenjin.patrons.rules import BlockCode, CreditStatus
from wenjin.patrons.services import (
    block_patron,
    record_credit_rating,
    register_patron,
    replace_card,
)

TODAY = date(2025, 9, 1)


@pytest.fixture
def readers(network: Engine, resident_id: Callable[..., str]) -> dict[str, str]:
    ids = {
        "王小明": resident_id("19850312", "123"),
        "王小红": resident_id("20150601", "024"),
        "李建国": resident_id("19550101", "051"),
    }
    with UnitOfWork(network) as uow:
        for card, name, category, phone in (
            ("ZC00010001", "王小明", "ADULT", "13853612345"),
            ("ZC00010002", "王小红", "CHILD", "13953687654"),
            ("ZC00010003", "李建国", "SENIOR", None),
        ):
            register_patron(
                uow.session,
                card_number=card,
                name=name,
                category=category,
                home_point="ZC-XD",
                id_number=ids[name],
                phone=phone,
                today=TODAY,
            )
        uow.commit()
    return ids


def names(engine: Engine, text: str) -> list[str]:
    with UnitOfWork(engine, readonly=True) as uow:
        return [p.name for p in find_patrons(uow.session, text)]


def test_a_reader_is_found_by_part_of_the_name(network: Engine, readers: dict[str, str]) -> None:
    assert names(network, "王小") == ["王小明", "王小红"]
    assert names(network, "建国") == ["李建国"]


def test_a_reader_is_found_by_card_phone_or_the_last_four_digits_of_the_phone(
    network: Engine, readers: dict[str, str]
) -> None:
    assert names(network, "zc00010003") == ["李建国"]
    assert names(network, "13953687654") == ["王小红"]
    assert names(network, "2345") == ["王小明"]


def test_a_reader_is_found_by_the_id_tail_or_the_whole_id_number(
    network: Engine, readers: dict[str, str]
) -> None:
    number = readers["李建国"]
    assert names(network, number[-4:]) == ["李建国"]
    assert names(network, number) == ["李建国"]
    with UnitOfWork(network, readonly=True) as uow:
        found = get_patron_by_id_number(uow.session, number.lower())
        assert found is not None
        assert found.name == "李建国"


def test_an_unknown_card_says_to_check_the_scan(network: Engine) -> None:
    with UnitOfWork(network, readonly=True) as uow, pytest.raises(CardNotFound, match="扫描"):
        get_patron_by_card(uow.session, "ZC99999999")


def test_the_same_name_and_phone_is_flagged_as_a_possible_duplicate(
    network: Engine, readers: dict[str, str]
) -> None:
    with UnitOfWork(network, readonly=True) as uow:
        [warning] = duplicate_warnings(uow.session, name="王小明", phone="13853612345")
        assert warning.card_number == "ZC00010001"
        assert duplicate_warnings(uow.session, name="王小明", phone="13800000000") == []


def test_card_numbers_of_every_status_count_as_in_use(
    network: Engine, readers: dict[str, str]
) -> None:
    with UnitOfWork(network) as uow:
        patron = get_patron_by_card(uow.session, "ZC00010001").patron
        replace_card(uow.session, patron=patron, new_card_number="ZC00020001")
        assert card_number_in_use(uow.session, "ZC00010001")
        assert card_number_in_use(uow.session, "ZC00020001")
        assert not card_number_in_use(uow.session, "ZC00030001")


def test_the_summary_shows_what_the_desk_needs_and_never_the_id_number(
    network: Engine, readers: dict[str, str]
) -> None:
    with UnitOfWork(network) as uow:
        patron = register_patron(
            uow.session,
            card_number="ZC00010009",
            name="赵信",
            category="CREDIT",
            home_point="ZC",
            phone="13853600001",
            today=TODAY,
        )
        record_credit_rating(
            uow.session,
            patron=patron,
            source="诸城市公共信用信息平台",
            verified_on=date(2025, 6, 1),
            expires_on=date(2026, 5, 31),
            today=TODAY,
        )
        block_patron(uow.session, patron=patron, reason="逾期图书丢失待赔偿", by="刘馆员")
        summary = patron_summary(patron, today=TODAY)
        assert summary.card_number == "ZC00010009"
        assert summary.phone_masked == "138****0001"
        assert summary.credit.status is CreditStatus.VALID
        assert summary.deposit.credit_waived
        assert summary.deposit.outstanding_fen == 0
        assert not summary.may_borrow
        [block] = summary.blocks
        assert block.code is BlockCode.MANUAL
        assert block.message_zh.endswith("暂停借阅：逾期图书丢失待赔偿")

        adult = get_patron_by_card(uow.session, "ZC00010001").patron
        dumped = json.dumps(to_jsonable(patron_summary(adult, today=TODAY)), ensure_ascii=False)
        assert readers["王小明"] not in dumped
        assert "3707**********" in dumped
        assert "13853612345" not in dumped
