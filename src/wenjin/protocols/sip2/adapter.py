"""The ILS adapter: what a kiosk may do, through the same service functions as the desk.

Each function takes the session of the caller's unit of work (one per SIP2
transaction) and the kiosk, and works at the kiosk's service point, so that a
return at a branch kiosk puts the item in transit home exactly as at that
branch's desk. Nothing here knows the SIP2 wire format: results are plain
dataclasses, refusals are the domain's own errors (with ``message_zh`` and
``message_en``), which :mod:`~wenjin.protocols.sip2.transactions` turns into
SIP2 fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, aliased

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation import services as circulation
from wenjin.circulation.errors import ItemOnLoanToThisPatron
from wenjin.circulation.lookups import desk_patron_by_card
from wenjin.circulation.models import Loan
from wenjin.circulation.queries import LoanLine, current_loan, loans_of_patron
from wenjin.circulation.states import LoanStatus
from wenjin.db.fastsql import Prepared
from wenjin.db.types import utcnow
from wenjin.fees import services as fees
from wenjin.fees.models import Payment
from wenjin.fees.queries import FeeLine, fee_lines
from wenjin.fees.states import PaymentMethod
from wenjin.holds import services as holds
from wenjin.holds.models import Hold
from wenjin.holds.queries import HoldLine, hold_line, hold_lines_where
from wenjin.holds.states import ACTIVE_HOLD_STATUSES, HoldStatus
from wenjin.network.models import ServicePoint
from wenjin.patrons import services as patrons
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import CardLookup, get_patron_by_card, network_date
from wenjin.patrons.queries import patron_block_reasons as block_reasons_of
from wenjin.patrons.rules import BlockCode, BlockReason
from wenjin.patrons.states import CardStatus
from wenjin.protocols.sip2.errors import (
    BadFeeAmount,
    HoldTargetMissing,
    NoSuchHold,
    NothingToEnable,
    NotThisReadersLoan,
    StaffBlockStays,
    UnknownHoldMode,
    UnknownPaymentType,
    WrongPatronPin,
)
from wenjin.protocols.sip2.kiosks import Kiosk

# SIP2 payment types (message 37) and the desk's payment methods.
PAYMENT_TYPES: dict[str, PaymentMethod] = {
    "00": PaymentMethod.CASH,
    "01": PaymentMethod.CARD,  # VISA
    "02": PaymentMethod.CARD,  # credit card
}


def actor(kiosk: Kiosk) -> str:
    """Who the circulation log and the fees log say did it: ``sip2:<login>``."""
    return f"sip2:{kiosk.login}"


# --- readers -------------------------------------------------------------------------


def reader(session: Session, card_number: str) -> CardLookup:
    """The reader holding ``card_number``; :class:`CardNotFound` if there is none."""
    return get_patron_by_card(session, card_number)


def check_pin(patron: Patron, pin: str | None) -> None:
    """Refuse a wrong PIN. ``None``: the kiosk sent none, or it was checked earlier this session."""
    if pin is not None and not patrons.verify_pin(patron, pin):
        raise WrongPatronPin()


def _check_card_pin(session: Session, card_number: str, pin: str | None) -> None:
    # Loading the whole reader costs more than the loan itself: only when there is a PIN.
    if pin is not None:
        check_pin(reader(session, card_number).patron, pin)


@dataclass(frozen=True)
class HoldLists:
    ready: list[str] = field(default_factory=list)  # barcodes waiting on a hold shelf
    waiting: list[str] = field(default_factory=list)  # titles not yet available


@dataclass(frozen=True)
class ReaderAccount:
    """A reader as a kiosk shows them: may they borrow, what they have, what they owe."""

    card_number: str
    name: str
    card_lost: bool
    blocks: list[BlockReason]
    loans: list[LoanLine]
    fees: list[FeeLine]
    holds: HoldLists
    owed_fen: int

    @property
    def overdue(self) -> list[LoanLine]:
        return [loan for loan in self.loans if loan.overdue]

    def blocked_for(self, *codes: BlockCode) -> bool:
        return any(reason.code in codes for reason in self.blocks)


def hold_lists(session: Session, patron_id: int) -> HoldLists:
    """The reader's holds ready for pickup (the copies on a hold shelf) and still waiting
    (their titles), for messages 63/64."""
    lines = hold_lines_where(session, [Hold.patron_id == patron_id, Hold.status.in_(_ACTIVE)])
    ready = [
        line.targeted_barcode or line.title for line in lines if line.status is HoldStatus.READY
    ]
    waiting = [line.title for line in lines if line.status is not HoldStatus.READY]
    return HoldLists(ready=ready, waiting=waiting)


_ACTIVE = list(ACTIVE_HOLD_STATUSES)


@dataclass(frozen=True)
class HoldAnswer:
    """What message 16 reports of a hold placed, changed or cancelled."""

    hold_id: int
    title: str | None
    barcode: str | None
    pickup_code: str
    queue_position: int
    available: bool  # a copy is already on the hold shelf for it
    expires_on: date | None


def _readers_hold(
    session: Session, patron_id: int, barcode: str | None, title_id: str | None
) -> HoldLine:
    """The reader's active hold on the item ``barcode`` (or its title), or on record ``title_id``."""
    where = [Hold.patron_id == patron_id, Hold.status.in_(_ACTIVE)]
    if barcode:
        item = session.scalars(select(Item).where(Item.barcode == barcode.strip())).one_or_none()
        if item is None:
            raise ItemNotFound(barcode.strip() or barcode)
        where.append(Hold.bib_id == item.bib_id)
    elif title_id and title_id.strip().isdigit():
        where.append(Hold.bib_id == int(title_id.strip()))
    else:
        raise HoldTargetMissing()
    lines = hold_lines_where(session, where)
    if not lines:
        raise NoSuchHold()
    return lines[0]


def _hold_answer(session: Session, hold_id: int) -> HoldAnswer:
    line = hold_line(session, hold_id)
    return HoldAnswer(
        hold_id=line.id,
        title=line.title,
        barcode=line.item_level_barcode or line.targeted_barcode,
        pickup_code=line.pickup_code,
        queue_position=line.queue_position,
        available=line.status is HoldStatus.READY,
        expires_on=line.expires_on,
    )


def place_or_change_hold(
    session: Session,
    kiosk: Kiosk,
    *,
    mode: str,
    card_number: str,
    pin: str | None,
    barcode: str | None,
    title_id: str | None,
    pickup: str | None,
) -> HoldAnswer:
    """Message 15: ``+`` places a hold (item-level with AB, title-level with AJ = record id),
    ``-`` cancels the reader's hold on that item or title, ``*`` moves its pickup point.
    The pickup point is BS, else the kiosk's own point."""
    _check_card_pin(session, card_number, pin)
    where = (pickup or "").strip() or kiosk.point_code
    if mode == "+":
        if barcode:
            placed = holds.place_hold(
                session,
                card_number=card_number,
                pickup=where,
                barcode=barcode,
                actor=actor(kiosk),
            )
        elif title_id and title_id.strip():
            placed = holds.place_hold(
                session,
                card_number=card_number,
                pickup=where,
                record=title_id.strip(),
                actor=actor(kiosk),
            )
        else:
            raise HoldTargetMissing()
        return _hold_answer(session, placed.hold_id)
    patron_id = reader(session, card_number).patron.id
    line = _readers_hold(session, patron_id, barcode, title_id)
    if mode == "-":
        holds.cancel_hold(session, hold_id=line.id, actor=actor(kiosk))
        return _hold_answer(session, line.id)
    if mode == "*":
        holds.change_pickup(session, hold_id=line.id, pickup=where, actor=actor(kiosk))
        return _hold_answer(session, line.id)
    raise UnknownHoldMode(mode)


def reader_account(
    session: Session, lookup: CardLookup, *, now: datetime | None = None
) -> ReaderAccount:
    today = network_date(now or utcnow())
    patron = lookup.patron
    loans = loans_of_patron(session, patron.id, today=today)
    open_fees = fee_lines(session, patron.id, open_only=True)
    owed = sum(line.balance_fen for line in open_fees)
    return ReaderAccount(
        card_number=lookup.card.number,
        name=patron.name,
        card_lost=lookup.card.status is CardStatus.LOST,
        blocks=block_reasons_of(
            patron,
            card=lookup.card,
            today=today,
            overdue_count=sum(1 for loan in loans if loan.overdue),
            fines_fen=owed,
        ),
        loans=loans,
        fees=open_fees,
        holds=hold_lists(session, patron.id),
        owed_fen=owed,
    )


# --- items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    barcode: str
    title: str
    status: ItemStatus
    owner_code: str
    current_code: str
    loan_status: LoanStatus | None
    due_on: date | None
    borrower_card: str | None
    properties: str | None


_OWNER = aliased(ServicePoint)
_CURRENT = aliased(ServicePoint)
_ITEM_FACTS = (
    select(Item, BibRecord.title, _OWNER.code, _CURRENT.code)
    .join(BibRecord, BibRecord.id == Item.bib_id)
    .join(_OWNER, _OWNER.id == Item.owning_point_id)
    .join(_CURRENT, _CURRENT.id == Item.current_point_id)
)


def item_facts(session: Session, barcode: str) -> ItemFacts:
    """What message 17 reports of an item; :class:`ItemNotFound` if there is no such barcode."""
    code = barcode.strip()
    row = session.execute(_ITEM_FACTS.where(Item.barcode == code)).one_or_none()
    if row is None:
        raise ItemNotFound(code or barcode)
    item, title, owner, current = row
    loan = current_loan(session, item.id)
    return ItemFacts(
        barcode=item.barcode,
        title=title or "",
        status=item.status,
        owner_code=owner,
        current_code=current,
        loan_status=loan.status if loan else None,
        due_on=loan.due_on if loan else None,
        borrower_card=loan.card_number if loan else None,
        properties=item.sip_properties,
    )


# --- circulation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Lent:
    barcode: str
    title: str
    due_on: date
    renewal: bool  # the reader had it already: the checkout became a renewal


def checkout(
    session: Session,
    kiosk: Kiosk,
    *,
    card_number: str,
    barcode: str,
    pin: str | None,
    renew_if_already_lent: bool,
) -> Lent:
    """借书 at the kiosk. A reader scanning a book they already have gets it renewed when the
    kiosk allows renewals (SC renewal policy Y), and the desk's refusal otherwise."""
    _check_card_pin(session, card_number, pin)
    try:
        result = circulation.checkout(
            session,
            at=kiosk.point_code,
            card_number=card_number,
            barcode=barcode,
            actor=actor(kiosk),
        )
    except ItemOnLoanToThisPatron:
        if not renew_if_already_lent:
            raise
        renewed = circulation.renew(
            session, at=kiosk.point_code, barcode=barcode, actor=actor(kiosk)
        )
        return Lent(renewed.barcode, renewed.title or "", renewed.due_on, renewal=True)
    return Lent(result.barcode, result.title or "", result.due_on, renewal=False)


@dataclass(frozen=True)
class Returned:
    result: circulation.CheckinResult
    owner_code: str
    borrower_card: str | None


# Read before the checkin changes anything (a Prepared statement does not autoflush).
_HOME_AND_BORROWER = Prepared(
    select(ServicePoint.code, Loan.card_number)
    .select_from(Item)
    .join(ServicePoint, ServicePoint.id == Item.owning_point_id)
    .outerjoin(Loan, and_(Loan.item_id == Item.id, Loan.returned_at.is_(None)))
    .where(Item.barcode == bindparam("barcode"))
)


def checkin(session: Session, kiosk: Kiosk, *, barcode: str) -> Returned:
    """还书 at the kiosk's point: the loan closes, the item stays or travels (调拨) home."""
    before = _HOME_AND_BORROWER.first(session, {"barcode": barcode.strip()})
    result = circulation.checkin(session, at=kiosk.point_code, barcode=barcode, actor=actor(kiosk))
    home, borrower = before if before is not None else ("", None)
    # A floating item now belongs where it was returned.
    return Returned(result, result.point_code if result.floated else home, borrower)


def _own_loan(session: Session, patron_id: int, barcode: str) -> None:
    item = session.scalars(select(Item).where(Item.barcode == barcode.strip())).one_or_none()
    if item is None:
        raise ItemNotFound(barcode.strip() or barcode)
    loan = current_loan(session, item.id)
    if loan is not None and loan.patron_id != patron_id:
        raise NotThisReadersLoan(item.barcode)


def renew(
    session: Session, kiosk: Kiosk, *, card_number: str, barcode: str, pin: str | None
) -> circulation.RenewResult:
    """续借 one of the reader's own loans (a kiosk never renews someone else's)."""
    _check_card_pin(session, card_number, pin)
    _own_loan(session, desk_patron_by_card(session, card_number).patron_id, barcode)
    return circulation.renew(session, at=kiosk.point_code, barcode=barcode, actor=actor(kiosk))


def renew_all(
    session: Session, kiosk: Kiosk, *, card_number: str, pin: str | None
) -> circulation.RenewAllResult:
    """一键续借: each loan judged on its own, the refused ones with their reasons."""
    _check_card_pin(session, card_number, pin)
    return circulation.renew_all(
        session, at=kiosk.point_code, card_number=card_number, actor=actor(kiosk)
    )


def store_item_properties(
    session: Session, kiosk: Kiosk, *, barcode: str, properties: str
) -> circulation.ItemPropertiesResult:
    """Item status update (19): the kiosk keeps its notes on a copy; nothing else changes."""
    return circulation.store_item_properties(
        session, at=kiosk.point_code, barcode=barcode, properties=properties, actor=actor(kiosk)
    )


# --- fees ----------------------------------------------------------------------------


def fen_of(amount: str) -> int:
    """``12.50`` (yuan, as SIP2 sends a fee amount) → 1250 fen."""
    try:
        value = Decimal(amount.strip())
    except InvalidOperation:
        raise BadFeeAmount(amount) from None
    fen = value * 100
    if not value.is_finite() or fen != fen.to_integral_value():
        raise BadFeeAmount(amount)
    return int(fen)


def pay(
    session: Session,
    kiosk: Kiosk,
    *,
    card_number: str,
    amount: str,
    payment_type: str,
    pin: str | None,
) -> Payment:
    """缴费 at the kiosk: the oldest open fees first, as at the desk; a receipt number back."""
    method = PAYMENT_TYPES.get(payment_type)
    if method is None:
        raise UnknownPaymentType(payment_type)
    patron = reader(session, card_number).patron
    check_pin(patron, pin)
    return fees.pay_fees(
        session,
        patron=patron,
        amount_fen=fen_of(amount),
        method=method,
        point=kiosk.point_id,
        actor=actor(kiosk),
    )


# --- blocks --------------------------------------------------------------------------


def block(session: Session, kiosk: Kiosk, *, card_number: str, message: str) -> CardLookup:
    """Message 01: the kiosk saw tampering, or kept a forgotten card; stop lending on it."""
    lookup = reader(session, card_number)
    reason = message.strip() or "自助机锁定 blocked by a self-check machine"
    patrons.block_patron(
        session, patron=lookup.patron, reason=f"{kiosk.point_name}自助机：{reason}", by=actor(kiosk)
    )
    return lookup


def enable(session: Session, kiosk: Kiosk, *, card_number: str, pin: str | None) -> CardLookup:
    """Message 25: lift a block a kiosk set. A block set by staff stays for the desk to lift."""
    lookup = reader(session, card_number)
    check_pin(lookup.patron, pin)
    blocks = lookup.patron.active_blocks
    if not blocks:
        raise NothingToEnable()
    if any(not (b.blocked_by or "").startswith("sip2:") for b in blocks):
        raise StaffBlockStays()
    patrons.unblock_patron(
        session, patron=lookup.patron, reason="自助机解锁 enabled at a kiosk", by=actor(kiosk)
    )
    return lookup
