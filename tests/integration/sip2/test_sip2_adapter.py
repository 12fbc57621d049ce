"""The SIP2 adapter works through the desk's own services, at the kiosk's service point."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from kiosk_library import (
    ADULT,
    ADULT_PIN,
    CHILD,
    GBK_KIOSK,
    KIOSK,
    RETIRED,
    SENIOR,
    KioskLibrary,
)
from sqlalchemy import select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation import services as circulation
from wenjin.circulation.errors import ItemOnLoanToThisPatron, PatronBlocked
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.circulation.services import CheckinOutcome
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.fees.models import Fee
from wenjin.fees.services import charge_fee
from wenjin.fees.states import FeeKind, FeeStatus
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import network_date
from wenjin.protocols.sip2 import adapter
from wenjin.protocols.sip2.errors import (
    InvalidKioskLogin,
    KioskLoginRefused,
    KioskLoginTaken,
    NotThisReadersLoan,
    StaffBlockStays,
    UnknownEncoding,
    WrongPatronPin,
)
from wenjin.protocols.sip2.kiosks import (
    Kiosk,
    add_kiosk_account,
    authenticate_kiosk,
    list_kiosk_accounts,
)

Uow = Callable[..., UnitOfWork]


def _kiosk(uow: Uow, login: tuple[str, str] = KIOSK) -> Kiosk:
    with uow() as work:
        kiosk = authenticate_kiosk(work.session, login=login[0], password=login[1])
        work.commit()
    return kiosk


def test_a_kiosk_logs_in_with_its_password_and_stands_at_its_point(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    assert (kiosk.point_code, kiosk.encoding, kiosk.checksums) == ("ZC-24H", "utf-8", False)
    gbk = _kiosk(uow, GBK_KIOSK)
    assert (gbk.point_code, gbk.encoding, gbk.checksums) == ("ZC-CC", "gb18030", True)


@pytest.mark.parametrize(
    ("login", "password"),
    [(KIOSK[0], "wrong-password"), ("nobody", "whatever1"), RETIRED],
)
def test_a_wrong_password_an_unknown_login_or_a_disabled_kiosk_is_refused(
    uow: Uow, library: KioskLibrary, login: str, password: str
) -> None:
    with uow() as work, pytest.raises(KioskLoginRefused):
        authenticate_kiosk(work.session, login=login, password=password)


def test_kiosk_accounts_keep_only_a_hash_of_the_password(uow: Uow, library: KioskLibrary) -> None:
    with uow(readonly=True) as work:
        accounts = [(a.login, a.password_hash) for a in list_kiosk_accounts(work.session)]
    assert [login for login, _ in accounts] == ["cc-gbk", "kiosk24h", "retired"]
    assert all(hashed.startswith("$argon2id$") for _, hashed in accounts)
    assert KIOSK[1] not in {hashed for _, hashed in accounts}


def test_a_kiosk_account_needs_a_free_valid_login_and_a_known_encoding(
    uow: Uow, library: KioskLibrary
) -> None:
    with uow() as work:
        with pytest.raises(KioskLoginTaken):
            add_kiosk_account(work.session, login=KIOSK[0], password="another1", point_code="ZC")
        with pytest.raises(InvalidKioskLogin):
            add_kiosk_account(work.session, login="自助机", password="another1", point_code="ZC")
        with pytest.raises(UnknownEncoding):
            add_kiosk_account(
                work.session, login="big5", password="another1", point_code="ZC", encoding="big5"
            )


def test_a_kiosk_checkout_is_a_loan_at_its_point_logged_as_the_kiosk(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    with uow() as work:
        lent = adapter.checkout(
            work.session,
            kiosk,
            card_number=ADULT,
            barcode="ZC01000002",
            pin=ADULT_PIN,
            renew_if_already_lent=False,
        )
        work.commit()
    assert (lent.title, lent.renewal) == ("三体", False)
    with uow(readonly=True) as work:
        loan = work.session.scalars(select(Loan)).one()
        event = work.session.scalars(select(CirculationEvent)).one()
        assert loan.checkout_point_id == library.points["ZC-24H"]
        assert event.actor == "sip2:kiosk24h"


def test_a_wrong_pin_refuses_the_checkout_and_lends_nothing(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    with uow() as work, pytest.raises(WrongPatronPin):
        adapter.checkout(
            work.session,
            kiosk,
            card_number=ADULT,
            barcode="ZC01000002",
            pin="000000",
            renew_if_already_lent=False,
        )
    with uow(readonly=True) as work:
        assert work.session.scalars(select(Loan)).all() == []


def test_a_reader_blocked_by_staff_is_refused_at_the_kiosk_as_at_the_desk(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    with uow() as work, pytest.raises(PatronBlocked) as refused:
        adapter.checkout(
            work.session,
            kiosk,
            card_number=CHILD,
            barcode="ZC07000001",
            pin=None,
            renew_if_already_lent=False,
        )
    assert "损坏图书未赔偿" in refused.value.message_zh


def test_scanning_a_book_already_borrowed_renews_it_when_the_kiosk_allows(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    with uow() as work:
        circulation.checkout(
            work.session,
            at="ZC",
            card_number=ADULT,
            barcode="ZC01000003",
            now=utcnow() - timedelta(days=25),
        )
        work.commit()
    with uow() as work, pytest.raises(ItemOnLoanToThisPatron):
        adapter.checkout(
            work.session,
            kiosk,
            card_number=ADULT,
            barcode="ZC01000003",
            pin=None,
            renew_if_already_lent=False,
        )
    with uow() as work:
        lent = adapter.checkout(
            work.session,
            kiosk,
            card_number=ADULT,
            barcode="ZC01000003",
            pin=None,
            renew_if_already_lent=True,
        )
        work.commit()
    assert lent.renewal
    assert lent.due_on > network_date(utcnow())


def test_a_return_at_a_branch_kiosk_sends_the_item_home_in_transit(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk, branch = _kiosk(uow), _kiosk(uow, GBK_KIOSK)
    with uow() as work:
        adapter.checkout(
            work.session,
            kiosk,
            card_number=ADULT,
            barcode="ZC01000001",
            pin=None,
            renew_if_already_lent=False,
        )
        work.commit()
    with uow() as work:
        back = adapter.checkin(work.session, branch, barcode="ZC01000001")
        work.commit()
    assert back.result.outcome is CheckinOutcome.RETURNED
    assert back.result.destination_code == "ZC"
    assert (back.owner_code, back.borrower_card) == ("ZC", ADULT)
    with uow(readonly=True) as work:
        item = work.session.get(Item, library.items["ZC01000001"])
        assert item is not None
        assert item.status is ItemStatus.IN_TRANSIT


def test_a_kiosk_never_renews_another_readers_loan(uow: Uow, library: KioskLibrary) -> None:
    kiosk = _kiosk(uow)
    with uow() as work:
        adapter.checkout(
            work.session,
            kiosk,
            card_number=SENIOR,
            barcode="ZC01000004",
            pin=None,
            renew_if_already_lent=False,
        )
        work.commit()
    with uow() as work, pytest.raises(NotThisReadersLoan):
        adapter.renew(work.session, kiosk, card_number=ADULT, barcode="ZC01000004", pin=None)


def test_the_reader_account_lists_loans_fees_and_the_blocks_they_cause(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    with uow() as work:
        adapter.checkout(
            work.session,
            kiosk,
            card_number=ADULT,
            barcode="ZC01000005",
            pin=None,
            renew_if_already_lent=False,
        )
        patron = work.session.get(Patron, library.patrons[ADULT])
        assert patron is not None
        charge_fee(
            work.session,
            patron=patron,
            kind=FeeKind.DAMAGED,
            amount_fen=1550,
            point=library.points["ZC"],
        )
        work.commit()
    with uow() as work:
        account = adapter.reader_account(work.session, adapter.reader(work.session, ADULT))
        blocked = adapter.reader_account(work.session, adapter.reader(work.session, CHILD))
    assert [loan.barcode for loan in account.loans] == ["ZC01000005"]
    assert account.owed_fen == 1550
    assert [b.code.value for b in account.blocks] == ["fines"]  # over the ¥10 limit
    assert account.holds == adapter.HoldLists()  # no holds placed
    assert [b.code.value for b in blocked.blocks] == ["manual"]


def test_a_fee_paid_at_the_kiosk_settles_the_oldest_fee_with_a_receipt(
    uow: Uow, library: KioskLibrary
) -> None:
    kiosk = _kiosk(uow)
    with uow() as work:
        patron = work.session.get(Patron, library.patrons[ADULT])
        assert patron is not None
        charge_fee(
            work.session,
            patron=patron,
            kind=FeeKind.DAMAGED,
            amount_fen=1250,
            point=library.points["ZC"],
        )
        work.commit()
    with uow() as work:
        payment = adapter.pay(
            work.session, kiosk, card_number=ADULT, amount="12.50", payment_type="00", pin=None
        )
        work.commit()
    assert payment.amount_fen == 1250
    assert payment.receipt_number
    with uow(readonly=True) as work:
        fee = work.session.scalars(select(Fee)).one()
        assert fee.status is FeeStatus.PAID


def test_a_kiosk_lifts_only_a_block_a_kiosk_set(uow: Uow, library: KioskLibrary) -> None:
    kiosk = _kiosk(uow)
    with uow() as work:
        adapter.block(work.session, kiosk, card_number=SENIOR, message="读者证遗留在自助机")
        work.commit()
    with uow() as work:
        blocked = adapter.reader_account(work.session, adapter.reader(work.session, SENIOR))
        assert [b.code.value for b in blocked.blocks] == ["manual"]
        adapter.enable(work.session, kiosk, card_number=SENIOR, pin=None)
        work.commit()
    with uow() as work:
        assert (
            adapter.reader_account(work.session, adapter.reader(work.session, SENIOR)).blocks == []
        )
        with pytest.raises(StaffBlockStays):
            adapter.enable(work.session, kiosk, card_number=CHILD, pin=None)


@pytest.mark.parametrize(("amount", "fen"), [("12.50", 1250), ("3", 300), ("0.05", 5)])
def test_a_sip2_fee_amount_in_yuan_becomes_fen(amount: str, fen: int) -> None:
    assert adapter.fen_of(amount) == fen
