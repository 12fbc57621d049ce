from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.catalog.models import BibRecord, Item, ItemType
from wenjin.catalog.states import MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.errors import PointNotFound
from wenjin.network.models import ServicePoint
from wenjin.patrons.errors import (
    AccountClosed,
    AccountHasObligations,
    CardNumberTaken,
    CategoryAgeMismatch,
    CreditNotApplicable,
    DepositAlreadyHeld,
    DepositNotRequired,
    DepositStillRequired,
    DuplicateIdNumber,
    InstitutionHasNoIdNumber,
    InvalidCardNumber,
    InvalidPatronField,
    NotBlocked,
    UnknownCategory,
    WrongPin,
)
from wenjin.patrons.models import Patron, PatronCard, PatronCategory
from wenjin.patrons.queries import get_patron_by_card, patron_block_reasons
from wenjin.patrons.rules import BlockCode
from wenjin.patrons.services import (
    DEFAULT_CATEGORIES,
    block_patron,
    change_category,
    change_pin,
    close_account,
    ensure_default_categories,
    pay_deposit,
    record_credit_rating,
    refund_deposit,
    register_patron,
    renew_membership,
    reopen_account,
    replace_card,
    report_card_lost,
    unblock_patron,
    update_patron,
    verify_pin,
    waive_deposit,
)
from wenjin.patrons.states import CardStatus, DepositMethod, Gender, PatronStatus

TODAY = date(2025, 9, 1)


def register(session: Session, **overrides: Any) -> Patron:
    fields: dict[str, Any] = {
        "card_number": "ZC00012345",
        "name": "王小明",
        "category": "ADULT",
        "home_point": "ZC-XD",
        "phone": "13853612345",
        "today": TODAY,
    }
    fields.update(overrides)
    return register_patron(session, **fields)


class NoObligations:
    def open_loans(self, session: Session, patron: Patron) -> int:
        return 0

    def unpaid_fines_fen(self, session: Session, patron: Patron) -> int:
        return 0


class TwoLoans(NoObligations):
    def open_loans(self, session: Session, patron: Patron) -> int:
        return 2


def test_registering_keeps_the_id_number_only_as_a_hash_and_a_mask(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    number = resident_id("19850312", "123")
    with UnitOfWork(network) as uow:
        patron = register(uow.session, id_number=number)
        uow.commit()
        patron_id = patron.id
    with network.connect() as conn:
        row = conn.execute(text("select * from patrons where id = :id"), {"id": patron_id}).one()
    stored = " ".join(str(v) for v in row)
    assert number not in stored
    assert number[:17] not in stored
    with UnitOfWork(network, readonly=True) as uow:
        found = get_patron_by_card(uow.session, "zc00012345")
        assert found.patron.id_masked == "3707**********" + number[-4:]
        assert found.patron.birth_date == date(1985, 3, 12)
        assert found.patron.gender is Gender.MALE
        assert found.patron.expires_on == date(2030, 9, 1)  # ADULT: five years
        assert found.card.status is CardStatus.ACTIVE


def test_a_second_registration_with_the_same_id_number_names_the_existing_card(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    number = resident_id("19850312")
    with UnitOfWork(network) as uow:
        register(uow.session, id_number=number)
        uow.commit()
    with UnitOfWork(network) as uow, pytest.raises(DuplicateIdNumber) as caught:
        register(uow.session, card_number="ZC00099999", name="王晓明", id_number=number.lower())
    assert "ZC00012345" in caught.value.message_zh
    assert "挂失补卡" in caught.value.message_zh
    assert number not in str(caught.value)


def test_a_card_number_must_not_be_an_item_barcode(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        point = uow.session.scalars(select(ServicePoint).where(ServicePoint.code == "ZC")).one()
        bib = BibRecord(
            source="test",
            fingerprint="f" * 40,
            flavour=MarcFlavour.CNMARC,
            marc="{}",
            title="平凡的世界",
        )
        kind = ItemType(code="BOOK", name="普通图书")
        uow.session.add(
            Item(
                barcode="ZC01234567",
                bib=bib,
                owning_point=point,
                current_point=point,
                item_type=kind,
            )
        )
        uow.session.flush()
        with pytest.raises(CardNumberTaken, match="册条码"):
            register(uow.session, card_number="ZC01234567")


@pytest.mark.parametrize("number", ["12", "ZC 0001 2345", "读者证001", "-ZC0001"])
def test_a_card_number_a_scanner_could_not_print_is_refused(network: Engine, number: str) -> None:
    with UnitOfWork(network) as uow, pytest.raises(InvalidCardNumber):
        register(uow.session, card_number=number)


def test_an_unknown_category_lists_the_known_ones(network: Engine) -> None:
    with UnitOfWork(network) as uow, pytest.raises(UnknownCategory) as caught:
        register(uow.session, category="VIP")
    assert "ADULT" in caught.value.message_zh
    assert "FIREFIGHTER" in caught.value.message_zh


def test_a_category_is_found_by_its_chinese_name_too(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        assert register(uow.session, category="医护人员").category.code == "MEDICAL"
        assert register(uow.session, card_number="ZC00012346", category="消防").category.code == (
            "FIREFIGHTER"
        )


def test_an_unknown_or_closed_home_point_is_refused(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        with pytest.raises(PointNotFound):
            register(uow.session, home_point="ZC-NOPE")
        with pytest.raises(InvalidPatronField, match="已停用"):
            register(uow.session, home_point="ZC-OLD")


def test_a_bad_phone_number_says_what_a_good_one_looks_like(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        with pytest.raises(InvalidPatronField, match="11位手机号"):
            register(uow.session, phone="1385361234")
        assert register(uow.session, phone="+86 138-5361-2345").phone == "13853612345"
        assert register(uow.session, card_number="ZC00012346", phone="0536-6012345").phone == (
            "0536-6012345"
        )


def test_a_grown_up_cannot_be_registered_as_a_child(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    with UnitOfWork(network) as uow, pytest.raises(CategoryAgeMismatch, match="少儿读者"):
        register(uow.session, category="CHILD", id_number=resident_id("19850312"))


def test_a_school_class_registers_as_an_institution_without_a_personal_id(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    with UnitOfWork(network) as uow:
        patron = register(
            uow.session, name="实验中学初二(3)班", category="INSTITUTION", home_point="ZC-S01"
        )
        assert patron.expires_on == date(2026, 9, 1)
        assert patron_block_reasons(patron, today=TODAY) == []
        with pytest.raises(InstitutionHasNoIdNumber):
            register(
                uow.session,
                card_number="ZC00012399",
                category="INSTITUTION",
                id_number=resident_id("19850312"),
            )


def test_the_database_allows_only_one_active_card_per_patron(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        uow.session.add(
            PatronCard(
                patron_id=patron.id,
                number="ZC00099999",
                status=CardStatus.ACTIVE,
                issued_at=patron.cards[0].issued_at,
            )
        )
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_replacing_a_lost_card_blocks_it_and_keeps_the_reader_whole(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        pay_deposit(uow.session, patron=patron, method=DepositMethod.WECHAT)
        block_patron(uow.session, patron=patron, reason="损坏图书未赔偿")
        replace_card(uow.session, patron=patron, new_card_number="ZC00067890")
        uow.commit()
    with UnitOfWork(network, readonly=True) as uow:
        old = get_patron_by_card(uow.session, "ZC00012345")
        new = get_patron_by_card(uow.session, "ZC00067890")
        assert old.patron.id == new.patron.id
        assert old.card.status is CardStatus.LOST
        assert not old.card_usable
        assert new.card_usable
        assert new.patron.deposit_held_fen == 10000
        assert len(new.patron.active_blocks) == 1
        reasons = patron_block_reasons(old.patron, card=old.card, today=TODAY)
        assert [r.code for r in reasons] == [BlockCode.CARD_LOST, BlockCode.MANUAL]
        assert "尾号7890" in reasons[0].message_zh


def test_a_lost_card_number_can_never_be_issued_again(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        replace_card(uow.session, patron=patron, new_card_number="ZC00067890")
        with pytest.raises(CardNumberTaken, match="已挂失"):
            register(uow.session, card_number="ZC00012345", name="李华")


def test_reporting_a_card_lost_blocks_it_until_a_new_one_is_issued(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="MEDICAL")
        report_card_lost(uow.session, patron=patron)
        assert [r.code for r in patron_block_reasons(patron, today=TODAY)] == [
            BlockCode.NO_ACTIVE_CARD
        ]
        replace_card(uow.session, patron=patron, new_card_number="ZC00067890")
        assert patron_block_reasons(patron, today=TODAY) == []
        assert [c.status for c in patron.cards] == [CardStatus.LOST, CardStatus.ACTIVE]


def test_a_damaged_card_is_marked_replaced_not_lost(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        replace_card(uow.session, patron=patron, new_card_number="ZC00067890", reason="damaged")
        assert patron.cards[0].status is CardStatus.REPLACED


def test_a_manual_block_is_lifted_with_a_reason_and_cannot_be_lifted_twice(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="SENIOR")
        block_patron(uow.session, patron=patron, reason="证件待核实", by="张馆员")
        [reason] = patron_block_reasons(patron, today=TODAY)
        assert "证件待核实" in reason.message_zh
        [lifted] = unblock_patron(uow.session, patron=patron, reason="已核实", by="张馆员")
        assert lifted.lifted_reason == "已核实"
        assert patron_block_reasons(patron, today=TODAY) == []
        with pytest.raises(NotBlocked):
            unblock_patron(uow.session, patron=patron)


def test_renewing_an_expired_card_lifts_the_expiry_block(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="MEDICAL", today=date(2020, 5, 1))
        assert patron.expires_on == date(2023, 5, 1)
        assert [r.code for r in patron_block_reasons(patron, today=TODAY)] == [BlockCode.EXPIRED]
        assert renew_membership(uow.session, patron=patron, today=TODAY) == date(2028, 9, 1)
        assert patron_block_reasons(patron, today=TODAY) == []


def test_a_child_who_has_grown_up_must_change_category_before_renewing(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    with UnitOfWork(network) as uow:
        patron = register(
            uow.session, category="CHILD", id_number=resident_id("20100315"), today=date(2022, 9, 1)
        )
        with pytest.raises(CategoryAgeMismatch):
            renew_membership(uow.session, patron=patron, today=TODAY)
        change_category(uow.session, patron=patron, category="STUDENT", today=TODAY)
        renew_membership(uow.session, patron=patron, today=TODAY)
        assert patron.category.code == "STUDENT"


def test_a_deposit_is_taken_once_and_refunded_when_the_account_closes(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        assert [r.code for r in patron_block_reasons(patron, today=TODAY)] == [
            BlockCode.DEPOSIT_UNPAID
        ]
        paid = pay_deposit(uow.session, patron=patron, method="cash", today=TODAY)
        assert paid.amount_fen == 10000
        with pytest.raises(DepositAlreadyHeld):
            pay_deposit(uow.session, patron=patron, method="cash", today=TODAY)
        with pytest.raises(DepositStillRequired):
            refund_deposit(uow.session, patron=patron, today=TODAY)
        with pytest.raises(AccountHasObligations, match="2册图书未还"):
            close_account(uow.session, patron=patron, obligations=TwoLoans())
        refunded = close_account(uow.session, patron=patron, obligations=NoObligations())
        assert refunded == 10000
        assert patron.status is PatronStatus.CLOSED
        assert patron.cards[0].status is CardStatus.CANCELLED
        assert patron.deposit_held_fen == 0
        with pytest.raises(AccountClosed):
            renew_membership(uow.session, patron=patron, today=TODAY)
        assert [
            r.code for r in patron_block_reasons(patron, card=patron.cards[0], today=TODAY)
        ] == [BlockCode.ACCOUNT_CLOSED]


def test_medical_staff_and_firefighters_pay_no_deposit(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        for number, code in (("ZC00012345", "MEDICAL"), ("ZC00012346", "FIREFIGHTER")):
            patron = register(uow.session, card_number=number, category=code)
            assert patron.category.preferential
            with pytest.raises(DepositNotRequired):
                pay_deposit(uow.session, patron=patron, method="cash", today=TODAY)
            assert patron_block_reasons(patron, today=TODAY) == []


def test_a_move_to_a_dearer_category_asks_only_for_the_difference(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="STUDENT")
        pay_deposit(uow.session, patron=patron, method="alipay", today=TODAY)
        change_category(uow.session, patron=patron, category="ADULT", today=TODAY)
        top_up = pay_deposit(uow.session, patron=patron, method="cash", today=TODAY)
        assert top_up.amount_fen == 5000
        assert patron.deposit_held_fen == 10000


def test_a_school_guarantee_waives_the_deposit_until_the_account_closes(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="STUDENT", home_point="ZC-S01")
        waive_deposit(uow.session, patron=patron, reason="实验中学统一担保", today=TODAY)
        assert patron_block_reasons(patron, today=TODAY) == []
        with pytest.raises(DepositNotRequired, match="实验中学统一担保"):
            pay_deposit(uow.session, patron=patron, method="cash", today=TODAY)
        assert close_account(uow.session, patron=patron, obligations=NoObligations()) == 0
        assert patron.deposit_waiver is None


def test_a_credit_rating_waives_the_deposit_until_it_lapses(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="CREDIT")
        record_credit_rating(
            uow.session,
            patron=patron,
            source="诸城市公共信用信息平台",
            verified_on=date(2025, 3, 1),
            expires_on=date(2026, 2, 28),
            today=TODAY,
        )
        assert patron_block_reasons(patron, today=TODAY) == []
        [reason] = patron_block_reasons(patron, today=date(2026, 3, 1))
        assert reason.code is BlockCode.CREDIT_LAPSED
        assert "2026-02-28到期" in reason.message_zh


def test_a_reader_with_a_deposit_gets_it_back_once_a_credit_rating_covers_it(
    network: Engine,
) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="CREDIT")
        pay_deposit(uow.session, patron=patron, method="wechat", today=TODAY)
        record_credit_rating(
            uow.session,
            patron=patron,
            source="信用中国（山东诸城）",
            verified_on=TODAY,
            expires_on=date(2026, 8, 31),
            today=TODAY,
        )
        assert refund_deposit(uow.session, patron=patron, today=TODAY) == 10000
        assert patron.deposits[0].refund_method is DepositMethod.WECHAT


def test_a_credit_rating_only_applies_to_credit_based_readers(network: Engine) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        with pytest.raises(CreditNotApplicable, match="CREDIT"):
            record_credit_rating(
                uow.session,
                patron=patron,
                source="诸城市公共信用信息平台",
                verified_on=TODAY,
                expires_on=date(2026, 8, 31),
                today=TODAY,
            )


def test_a_closed_account_is_reopened_with_a_new_card_not_registered_twice(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    number = resident_id("19850312")
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="SENIOR", id_number=resident_id("19500101"))
        other = register(uow.session, card_number="ZC00012346", id_number=number)
        pay_deposit(uow.session, patron=other, method="cash", today=TODAY)
        close_account(uow.session, patron=other, obligations=NoObligations())
        with pytest.raises(DuplicateIdNumber, match="已注销"):
            register(uow.session, card_number="ZC00012347", id_number=number)
        card = reopen_account(uow.session, patron=other, new_card_number="ZC00012347", today=TODAY)
        assert card.status is CardStatus.ACTIVE
        assert other.status is PatronStatus.ACTIVE
        assert other.expires_on == date(2030, 9, 1)
        assert patron.status is PatronStatus.ACTIVE


def test_a_pin_is_checked_against_its_hash_and_changed_only_with_the_old_one(
    network: Engine,
) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session, category="MEDICAL", pin="270415")
        assert patron.pin_hash is not None
        assert "270415" not in patron.pin_hash
        assert verify_pin(patron, "270415")
        assert not verify_pin(patron, "000000")
        with pytest.raises(WrongPin):
            change_pin(uow.session, patron=patron, new_pin="135790", current_pin="000000")
        change_pin(uow.session, patron=patron, new_pin="135790", current_pin="270415")
        assert verify_pin(patron, "135790")


def test_an_id_number_can_be_added_later_but_never_swapped(
    network: Engine, resident_id: Callable[..., str]
) -> None:
    with UnitOfWork(network) as uow:
        patron = register(uow.session)
        first = resident_id("19850312")
        assert update_patron(uow.session, patron=patron, id_number=first, today=TODAY)
        assert not update_patron(uow.session, patron=patron, id_number=first, today=TODAY)
        with pytest.raises(InvalidPatronField, match="一个账户只属于一个人"):
            update_patron(
                uow.session, patron=patron, id_number=resident_id("19900101"), today=TODAY
            )


def test_default_categories_are_created_once_and_a_librarians_edit_survives(
    network: Engine,
) -> None:
    with UnitOfWork(network) as uow:
        adult = uow.session.scalars(
            select(PatronCategory).where(PatronCategory.code == "ADULT")
        ).one()
        adult.deposit_fen = 5000
        categories = ensure_default_categories(uow.session)
        assert [c.code for c in categories] == [d.code for d in DEFAULT_CATEGORIES]
        assert adult.deposit_fen == 5000
        flags = {c.code: (c.preferential, c.credit_based, c.institutional) for c in categories}
        assert flags["MEDICAL"] == (True, False, False)
        assert flags["CREDIT"] == (False, True, False)
        assert flags["INSTITUTION"] == (False, False, True)
        assert {c.code: c.deposit_fen for c in categories}["SENIOR"] == 0
