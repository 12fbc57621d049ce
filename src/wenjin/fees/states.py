"""Fee kinds, fee states and the transitions allowed between them, payment methods.

A fee is charged ``OPEN``. It leaves ``OPEN`` once nothing is left to pay:

* ``PAID`` when money settled it (a part may have been waived),
* ``WAIVED`` when waivers settled all of it and nothing was paid (an amnesty
  day's fine is recorded already ``WAIVED``),
* ``CANCELLED`` when the charge itself fell away with nothing paid (a lost
  item came back before the reader paid),
* ``REFUNDED`` when the charge fell away after money was paid and that money
  went back to the reader.

A settled fee never reopens: a mistake is corrected by a new charge or a refund,
so that the desk's takings for a past day never change.
"""

from __future__ import annotations

from enum import StrEnum

from wenjin.fees.errors import IllegalFeeTransition


class FeeKind(StrEnum):
    OVERDUE = "overdue"  # 逾期滞纳金
    LOST_ITEM = "lost_item"  # 丢失赔偿（书款）
    PROCESSING = "processing"  # 加工费: cataloguing and processing a replacement copy
    DAMAGED = "damaged"  # 损坏赔偿
    CARD_REPLACEMENT = "card_replacement"  # 补证工本费
    OTHER = "other"

    @property
    def label_zh(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _KIND_LABELS[self][1]


_KIND_LABELS: dict[FeeKind, tuple[str, str]] = {
    FeeKind.OVERDUE: ("逾期滞纳金", "Overdue fine"),
    FeeKind.LOST_ITEM: ("丢失赔偿", "Lost item"),
    FeeKind.PROCESSING: ("加工费", "Processing fee"),
    FeeKind.DAMAGED: ("损坏赔偿", "Damaged item"),
    FeeKind.CARD_REPLACEMENT: ("补证工本费", "Card replacement"),
    FeeKind.OTHER: ("其他", "Other"),
}


class FeeStatus(StrEnum):
    OPEN = "open"  # 未缴清
    PAID = "paid"  # 已缴清
    WAIVED = "waived"  # 已减免
    CANCELLED = "cancelled"  # 已撤销
    REFUNDED = "refunded"  # 已退款

    @property
    def label_zh(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STATUS_LABELS[self][1]


_STATUS_LABELS: dict[FeeStatus, tuple[str, str]] = {
    FeeStatus.OPEN: ("未缴清", "Open"),
    FeeStatus.PAID: ("已缴清", "Paid"),
    FeeStatus.WAIVED: ("已减免", "Waived"),
    FeeStatus.CANCELLED: ("已撤销", "Cancelled"),
    FeeStatus.REFUNDED: ("已退款", "Refunded"),
}

F = FeeStatus
FEE_TRANSITIONS: dict[FeeStatus, frozenset[FeeStatus]] = {
    F.OPEN: frozenset({F.PAID, F.WAIVED, F.CANCELLED, F.REFUNDED}),
    F.PAID: frozenset({F.REFUNDED}),
    F.WAIVED: frozenset(),
    F.CANCELLED: frozenset(),
    F.REFUNDED: frozenset(),
}


class PaymentMethod(StrEnum):
    CASH = "cash"  # 现金
    WECHAT = "wechat"  # 微信支付
    ALIPAY = "alipay"  # 支付宝
    CARD = "card"  # 银行卡

    @property
    def label_zh(self) -> str:
        return _METHOD_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _METHOD_LABELS[self][1]


_METHOD_LABELS: dict[PaymentMethod, tuple[str, str]] = {
    PaymentMethod.CASH: ("现金", "Cash"),
    PaymentMethod.WECHAT: ("微信支付", "WeChat Pay"),
    PaymentMethod.ALIPAY: ("支付宝", "Alipay"),
    PaymentMethod.CARD: ("银行卡", "Bank card"),
}


def can_change_fee_status(current: FeeStatus, new: FeeStatus) -> bool:
    return new in FEE_TRANSITIONS[current]


def check_fee_transition(current: FeeStatus, new: FeeStatus) -> None:
    if not can_change_fee_status(current, new):
        raise IllegalFeeTransition(current.value, new.value)


class FeeAction(StrEnum):
    """What the fees domain writes to the circulation log: every change to money."""

    CHARGED = "fee_charged"
    AMNESTY_WAIVED = "fine_waived_by_amnesty"  # charged and waived at once (特别还书日)
    PAID = "fee_paid"  # one entry per fee a payment reached
    WAIVED = "fee_waived"
    CANCELLED = "fee_cancelled"
    REFUNDED = "fee_refunded"
    KEPT = "fee_kept"  # a found item's processing fee: what was paid stays, the rest falls away
