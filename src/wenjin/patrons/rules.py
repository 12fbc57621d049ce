"""Patron policy, in plain Python: who is blocked and why, who owes a deposit, when credit lapses.

Nothing here reads the database or the clock: callers pass ``today`` (a date
in the network's time zone) and the facts. Circulation passes the overdue
count and the fines it computes; the patrons domain knows neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from wenjin.patrons.errors import CategoryAgeMismatch
from wenjin.patrons.identity import age_on
from wenjin.patrons.states import CardStatus, PatronStatus

# Defaults until circulation's policy matrix says otherwise: most Chinese public
# libraries stop lending while any item is overdue, and once fines pass ¥10.
DEFAULT_MAX_OVERDUE = 0
DEFAULT_MAX_FINES_FEN = 1000


class CategoryLike(Protocol):
    """What the rules read of a category (a :class:`PatronCategory` row fits)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def deposit_fen(self) -> int: ...
    @property
    def credit_based(self) -> bool: ...
    @property
    def expiry_years(self) -> int: ...
    @property
    def min_age(self) -> int | None: ...
    @property
    def max_age(self) -> int | None: ...


class CreditHolder(Protocol):
    """What the rules read of a reader's credit rating (a :class:`Patron` row fits)."""

    @property
    def credit_source(self) -> str | None: ...
    @property
    def credit_verified_on(self) -> date | None: ...
    @property
    def credit_expires_on(self) -> date | None: ...


class CreditStatus(StrEnum):
    NONE = "none"  # never verified
    VALID = "valid"
    LAPSED = "lapsed"  # the rating's validity has run out: verify again


def credit_status(patron: CreditHolder, today: date) -> CreditStatus:
    """信易阅: a rating counts from the day it was verified to its expiry date, inclusive."""
    if not (patron.credit_source and patron.credit_verified_on and patron.credit_expires_on):
        return CreditStatus.NONE
    if patron.credit_verified_on <= today <= patron.credit_expires_on:
        return CreditStatus.VALID
    return CreditStatus.LAPSED


def deposit_required(category: CategoryLike, patron: CreditHolder, today: date) -> bool:
    """Whether the category asks for a deposit; credit-based readers are waived while rated."""
    if category.deposit_fen <= 0:
        return False
    return not (category.credit_based and credit_status(patron, today) is CreditStatus.VALID)


def deposit_outstanding_fen(
    category: CategoryLike, patron: CreditHolder, today: date, *, held_fen: int, waived: bool
) -> int:
    """How much deposit is still to pay (0 if none is required, a waiver stands, or it is paid)."""
    if waived or not deposit_required(category, patron, today):
        return 0
    return max(0, category.deposit_fen - held_fen)


def default_expiry(category: CategoryLike, today: date) -> date:
    return add_years(today, category.expiry_years)


def renewed_expiry(expires_on: date, today: date, years: int) -> date:
    """Renewing early extends from the current expiry; renewing late, from today."""
    return add_years(max(expires_on, today), years)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def is_expired(expires_on: date, today: date) -> bool:
    """A card is valid through its expiry date."""
    return today > expires_on


def check_category_age(category: CategoryLike, birth_date: date | None, today: date) -> None:
    """Refuse a category the reader is too young or too old for (when the birth date is known)."""
    if birth_date is None:
        return
    age = age_on(birth_date, today)
    if category.max_age is not None and age > category.max_age:
        raise CategoryAgeMismatch(
            category.name,
            category.name_en,
            age,
            f"仅限{category.max_age}周岁及以下",
            f"is for readers aged {category.max_age} or under",
        )
    if category.min_age is not None and age < category.min_age:
        raise CategoryAgeMismatch(
            category.name,
            category.name_en,
            age,
            f"须年满{category.min_age}周岁",
            f"is for readers aged {category.min_age} or over",
        )


class BlockCode(StrEnum):
    """Why a reader may not borrow. Stable codes for the API, SIP2 and reports."""

    ACCOUNT_CLOSED = "account_closed"
    CARD_LOST = "card_lost"
    CARD_REPLACED = "card_replaced"
    CARD_CANCELLED = "card_cancelled"
    NO_ACTIVE_CARD = "no_active_card"
    EXPIRED = "expired"
    CREDIT_LAPSED = "credit_lapsed"
    DEPOSIT_UNPAID = "deposit_unpaid"
    OVERDUE = "overdue"
    FINES = "fines"
    MANUAL = "manual"


@dataclass(frozen=True)
class BlockReason:
    code: BlockCode
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class ManualBlockFacts:
    reason: str
    blocked_on: date
    blocked_by: str | None = None


@dataclass(frozen=True)
class PatronFacts:
    """A patron as the block rules see it, with the card that was presented (if any).

    Built from the database by :func:`wenjin.patrons.queries.patron_facts`.
    """

    name: str
    status: PatronStatus
    expires_on: date
    category: CategoryLike
    credit_source: str | None = None
    credit_verified_on: date | None = None
    credit_expires_on: date | None = None
    closed_on: date | None = None
    card_number: str | None = None
    card_status: CardStatus | None = None
    card_ended_on: date | None = None
    active_card_number: str | None = None
    deposit_held_fen: int = 0
    deposit_waived: bool = False
    manual_blocks: tuple[ManualBlockFacts, ...] = field(default_factory=tuple)


def block_reasons(
    patron: PatronFacts,
    *,
    today: date,
    overdue_count: int = 0,
    fines_fen: int = 0,
    max_overdue: int = DEFAULT_MAX_OVERDUE,
    max_fines_fen: int = DEFAULT_MAX_FINES_FEN,
) -> list[BlockReason]:
    """Every reason this reader may not borrow today, in the order a librarian deals with them.

    An empty list means the reader may borrow. ``max_overdue`` is the most
    overdue items a reader may have and still borrow; ``max_fines_fen`` the most
    unpaid fines.
    """
    reasons: list[BlockReason] = []
    if patron.status is PatronStatus.CLOSED:
        when = f"于{patron.closed_on.isoformat()}" if patron.closed_on else ""
        when_en = f" on {patron.closed_on.isoformat()}" if patron.closed_on else ""
        reasons.append(
            BlockReason(
                BlockCode.ACCOUNT_CLOSED,
                f"该读者账户已{when}注销，不能借书；如需继续借阅请重新开通账户",
                f"This account was closed{when_en}; reopen it to borrow again",
            )
        )
        return reasons

    card_reason = _card_reason(patron)
    if card_reason:
        reasons.append(card_reason)

    if is_expired(patron.expires_on, today):
        day = patron.expires_on.isoformat()
        reasons.append(
            BlockReason(
                BlockCode.EXPIRED,
                f"读者证已于{day}过期，请先办理续期",
                f"The card expired on {day}; renew the membership first",
            )
        )

    reasons.extend(_deposit_reasons(patron, today))

    if overdue_count > max_overdue:
        if max_overdue:
            zh = f"有{overdue_count}册图书超期未还，超过{max_overdue}册的上限，请先归还超期图书"
            en = f"{overdue_count} items are overdue, more than the {max_overdue} allowed; return them first"
        else:
            zh = f"有{overdue_count}册图书超期未还，请先归还超期图书"
            en = f"{overdue_count} item(s) overdue; return them first"
        reasons.append(BlockReason(BlockCode.OVERDUE, zh, en))

    if fines_fen > max_fines_fen:
        owed, limit = _yuan(fines_fen), _yuan(max_fines_fen)
        reasons.append(
            BlockReason(
                BlockCode.FINES,
                f"欠款 {owed} 超过 {limit} 的上限，请先缴清欠款",
                f"Unpaid fines of {owed} exceed the {limit} limit; pay them first",
            )
        )

    for block in patron.manual_blocks:
        day = block.blocked_on.isoformat()
        reasons.append(
            BlockReason(
                BlockCode.MANUAL,
                f"馆员于{day}暂停借阅：{block.reason}",
                f"Blocked by staff on {day}: {block.reason}",
            )
        )
    return reasons


def _card_reason(patron: PatronFacts) -> BlockReason | None:
    if patron.card_status is None:
        if patron.active_card_number is None:
            return BlockReason(
                BlockCode.NO_ACTIVE_CARD,
                "该读者没有在用的读者证（原卡已挂失），请凭身份证办理补卡",
                "The reader has no active card (the last one was reported lost); issue a new card",
            )
        return None
    if patron.card_status is CardStatus.ACTIVE:
        return None
    number = patron.card_number or ""
    day = patron.card_ended_on.isoformat() if patron.card_ended_on else ""
    if patron.active_card_number:
        tail = patron.active_card_number[-4:]
        next_zh = f"请读者使用新卡（尾号{tail}）"
        next_en = f"use the reader's new card (ending {tail})"
    else:
        next_zh = "请读者凭身份证办理补卡"
        next_en = "issue a new card on the reader's ID card"
    if patron.card_status is CardStatus.LOST:
        return BlockReason(
            BlockCode.CARD_LOST,
            f"读者证 {number} 已于{day}挂失，不能使用；{next_zh}",
            f"Card {number} was reported lost on {day} and cannot be used; {next_en}",
        )
    if patron.card_status is CardStatus.REPLACED:
        return BlockReason(
            BlockCode.CARD_REPLACED,
            f"读者证 {number} 已于{day}换卡作废；{next_zh}",
            f"Card {number} was replaced on {day} and is void; {next_en}",
        )
    return BlockReason(
        BlockCode.CARD_CANCELLED,
        f"读者证 {number} 已于{day}注销，不能使用",
        f"Card {number} was cancelled on {day}",
    )


def _deposit_reasons(patron: PatronFacts, today: date) -> list[BlockReason]:
    category = patron.category
    owed = deposit_outstanding_fen(
        category, patron, today, held_fen=patron.deposit_held_fen, waived=patron.deposit_waived
    )
    if not owed:
        return []
    if category.credit_based:
        status = credit_status(patron, today)
        if status is CreditStatus.LAPSED and patron.credit_expires_on:
            day = patron.credit_expires_on.isoformat()
            source = patron.credit_source or ""
            if patron.credit_verified_on and today < patron.credit_verified_on:
                zh_when, en_when = "尚未生效", "is not yet in force"
            else:
                zh_when, en_when = f"已于{day}到期", f"expired on {day}"
            return [
                BlockReason(
                    BlockCode.CREDIT_LAPSED,
                    f"信易阅信用核验（{source}）{zh_when}，免押金资格暂停；"
                    f"请重新核验信用，或缴纳押金 {_yuan(owed)} 后借书",
                    f"The credit rating ({source}) {en_when}, so the deposit waiver is suspended; "
                    f"verify the rating again or pay the {_yuan(owed)} deposit",
                )
            ]
        return [
            BlockReason(
                BlockCode.CREDIT_LAPSED,
                f"信易阅读者尚未核验信用等级；请核验信用，或缴纳押金 {_yuan(owed)} 后借书",
                f"The credit rating has not been verified; verify it or pay the {_yuan(owed)} deposit",
            )
        ]
    return [
        BlockReason(
            BlockCode.DEPOSIT_UNPAID,
            f"尚未缴纳押金 {_yuan(owed)}（{category.name}），缴纳后即可借书",
            f"The {_yuan(owed)} deposit ({category.name_en}) is unpaid; the reader can borrow once it is paid",
        )
    ]


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"
