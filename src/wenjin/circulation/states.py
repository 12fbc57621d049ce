"""Loan and transit states, the transitions allowed between them, and the log's actions.

A change outside :data:`LOAN_TRANSITIONS` or :data:`TRANSIT_TRANSITIONS` is a
bug, and the ``check_*`` functions raise rather than let it happen.

Loan lifecycle::

    open ──checkin──▶ returned
     │ ▲
     │ └─(claim refused)── claimed_returned ──checkin / found──▶ returned
     ├──declare lost──▶ lost ──found / checkin──▶ returned
     └──claim returned──▶ claimed_returned ──declare lost──▶ lost

A loan is *current* (the item is still out, ``returned_at IS NULL``) in every
state but ``returned``; only ``open`` loans count against a reader's limits
and as overdue.
"""

from __future__ import annotations

from enum import StrEnum

from wenjin.circulation.errors import IllegalLoanTransition, IllegalTransitTransition


class LoanStatus(StrEnum):
    OPEN = "open"  # 借出
    RETURNED = "returned"  # 已还
    LOST = "lost"  # 读者报失: the replacement price has been charged
    CLAIMED_RETURNED = "claimed"  # 读者声称已还: no fine accrues while staff search

    @property
    def label_zh(self) -> str:
        return _LOAN_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LOAN_LABELS[self][1]


_LOAN_LABELS: dict[LoanStatus, tuple[str, str]] = {
    LoanStatus.OPEN: ("借出", "On loan"),
    LoanStatus.RETURNED: ("已还", "Returned"),
    LoanStatus.LOST: ("报失", "Declared lost"),
    LoanStatus.CLAIMED_RETURNED: ("声称已还", "Claimed returned"),
}

L = LoanStatus
LOAN_TRANSITIONS: dict[LoanStatus, frozenset[LoanStatus]] = {
    L.OPEN: frozenset({L.RETURNED, L.LOST, L.CLAIMED_RETURNED}),
    L.CLAIMED_RETURNED: frozenset({L.RETURNED, L.LOST, L.OPEN}),
    L.LOST: frozenset({L.RETURNED}),
    L.RETURNED: frozenset(),
}

CURRENT_LOAN_STATUSES = frozenset({L.OPEN, L.CLAIMED_RETURNED, L.LOST})


def check_loan_transition(current: LoanStatus, new: LoanStatus) -> None:
    if new not in LOAN_TRANSITIONS[current]:
        raise IllegalLoanTransition(current.value, new.value)


class TransitReason(StrEnum):
    """Why an item travels (调拨). One transit model for every reason."""

    RETURN_HOME = "return_home"  # 还回原馆: returned elsewhere, going back to its owning point
    HOLD = "hold"  # 预约调拨: on its way to a reader's pickup point
    ROTATION = "rotation"  # 流动轮换: part of a rotating collection
    MANUAL = "manual"  # 人工调拨: a librarian sent it

    @property
    def label_zh(self) -> str:
        return _REASON_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _REASON_LABELS[self][1]


_REASON_LABELS: dict[TransitReason, tuple[str, str]] = {
    TransitReason.RETURN_HOME: ("还回原馆", "Return home"),
    TransitReason.HOLD: ("预约调拨", "For a hold"),
    TransitReason.ROTATION: ("流动轮换", "Rotation"),
    TransitReason.MANUAL: ("人工调拨", "Manual transfer"),
}


class TransitStatus(StrEnum):
    """An ``in_transit`` row with ``sent_at`` unset is still in the box at its origin."""

    IN_TRANSIT = "in_transit"  # 在途
    RECEIVED = "received"  # 已接收
    CANCELLED = "cancelled"  # 已取消
    LOST = "lost"  # 途中丢失

    @property
    def label_zh(self) -> str:
        return _TRANSIT_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _TRANSIT_LABELS[self][1]


_TRANSIT_LABELS: dict[TransitStatus, tuple[str, str]] = {
    TransitStatus.IN_TRANSIT: ("在途", "In transit"),
    TransitStatus.RECEIVED: ("已接收", "Received"),
    TransitStatus.CANCELLED: ("已取消", "Cancelled"),
    TransitStatus.LOST: ("途中丢失", "Lost in transit"),
}

TRANSIT_TRANSITIONS: dict[TransitStatus, frozenset[TransitStatus]] = {
    TransitStatus.IN_TRANSIT: frozenset(
        {TransitStatus.RECEIVED, TransitStatus.CANCELLED, TransitStatus.LOST}
    ),
    TransitStatus.RECEIVED: frozenset(),
    TransitStatus.CANCELLED: frozenset(),
    TransitStatus.LOST: frozenset(),
}


def check_transit_transition(current: TransitStatus, new: TransitStatus) -> None:
    if new not in TRANSIT_TRANSITIONS[current]:
        raise IllegalTransitTransition(current.value, new.value)


class CirculationAction(StrEnum):
    """What the circulation log records. Other domains (fees) log their own action strings."""

    CHECKOUT = "checkout"
    CHECKIN = "checkin"
    RENEW = "renew"
    TRANSIT_CREATED = "transit_created"
    TRANSIT_SENT = "transit_sent"
    TRANSIT_RECEIVED = "transit_received"
    TRANSIT_REROUTED = "transit_rerouted"
    TRANSIT_CANCELLED = "transit_cancelled"  # 调拨取消: the item stays where it is
    TRANSIT_LOST = "transit_lost"  # 途中丢失: the item is marked missing or lost
    RETURN_BOX_FIND = "return_box_find"  # an item found at the wrong point, not on loan
    FLOATED = "floated"  # a floating item's owning point became where it was returned
    DECLARED_LOST = "declared_lost"
    CLAIMED_RETURNED = "claimed_returned"
    FOUND = "found"
    DAMAGED = "damaged"
    REPAIRED = "repaired"
    RULE_CHANGED = "rule_changed"
    RULE_DELETED = "rule_deleted"  # a rule of the policy matrix removed (its terms in "before")
    ITEM_PROPERTIES = "item_properties"  # a self-check machine stored the copy's SIP2 properties
