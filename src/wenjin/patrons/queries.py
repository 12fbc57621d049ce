"""Read side of the patrons domain: find a reader by card, by name, phone or ID tail; summaries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from wenjin.catalog.models import Item
from wenjin.config import get_settings
from wenjin.patrons.errors import CardNotFound
from wenjin.patrons.identity import age_on, id_hash, normalise_id_number
from wenjin.patrons.models import Deposit, Patron, PatronCard, PatronCategory
from wenjin.patrons.rules import (
    DEFAULT_MAX_FINES_FEN,
    DEFAULT_MAX_OVERDUE,
    BlockReason,
    CreditStatus,
    ManualBlockFacts,
    PatronFacts,
    block_reasons,
    credit_status,
    deposit_outstanding_fen,
    deposit_required,
    is_expired,
)
from wenjin.patrons.states import CardStatus, PatronStatus

_PATRON_LOADS = (
    selectinload(Patron.cards),
    selectinload(Patron.blocks),
    selectinload(Patron.deposits),
    selectinload(Patron.category),
    selectinload(Patron.home_point),
)


def network_today() -> date:
    """Today in the network's time zone: due dates and expiry dates are local dates."""
    return datetime.now(get_settings().tz).date()


def network_date(moment: datetime) -> date:
    return moment.astimezone(get_settings().tz).date()


def normalise_card_number(raw: str) -> str:
    """The form card numbers are stored in: full-width folded, trimmed, letters upper-case."""
    return unicodedata.normalize("NFKC", raw).strip().upper()


@dataclass(frozen=True)
class CardLookup:
    """A patron found by a card number, with that card: it may be lost, replaced or cancelled,
    in which case circulation must refuse it (the block reasons say why)."""

    patron: Patron
    card: PatronCard

    @property
    def card_usable(self) -> bool:
        return self.card.status is CardStatus.ACTIVE


def get_patron_by_card(session: Session, card_number: str) -> CardLookup:
    """The patron holding (or having held) a card number; raises :class:`CardNotFound`."""
    number = normalise_card_number(card_number)
    card = session.scalars(
        select(PatronCard)
        .where(PatronCard.number == number)
        .options(selectinload(PatronCard.patron).options(*_PATRON_LOADS))
    ).one_or_none()
    if card is None:
        raise CardNotFound(number or card_number)
    return CardLookup(patron=card.patron, card=card)


def get_patron_by_id_number(session: Session, id_number: str) -> Patron | None:
    """Look a reader up by resident ID number, through its keyed hash."""
    return session.scalars(
        select(Patron)
        .where(Patron.id_hash == id_hash(normalise_id_number(id_number)))
        .options(*_PATRON_LOADS)
    ).one_or_none()


def card_number_in_use(session: Session, number: str) -> bool:
    """Whether a number is a patron card (in any status): an item barcode must not be one."""
    number = normalise_card_number(number)
    return session.scalar(select(PatronCard.id).where(PatronCard.number == number)) is not None


def barcode_is_item(session: Session, *numbers: str) -> bool:
    """Whether any of the given forms of a number (as typed, as stored) is an item barcode."""
    return (
        session.scalar(select(Item.id).where(Item.barcode.in_(set(numbers))).limit(1)) is not None
    )


_DIGITS = re.compile(r"\d+")
_ID_TAIL = re.compile(r"\d{3}[\dX]")


def find_patrons(session: Session, text: str, *, limit: int = 50) -> list[Patron]:
    """Patrons matching what a librarian typed: a card number, a name (or part of one),
    a phone number (or its last four digits), the last four characters of the ID
    number, or a whole ID number (looked up by its hash, never compared in clear)."""
    query = unicodedata.normalize("NFKC", text).strip()
    if not query:
        return []
    conditions = [
        Patron.id.in_(select(PatronCard.patron_id).where(PatronCard.number == query.upper())),
        Patron.name.contains(query, autoescape=True),
    ]
    compact = normalise_id_number(query)
    if len(compact) == 18 and compact.isascii():  # else not an ID number: nothing to hash
        conditions.append(Patron.id_hash == id_hash(compact))
    if _DIGITS.fullmatch(query) and len(query) >= 4:
        conditions.append(
            Patron.phone == query if len(query) == 11 else Patron.phone.endswith(query)
        )
    if _ID_TAIL.fullmatch(compact):
        conditions.append(Patron.id_masked.endswith(compact))
    return list(
        session.scalars(
            select(Patron)
            .where(or_(*conditions))
            .options(*_PATRON_LOADS)
            .order_by(Patron.name, Patron.id)
            .limit(limit)
        )
    )


def list_categories(session: Session, *, include_inactive: bool = False) -> list[PatronCategory]:
    stmt = select(PatronCategory).order_by(PatronCategory.sort_order, PatronCategory.code)
    if not include_inactive:
        stmt = stmt.where(PatronCategory.active.is_(True))
    return list(session.scalars(stmt))


def find_category(session: Session, text: str) -> PatronCategory | None:
    """A category by code (``ADULT``), Chinese name (``成人读者``) or English name, or by the
    start of its Chinese name when only one category starts so (``消防``, ``少儿``)."""
    wanted = unicodedata.normalize("NFKC", text).strip()
    if not wanted:
        return None
    categories = list_categories(session, include_inactive=True)
    for category in categories:
        if category.code.upper() == wanted.upper():
            return category
    for category in categories:
        if wanted == category.name or wanted.casefold() == category.name_en.casefold():
            return category
    starting = [c for c in categories if len(wanted) >= 2 and c.name.startswith(wanted)]
    return starting[0] if len(starting) == 1 else None


@dataclass(frozen=True)
class DuplicateWarning:
    """Someone already registered with the same name and phone: perhaps the same person."""

    patron_id: int
    card_number: str | None
    message_zh: str
    message_en: str


def duplicate_warnings(
    session: Session, *, name: str, phone: str | None, exclude_patron_id: int | None = None
) -> list[DuplicateWarning]:
    if not phone:
        return []
    stmt = (
        select(Patron)
        .where(Patron.name == name, Patron.phone == phone)
        .options(selectinload(Patron.cards))
    )
    if exclude_patron_id is not None:
        stmt = stmt.where(Patron.id != exclude_patron_id)
    warnings = []
    for other in session.scalars(stmt):
        card = other.active_card
        number = card.number if card else None
        shown = number or "（无在用卡）"
        warnings.append(
            DuplicateWarning(
                patron_id=other.id,
                card_number=number,
                message_zh=f"已有同名同手机号的读者（读者证 {shown}），请确认不是同一人重复办证",
                message_en=f"A reader with the same name and phone already holds card "
                f"{number or '(none active)'}; make sure this is not the same person twice",
            )
        )
    return warnings


def patron_facts(patron: Patron, *, card: PatronCard | None = None) -> PatronFacts:
    """The facts :func:`wenjin.patrons.rules.block_reasons` needs, read from a loaded patron."""
    active = patron.active_card
    waiver = patron.deposit_waiver
    return PatronFacts(
        name=patron.name,
        status=patron.status,
        expires_on=patron.expires_on,
        category=patron.category,
        credit_source=patron.credit_source,
        credit_verified_on=patron.credit_verified_on,
        credit_expires_on=patron.credit_expires_on,
        closed_on=network_date(patron.closed_at) if patron.closed_at else None,
        card_number=card.number if card else None,
        card_status=card.status if card else None,
        card_ended_on=network_date(card.ended_at) if card and card.ended_at else None,
        active_card_number=active.number if active else None,
        deposit_held_fen=patron.deposit_held_fen,
        deposit_waived=waiver is not None,
        manual_blocks=tuple(
            ManualBlockFacts(
                reason=b.reason, blocked_on=network_date(b.blocked_at), blocked_by=b.blocked_by
            )
            for b in patron.active_blocks
        ),
    )


def patron_block_reasons(
    patron: Patron,
    *,
    card: PatronCard | None = None,
    today: date | None = None,
    overdue_count: int = 0,
    fines_fen: int = 0,
    max_overdue: int = DEFAULT_MAX_OVERDUE,
    max_fines_fen: int = DEFAULT_MAX_FINES_FEN,
) -> list[BlockReason]:
    """Every reason the patron (presenting ``card``, if given) may not borrow today."""
    return block_reasons(
        patron_facts(patron, card=card),
        today=today or network_today(),
        overdue_count=overdue_count,
        fines_fen=fines_fen,
        max_overdue=max_overdue,
        max_fines_fen=max_fines_fen,
    )


def mask_phone(phone: str | None) -> str | None:
    """``138****5678``: enough for the reader to recognise, not enough to call."""
    if not phone:
        return None
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


@dataclass(frozen=True)
class CardSummary:
    number: str
    status: CardStatus
    status_zh: str
    issued_at: datetime
    ended_at: datetime | None
    end_reason: str | None


@dataclass(frozen=True)
class DepositSummary:
    required: bool
    category_deposit_fen: int
    held_fen: int
    outstanding_fen: int
    waived_reason: str | None
    credit_waived: bool
    payments: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class CreditSummary:
    status: CreditStatus
    source: str | None
    verified_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class PatronSummary:
    """What the desk sees about a reader. Never the ID number or PIN: the masked ID only."""

    patron_id: int
    name: str
    card_number: str | None
    card_status: CardStatus | None
    active_card: str | None
    id_masked: str | None
    gender: str | None
    age: int | None
    phone_masked: str | None
    category: dict[str, object]
    home: dict[str, str]
    status: PatronStatus
    expires_on: date
    expired: bool
    may_borrow: bool
    blocks: list[BlockReason]
    manual_blocks: list[dict[str, object]]
    deposit: DepositSummary
    credit: CreditSummary
    keep_history: bool
    pin_set: bool
    cards: list[CardSummary]
    notes: str | None


def patron_summary(
    patron: Patron, *, card: PatronCard | None = None, today: date | None = None
) -> PatronSummary:
    """A reader at a glance, as ``wenjin patron show`` and the staff client present it."""
    today = today or network_today()
    category = patron.category
    reasons = patron_block_reasons(patron, card=card, today=today)
    presented = card or patron.active_card
    active = patron.active_card
    waiver = patron.deposit_waiver
    required = deposit_required(category, patron, today)
    credit = credit_status(patron, today)
    deposits: list[Deposit] = list(patron.deposits)
    return PatronSummary(
        patron_id=patron.id,
        name=patron.name,
        card_number=presented.number if presented else None,
        card_status=presented.status if presented else None,
        active_card=active.number if active else None,
        id_masked=patron.id_masked,
        gender=patron.gender.value if patron.gender else None,
        age=age_on(patron.birth_date, today) if patron.birth_date else None,
        phone_masked=mask_phone(patron.phone),
        category={
            "code": category.code,
            "name": category.name,
            "name_en": category.name_en,
            "preferential": category.preferential,
            "credit_based": category.credit_based,
            "institutional": category.institutional,
            "staff": category.staff,
        },
        home={"code": patron.home_point.code, "name": patron.home_point.name},
        status=patron.status,
        expires_on=patron.expires_on,
        expired=is_expired(patron.expires_on, today),
        may_borrow=not reasons,
        blocks=reasons,
        manual_blocks=[
            {"id": b.id, "reason": b.reason, "by": b.blocked_by, "at": b.blocked_at}
            for b in patron.active_blocks
        ],
        deposit=DepositSummary(
            required=required,
            category_deposit_fen=category.deposit_fen,
            held_fen=patron.deposit_held_fen,
            outstanding_fen=deposit_outstanding_fen(
                category,
                patron,
                today,
                held_fen=patron.deposit_held_fen,
                waived=waiver is not None,
            ),
            waived_reason=waiver.waived_reason if waiver else None,
            credit_waived=category.credit_based
            and category.deposit_fen > 0
            and credit is CreditStatus.VALID,
            payments=[
                {
                    "amount_fen": d.amount_fen,
                    "method": d.method.value if d.method else None,
                    "paid_at": d.paid_at,
                    "refunded_at": d.refunded_at,
                    "waived_reason": d.waived_reason,
                    "waived_at": d.waived_at,
                }
                for d in deposits
            ],
        ),
        credit=CreditSummary(
            status=credit,
            source=patron.credit_source,
            verified_on=patron.credit_verified_on,
            expires_on=patron.credit_expires_on,
        ),
        keep_history=patron.keep_history,
        pin_set=bool(patron.pin_hash),
        cards=[
            CardSummary(
                number=c.number,
                status=c.status,
                status_zh=c.status.label_zh,
                issued_at=c.issued_at,
                ended_at=c.ended_at,
                end_reason=c.end_reason,
            )
            for c in patron.cards
        ],
        notes=patron.notes,
    )
