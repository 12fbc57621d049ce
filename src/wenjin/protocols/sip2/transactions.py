"""One small function per SIP2 message: read the request, call the adapter, write the answer.

Every transaction is one :class:`~wenjin.db.uow.UnitOfWork`: it commits when the
adapter returns and rolls back when it refuses, so a refused (or interrupted)
transaction leaves nothing half done. A refusal becomes the message's own
answer with ok = 0 and the reason in the screen message (AF), in the kiosk's
language. These functions are synchronous database work: the server runs them
in a thread pool.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.services import CheckinOutcome
from wenjin.circulation.states import LoanStatus
from wenjin.config import get_settings
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.fees.errors import yuan
from wenjin.patrons.identity import pin_matches
from wenjin.patrons.queries import CardLookup
from wenjin.patrons.rules import BlockCode
from wenjin.protocols.sip2 import adapter
from wenjin.protocols.sip2.codec import Message, count, flag, sip_date, sip_datetime
from wenjin.protocols.sip2.errors import (
    KioskLoginRefused,
    MissingField,
    NotLoggedIn,
    WrongPatronPin,
)
from wenjin.protocols.sip2.kiosks import Kiosk, authenticate_kiosk

CHINESE = ("019", "027")  # SIP2 language codes: Chinese, Taiwanese
PROTOCOL_VERSION = "2.00"

# Message 98's supported-messages field, in the order SIP2 lists them: true to what works.
SUPPORTED: tuple[tuple[str, bool], ...] = (
    ("23 patron status", True),
    ("11 checkout", True),
    ("09 checkin", True),
    ("01 block patron", True),
    ("99 SC/ACS status", True),
    ("97 request resend", True),
    ("93 login", True),
    ("63 patron information", True),
    ("35 end patron session", True),
    ("37 fee paid", True),
    ("17 item information", True),
    ("19 item status update", True),
    ("25 patron enable", True),
    ("15 hold", True),
    ("29 renew", True),
    ("65 renew all", True),
)

# Item status → SIP2 circulation status (message 18).
CIRCULATION_STATUS: dict[ItemStatus, str] = {
    ItemStatus.PROCESSING: "06",  # in process
    ItemStatus.AVAILABLE: "03",  # available
    ItemStatus.ON_LOAN: "04",  # charged
    ItemStatus.IN_TRANSIT: "10",  # in transit between library locations
    ItemStatus.ON_HOLD_SHELF: "08",  # waiting on hold shelf
    ItemStatus.MISSING: "13",  # missing
    ItemStatus.LOST: "12",  # lost
    ItemStatus.DAMAGED: "01",  # other: out of circulation for repair
    ItemStatus.WITHDRAWN: "01",  # other
}
CLAIMED_RETURNED = "11"


@dataclass
class Session:
    """One kiosk connection: who logged in, its language, the PINs checked so far."""

    engine: Engine
    kiosk: Kiosk | None = None
    language: str = "019"
    tz: ZoneInfo = field(default_factory=lambda: get_settings().tz)
    # card → digest of the PIN checked in this session: a kiosk sends the PIN with
    # every message, and Argon2 is meant to be slow; once per session is enough.
    checked_pins: dict[str, str] = field(default_factory=dict)
    wrong_pins: dict[str, str] = field(default_factory=dict)  # checked ahead, found wrong

    @property
    def lang(self) -> str:
        return "zh" if self.language in CHINESE else "en"

    @property
    def encoding(self) -> str:
        return self.kiosk.encoding if self.kiosk else "utf-8"

    def now(self) -> str:
        return sip_datetime(utcnow(), self.tz)

    def say(self, error: WenjinError) -> str:
        return error.message(self.lang)

    def text(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def require_kiosk(self) -> Kiosk:
        if self.kiosk is None:
            raise NotLoggedIn()
        return self.kiosk

    def pin_to_check(self, request: Message) -> str | None:
        """The PIN (AD) still to verify: None when there is none or it was checked already."""
        pin = request.get("AD")
        if not pin:
            return None
        card, digest = request.get("AA").strip().upper(), _digest(pin)
        if self.checked_pins.get(card) == digest:
            return None
        if self.wrong_pins.get(card) == digest:
            del self.wrong_pins[card]
            raise WrongPatronPin()
        return pin

    def pin_checked(self, card: str, pin: str | None) -> None:
        if pin:
            self.checked_pins[card.strip().upper()] = _digest(pin)

    def pin_wrong(self, card: str, pin: str) -> None:
        self.wrong_pins[card.strip().upper()] = _digest(pin)

    def set_language(self, code: str) -> None:
        if code.isdigit() and len(code) == 3:
            self.language = code


def _digest(pin: str) -> str:
    return hashlib.sha256(pin.encode("utf-8")).hexdigest()


def _required(request: Message, field_id: str, what_zh: str, what_en: str) -> str:
    value = request.get(field_id).strip()
    if not value:
        raise MissingField(field_id, what_zh, what_en)
    return value


def _card(request: Message) -> str:
    return _required(request, "AA", "读者证号", "patron identifier")


def _barcode(request: Message) -> str:
    return _required(request, "AB", "图书条码", "item identifier")


# --- 93 login, 99 status, 35 end session ----------------------------------------------


def login(s: Session, request: Message) -> Message:
    try:
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            s.kiosk = authenticate_kiosk(
                uow.session, login=request.get("CN"), password=request.get("CO")
            )
            uow.commit()
    except KioskLoginRefused:
        s.kiosk = None
        return Message("94", {"ok": "0"})
    return Message("94", {"ok": "1"})


def sc_status(s: Session, request: Message) -> Message:
    online = s.kiosk is not None
    answer = Message(
        "98",
        {
            "online_status": flag(online),
            "checkin_ok": flag(online),
            "checkout_ok": flag(online),
            "acs_renewal_policy": flag(online),
            "status_update_ok": "N",
            "offline_ok": "N",
            "timeout_period": "030",
            "retries_allowed": "003",
            "date_time_sync": s.now(),
            "protocol_version": PROTOCOL_VERSION,
        },
    )
    answer.add("AO", request.get("AO") or (s.kiosk.point_code if s.kiosk else ""))
    if s.kiosk:
        answer.add("AM", s.kiosk.point_name)
    answer.add("BX", "".join(flag(works) for _, works in SUPPORTED))
    if s.kiosk:
        answer.add("AN", s.kiosk.login)
    else:
        answer.add("AF", s.say(NotLoggedIn()))
    return answer


def end_session(s: Session, request: Message) -> Message:
    s.checked_pins.pop(request.get("AA").strip().upper(), None)
    answer = Message("36", {"end_session": "Y", "transaction_date": s.now()})
    return answer.add("AO", request.get("AO")).add("AA", request.get("AA"))


# --- 23 patron status, 63 patron information, 01 block, 25 enable ----------------------


def _patron_status(account: adapter.ReaderAccount | None) -> str:
    """The 14 flags of a patron status, Y where a privilege is denied."""
    if account is None:
        return "Y" * 4 + " " * 10
    blocked = bool(account.blocks)
    flags = [" "] * 14
    flags[0] = flags[1] = "Y" if blocked else " "  # charge, renewal privileges denied
    flags[4] = "Y" if account.card_lost else " "
    flags[6] = "Y" if account.blocked_for(BlockCode.OVERDUE) else " "
    flags[10] = "Y" if account.blocked_for(BlockCode.FINES) else " "
    return "".join(flags)


@dataclass(frozen=True)
class _Reader:
    account: adapter.ReaderAccount | None
    pin_ok: bool | None  # None: no PIN was sent
    refusal: WenjinError | None


def _look_up(s: Session, request: Message, *, action: Callable[..., CardLookup] | None) -> _Reader:
    """The reader of AA, their PIN checked (when sent), after ``action`` if one is given."""
    kiosk = s.require_kiosk()
    card = _card(request)
    pin_ok: bool | None = None
    try:
        pin = s.pin_to_check(request)
    except WrongPatronPin:
        pin, pin_ok = None, False
    with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
        lookup = adapter.reader(uow.session, card)
        if pin is not None:
            pin_ok = adapter.patrons.verify_pin(lookup.patron, pin)
        elif pin_ok is None and request.get("AD"):
            pin_ok = True  # checked earlier this session
        refusal: WenjinError | None = None
        if action is not None:
            try:
                with uow.session.begin_nested():
                    action(uow.session, kiosk, card_number=card)
            except WenjinError as error:
                refusal = error
        account = adapter.reader_account(uow.session, lookup)
        uow.commit()
    if pin_ok:
        s.pin_checked(card, pin)
    return _Reader(account, pin_ok, refusal)


def check_pin_ahead(s: Session, request: Message) -> None:
    """Verify the PIN (AD) of a request before its transaction, outside the write lock.

    Argon2 is slow by design; the server runs this in a pool of its own, so that a
    reader typing a PIN at one kiosk never holds up the loans at the others. The
    transaction then finds the PIN checked (or refuses it) without hashing again.
    """
    if s.kiosk is None:
        return
    pin, card = request.get("AD"), request.get("AA").strip()
    if not pin or not card or s.checked_pins.get(card.upper()) == _digest(pin):
        return
    try:
        with UnitOfWork(s.engine, readonly=True) as uow:
            patron = adapter.reader(uow.session, card).patron
            matches = pin_matches(patron.pin_hash, pin)
    except WenjinError:
        return  # no such card: the transaction says so
    if matches:
        s.pin_checked(card, pin)
    else:
        s.pin_wrong(card, pin)


def _reader_fields(s: Session, answer: Message, request: Message, found: _Reader) -> Message:
    account = found.account
    answer.add("AO", request.get("AO")).add("AA", request.get("AA"))
    answer.add("AE", account.name if account else "")
    answer.add("BL", flag(account is not None))
    if found.pin_ok is not None:
        answer.add("CQ", flag(found.pin_ok))
    if account is not None:
        answer.add("BH", "CNY").add("BV", f"{account.owed_fen / 100:.2f}")
    if found.refusal is not None:
        answer.add("AF", s.say(found.refusal))
    elif account is not None:
        answer.extend("AF", [s.text(b.message_zh, b.message_en) for b in account.blocks])
    return answer


def _reader_or_unknown(s: Session, request: Message, action: Callable[..., CardLookup] | None):
    try:
        return _look_up(s, request, action=action)
    except WenjinError as error:
        return _Reader(None, None, error)


def patron_status(s: Session, request: Message) -> Message:
    s.set_language(request.fixed["language"])
    found = _reader_or_unknown(s, request, None)
    answer = Message(
        "24",
        {
            "patron_status": _patron_status(found.account),
            "language": s.language,
            "transaction_date": s.now(),
        },
    )
    return _reader_fields(s, answer, request, found)


def block_patron(s: Session, request: Message) -> Message:
    message = request.get("AL")
    found = _reader_or_unknown(
        s,
        request,
        lambda session, kiosk, card_number: adapter.block(
            session, kiosk, card_number=card_number, message=message
        ),
    )
    answer = Message(
        "24",
        {
            "patron_status": _patron_status(found.account),
            "language": s.language,
            "transaction_date": s.now(),
        },
    )
    return _reader_fields(s, answer, request, found)


def patron_enable(s: Session, request: Message) -> Message:
    pin = s.pin_to_check(request)
    found = _reader_or_unknown(
        s,
        request,
        lambda session, kiosk, card_number: adapter.enable(
            session, kiosk, card_number=card_number, pin=pin
        ),
    )
    answer = Message(
        "26",
        {
            "patron_status": _patron_status(found.account),
            "language": s.language,
            "transaction_date": s.now(),
        },
    )
    return _reader_fields(s, answer, request, found)


def _window(request: Message, items: list[str]) -> list[str]:
    """The BP..BQ window (1-based, inclusive) of a detail list; all of it when not given."""
    try:
        first = max(int(request.get("BP") or 1), 1)
        last = int(request.get("BQ") or len(items))
    except ValueError:
        first, last = 1, len(items)
    return items[first - 1 : last]


def patron_information(s: Session, request: Message) -> Message:
    s.set_language(request.fixed["language"])
    found = _reader_or_unknown(s, request, None)
    account = found.account
    loans = account.loans if account else []
    overdue = account.overdue if account else []
    fees = account.fees if account else []
    holds = account.holds if account else adapter.HoldLists()
    answer = Message(
        "64",
        {
            "patron_status": _patron_status(account),
            "language": s.language,
            "transaction_date": s.now(),
            "hold_items_count": count(len(holds.ready)),
            "overdue_items_count": count(len(overdue)),
            "charged_items_count": count(len(loans)),
            "fine_items_count": count(len(fees)),
            "recall_items_count": count(0),  # no recalls in this library
            "unavailable_holds_count": count(len(holds.waiting)),
        },
    )
    _reader_fields(s, answer, request, found)
    summary = request.fixed["summary"]
    wanted = summary.find("Y")
    details: dict[int, tuple[str, list[str]]] = {
        0: ("AS", holds.ready),
        1: ("AT", [loan.barcode for loan in overdue]),
        2: ("AU", [loan.barcode for loan in loans]),
        3: ("AV", [f"{fee.fee_id} {yuan(fee.balance_fen)} {fee.kind_zh}" for fee in fees]),
        5: ("CD", holds.waiting),
    }
    if wanted in details:
        field_id, items = details[wanted]
        answer.extend(field_id, _window(request, items))
    return answer


# --- 11 checkout, 09 checkin, 17 item information, 29 renew, 65 renew all --------------


def checkout(s: Session, request: Message) -> Message:
    answer = Message(
        "12",
        {
            "ok": "0",
            "renewal_ok": "N",
            "magnetic_media": "N",
            "desensitize": "N",
            "transaction_date": s.now(),
        },
    )
    answer.add("AO", request.get("AO")).add("AA", request.get("AA")).add("AB", request.get("AB"))
    try:
        kiosk = s.require_kiosk()
        card, barcode = _card(request), _barcode(request)
        pin = s.pin_to_check(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            lent = adapter.checkout(
                uow.session,
                kiosk,
                card_number=card,
                barcode=barcode,
                pin=pin,
                renew_if_already_lent=request.fixed["sc_renewal_policy"] == "Y",
            )
            uow.commit()
    except WenjinError as error:
        return answer.add("AJ", "").add("AH", "").add("AF", s.say(error))
    s.pin_checked(card, pin)
    answer.fixed |= {"ok": "1", "renewal_ok": flag(lent.renewal), "desensitize": "Y"}
    answer.add("AJ", lent.title).add("AH", sip_date(lent.due_on))
    due = lent.due_on.isoformat()
    return answer.add(
        "AF",
        s.text(f"借阅成功，请于 {due} 前归还", f"Checked out; due back by {due}")
        if not lent.renewal
        else s.text(f"续借成功，请于 {due} 前归还", f"Renewed; due back by {due}"),
    )


_CHECKIN_OK = frozenset(CheckinOutcome) - {CheckinOutcome.NOTHING_TO_DO}


def checkin(s: Session, request: Message) -> Message:
    answer = Message(
        "10",
        {
            "ok": "0",
            "resensitize": "N",
            "magnetic_media": "N",
            "alert": "Y",
            "transaction_date": s.now(),
        },
    )
    answer.add("AO", request.get("AO")).add("AB", request.get("AB"))
    try:
        kiosk = s.require_kiosk()
        barcode = _barcode(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            back = adapter.checkin(uow.session, kiosk, barcode=barcode)
            uow.commit()
    except WenjinError as error:
        return answer.add("AQ", "").add("AF", s.say(error))
    result = back.result
    ok = result.outcome in _CHECKIN_OK
    travels = result.destination_code is not None
    for_hold = result.hold_id is not None
    alert = travels or for_hold or not ok or result.fine_fen > 0
    # A copy for a hold or for another point must not go back on the open shelf.
    answer.fixed |= {
        "ok": "1" if ok else "0",
        "resensitize": flag(ok and not for_hold and not travels),
        "alert": flag(alert),
    }
    answer.add("AQ", back.owner_code).add("AJ", result.title or "")
    if travels:
        # CL sort bin: the transit box of the destination; CT and CV (Evergreen's
        # destination and alert types: 02 hold for another branch, 04 send to other
        # branch) for kiosks that read them.
        answer.add("CL", result.destination_code).add("CT", result.destination_code)
        answer.add("CV", "02" if for_hold else "04")
    elif for_hold:
        answer.add("CL", "HOLD").add("CV", "01")  # 01: hold for this library: the hold shelf
    if back.borrower_card:
        answer.add("AA", back.borrower_card)
    return answer.add("AF", s.text(result.slip.zh, result.slip.en))


def item_information(s: Session, request: Message) -> Message:
    answer = Message(
        "18",
        {
            "circulation_status": "01",
            "security_marker": "00",
            "fee_type": "01",
            "transaction_date": s.now(),
        },
    )
    try:
        s.require_kiosk()
        barcode = _barcode(request)
        with UnitOfWork(s.engine, readonly=True) as uow:
            item = adapter.item_facts(uow.session, barcode)
    except WenjinError as error:
        return answer.add("AB", request.get("AB")).add("AJ", "").add("AF", s.say(error))
    status = CIRCULATION_STATUS[item.status]
    if item.loan_status is LoanStatus.CLAIMED_RETURNED:
        status = CLAIMED_RETURNED
    answer.fixed["circulation_status"] = status
    if item.due_on is not None:
        answer.add("AH", sip_date(item.due_on))
    answer.add("AB", item.barcode).add("AJ", item.title)
    answer.add("BG", item.owner_code).add("AQ", item.owner_code).add("AP", item.current_code)
    answer.add("CK", "001")
    if item.properties:
        answer.add("CH", item.properties)
    return answer.add("AF", s.text(item.status.label_zh, item.status.label_en))


def renew(s: Session, request: Message) -> Message:
    answer = Message(
        "30",
        {
            "ok": "0",
            "renewal_ok": "N",
            "magnetic_media": "N",
            "desensitize": "N",
            "transaction_date": s.now(),
        },
    )
    answer.add("AO", request.get("AO")).add("AA", request.get("AA")).add("AB", request.get("AB"))
    try:
        kiosk = s.require_kiosk()
        card, barcode = _card(request), _barcode(request)
        pin = s.pin_to_check(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            renewed = adapter.renew(uow.session, kiosk, card_number=card, barcode=barcode, pin=pin)
            uow.commit()
    except WenjinError as error:
        return answer.add("AJ", request.get("AJ")).add("AH", "").add("AF", s.say(error))
    s.pin_checked(card, pin)
    answer.fixed |= {"ok": "1", "renewal_ok": "Y", "desensitize": "Y"}
    due = renewed.due_on.isoformat()
    answer.add("AJ", renewed.title or "").add("AH", sip_date(renewed.due_on))
    return answer.add("AF", s.text(f"续借成功，请于 {due} 前归还", f"Renewed; due back by {due}"))


def renew_all(s: Session, request: Message) -> Message:
    answer = Message(
        "66",
        {"ok": "0", "renewed_count": count(0), "unrenewed_count": count(0)},
    )
    answer.fixed["transaction_date"] = s.now()
    answer.add("AO", request.get("AO"))
    try:
        kiosk = s.require_kiosk()
        card = _card(request)
        pin = s.pin_to_check(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            result = adapter.renew_all(uow.session, kiosk, card_number=card, pin=pin)
            uow.commit()
    except WenjinError as error:
        return answer.add("AF", s.say(error))
    s.pin_checked(card, pin)
    answer.fixed |= {
        "ok": "1",
        "renewed_count": count(len(result.renewed)),
        "unrenewed_count": count(len(result.refused)),
    }
    answer.extend("BM", [r.barcode for r in result.renewed])
    answer.extend("BN", [r.barcode for r in result.refused])
    answer.add(
        "AF",
        s.text(
            f"续借 {len(result.renewed)} 册，未能续借 {len(result.refused)} 册",
            f"{len(result.renewed)} renewed, {len(result.refused)} not renewed",
        ),
    )
    return answer.extend("AF", [f"{r.barcode}: {s.say(r.error)}" for r in result.refused])


# --- 37 fee paid, 15 hold, 19 item status update ----------------------------------------


def fee_paid(s: Session, request: Message) -> Message:
    answer = Message("38", {"payment_accepted": "N", "transaction_date": s.now()})
    answer.add("AO", request.get("AO")).add("AA", request.get("AA"))
    try:
        kiosk = s.require_kiosk()
        card = _card(request)
        amount = _required(request, "BV", "缴费金额", "fee amount")
        pin = s.pin_to_check(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            payment = adapter.pay(
                uow.session,
                kiosk,
                card_number=card,
                amount=amount,
                payment_type=request.fixed["payment_type"],
                pin=pin,
            )
            uow.commit()
    except WenjinError as error:
        return answer.add("BK", request.get("BK") or None).add("AF", s.say(error))
    s.pin_checked(card, pin)
    answer.fixed["payment_accepted"] = "Y"
    paid = yuan(payment.amount_fen)
    answer.add("BK", payment.receipt_number)
    return answer.add(
        "AF",
        s.text(
            f"已缴费 {paid}，收据号 {payment.receipt_number}",
            f"Paid {paid}; receipt {payment.receipt_number}",
        ),
    )


def hold(s: Session, request: Message) -> Message:
    """15 → 16: place (+), cancel (-) or move (*) a hold, through the desk's hold services."""
    answer = Message("16", {"ok": "0", "available": "N", "transaction_date": s.now()})
    try:
        kiosk = s.require_kiosk()
        card = _card(request)
        pin = s.pin_to_check(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            result = adapter.place_or_change_hold(
                uow.session,
                kiosk,
                mode=request.fixed["hold_mode"],
                card_number=card,
                pin=pin,
                barcode=request.get("AB") or None,
                title_id=request.get("AJ") or None,
                pickup=request.get("BS") or None,
            )
            uow.commit()
    except WenjinError as error:
        answer.add("AO", request.get("AO")).add("AA", request.get("AA"))
        answer.add("AB", request.get("AB") or None).add("AJ", request.get("AJ") or None)
        return answer.add("AF", s.say(error))
    s.pin_checked(card, pin)
    answer.fixed |= {"ok": "1", "available": flag(result.available)}
    if result.expires_on is not None:
        answer.add("BW", sip_date(result.expires_on))
    if result.queue_position:
        answer.add("BR", str(result.queue_position))
    answer.add("BS", result.pickup_code).add("AO", request.get("AO")).add("AA", card)
    answer.add("AB", result.barcode).add("AJ", result.title)
    where = f"{result.pickup_code}"
    return answer.add(
        "AF",
        s.text(
            f"预约成功，取书点 {where}"
            + (f"，排第 {result.queue_position} 位" if result.queue_position else ""),
            f"Hold recorded; pick up at {where}"
            + (f", number {result.queue_position} in the queue" if result.queue_position else ""),
        )
        if request.fixed["hold_mode"] != "-"
        else s.text("预约已取消", "Hold cancelled"),
    )


def item_status_update(s: Session, request: Message) -> Message:
    answer = Message("20", {"item_properties_ok": "0", "transaction_date": s.now()})
    try:
        kiosk = s.require_kiosk()
        barcode = _barcode(request)
        with UnitOfWork(s.engine, actor=_actor_of(s)) as uow:
            stored = adapter.store_item_properties(
                uow.session, kiosk, barcode=barcode, properties=request.get("CH") or ""
            )
            uow.commit()
    except WenjinError as error:
        return answer.add("AB", request.get("AB")).add("AF", s.say(error))
    answer.fixed["item_properties_ok"] = "1"
    answer.add("AB", stored.barcode).add("AJ", stored.title or "")
    if stored.properties:
        answer.add("CH", stored.properties)
    return answer.add("AF", s.text("图书属性已保存", "Item properties saved"))


HANDLERS: dict[str, Callable[[Session, Message], Message]] = {
    "93": login,
    "99": sc_status,
    "23": patron_status,
    "63": patron_information,
    "11": checkout,
    "09": checkin,
    "17": item_information,
    "29": renew,
    "65": renew_all,
    "35": end_session,
    "15": hold,
    "37": fee_paid,
    "19": item_status_update,
    "25": patron_enable,
    "01": block_patron,
}


def handle(s: Session, request: Message) -> Message:
    """The answer to one request (never raises a domain error: refusals are answers)."""
    return HANDLERS[request.code](s, request)


def _actor_of(s: Session) -> str | None:
    """``sip2:<login>`` for the audit trail, once the kiosk has signed in."""
    return adapter.actor(s.kiosk) if s.kiosk is not None else None
