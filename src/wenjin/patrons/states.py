"""Patron and card states, and the transitions allowed between them.

A card that has left ``ACTIVE`` never comes back: a lost card that turns up
again stays blocked, because whoever found it may still hold it. The reader
gets a new number instead (补办新卡).
"""

from __future__ import annotations

from enum import StrEnum

from wenjin.patrons.errors import IllegalCardTransition, IllegalPatronTransition


class PatronStatus(StrEnum):
    ACTIVE = "active"  # 正常
    CLOSED = "closed"  # 已注销: deposit refunded, cards cancelled

    @property
    def label_zh(self) -> str:
        return _PATRON_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _PATRON_LABELS[self][1]


_PATRON_LABELS: dict[PatronStatus, tuple[str, str]] = {
    PatronStatus.ACTIVE: ("正常", "Active"),
    PatronStatus.CLOSED: ("已注销", "Closed"),
}

PATRON_TRANSITIONS: dict[PatronStatus, frozenset[PatronStatus]] = {
    PatronStatus.ACTIVE: frozenset({PatronStatus.CLOSED}),
    PatronStatus.CLOSED: frozenset({PatronStatus.ACTIVE}),  # 重新办证 with a new card
}


class CardStatus(StrEnum):
    ACTIVE = "active"  # 在用
    LOST = "lost"  # 已挂失: blocked, someone else may be holding it
    REPLACED = "replaced"  # 已换卡: damaged or worn out, replaced by a new number
    CANCELLED = "cancelled"  # 已注销: the account was closed

    @property
    def label_zh(self) -> str:
        return _CARD_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _CARD_LABELS[self][1]


_CARD_LABELS: dict[CardStatus, tuple[str, str]] = {
    CardStatus.ACTIVE: ("在用", "Active"),
    CardStatus.LOST: ("已挂失", "Reported lost"),
    CardStatus.REPLACED: ("已换卡", "Replaced"),
    CardStatus.CANCELLED: ("已注销", "Cancelled"),
}

CARD_TRANSITIONS: dict[CardStatus, frozenset[CardStatus]] = {
    CardStatus.ACTIVE: frozenset({CardStatus.LOST, CardStatus.REPLACED, CardStatus.CANCELLED}),
    CardStatus.LOST: frozenset(),
    CardStatus.REPLACED: frozenset(),
    CardStatus.CANCELLED: frozenset(),
}


class ReplaceReason(StrEnum):
    """Why a card is being replaced: decides what the old card becomes."""

    LOST = "lost"  # 挂失补办: the old card becomes LOST
    DAMAGED = "damaged"  # 损坏换卡: the old card becomes REPLACED

    @property
    def old_card_status(self) -> CardStatus:
        return CardStatus.LOST if self is ReplaceReason.LOST else CardStatus.REPLACED


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def label_zh(self) -> str:
        return "男" if self is Gender.MALE else "女"


class DepositMethod(StrEnum):
    CASH = "cash"  # 现金
    WECHAT = "wechat"  # 微信支付
    ALIPAY = "alipay"  # 支付宝
    BANK_CARD = "bank_card"  # 银行卡

    @property
    def label_zh(self) -> str:
        return _METHOD_LABELS[self]


_METHOD_LABELS: dict[DepositMethod, str] = {
    DepositMethod.CASH: "现金",
    DepositMethod.WECHAT: "微信支付",
    DepositMethod.ALIPAY: "支付宝",
    DepositMethod.BANK_CARD: "银行卡",
}


def check_patron_transition(current: PatronStatus, new: PatronStatus) -> None:
    if new not in PATRON_TRANSITIONS[current]:
        raise IllegalPatronTransition(current.value, new.value)


def check_card_transition(current: CardStatus, new: CardStatus) -> None:
    if new not in CARD_TRANSITIONS[current]:
        raise IllegalCardTransition(current.value, new.value)
