"""Hold states, the transitions allowed between them, and the log's hold actions.

A change outside :data:`HOLD_TRANSITIONS` is a bug, and :func:`check_hold_transition`
raises rather than let it happen.

Hold lifecycle::

    waiting ──copy captured here──────────────▶ ready ──checkout──▶ fulfilled
       │  └──copy captured elsewhere──▶ in_transit ──received──┘  └──not picked up──▶ expired
       │                                   │
       └──────────── cancelled ◀───────────┴──────── (from waiting, in_transit or ready)

A waiting hold may be *targeted* (a copy chosen to pull off a shelf) or not; a
suspended hold (``suspended_until`` in the future) waits but is never targeted.
A hold whose copy goes missing on the way or on the shelf goes back to waiting.
"""

from __future__ import annotations

from enum import StrEnum

from wenjin.holds.errors import IllegalHoldTransition


class HoldStatus(StrEnum):
    WAITING = "waiting"  # 等待: in the queue for a copy
    IN_TRANSIT = "in_transit"  # 在途: a copy is on its way to the pickup point
    READY = "ready"  # 待取: on the hold shelf of the pickup point
    FULFILLED = "fulfilled"  # 已借: the reader checked it out
    CANCELLED = "cancelled"  # 已取消
    EXPIRED = "expired"  # 过期未取: not picked up in time

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[HoldStatus, tuple[str, str]] = {
    HoldStatus.WAITING: ("等待", "Waiting"),
    HoldStatus.IN_TRANSIT: ("在途", "In transit"),
    HoldStatus.READY: ("待取", "Ready for pickup"),
    HoldStatus.FULFILLED: ("已借", "Fulfilled"),
    HoldStatus.CANCELLED: ("已取消", "Cancelled"),
    HoldStatus.EXPIRED: ("过期未取", "Expired on the hold shelf"),
}

H = HoldStatus
HOLD_TRANSITIONS: dict[HoldStatus, frozenset[HoldStatus]] = {
    H.WAITING: frozenset({H.IN_TRANSIT, H.READY, H.FULFILLED, H.CANCELLED}),
    H.IN_TRANSIT: frozenset({H.READY, H.WAITING, H.CANCELLED}),
    H.READY: frozenset({H.FULFILLED, H.EXPIRED, H.CANCELLED, H.WAITING}),
    H.FULFILLED: frozenset(),
    H.CANCELLED: frozenset(),
    H.EXPIRED: frozenset(),
}

# Holds still alive: they count against a reader's limit and keep a copy targeted.
ACTIVE_HOLD_STATUSES = frozenset({H.WAITING, H.IN_TRANSIT, H.READY})


def check_hold_transition(current: HoldStatus, new: HoldStatus) -> None:
    if new not in HOLD_TRANSITIONS[current]:
        raise IllegalHoldTransition(current.value, new.value)


class HoldAction(StrEnum):
    """What the circulation log records about holds."""

    PLACED = "hold_placed"
    CAPTURED = "hold_captured"  # a copy was set aside for the hold (shelf or transit)
    READY = "hold_ready"  # on the hold shelf of the pickup point
    FULFILLED = "hold_fulfilled"
    CANCELLED = "hold_cancelled"
    EXPIRED = "hold_expired"
    SUSPENDED = "hold_suspended"
    RESUMED = "hold_resumed"
    PICKUP_CHANGED = "hold_pickup_changed"
    COPY_MISSING = "hold_copy_missing"  # the targeted copy was not on the shelf


class CancelReason(StrEnum):
    READER = "reader"  # 读者取消
    STAFF = "staff"  # 馆员取消
    NOT_AVAILABLE = "not_available"  # 无可借副本

    @property
    def label_zh(self) -> str:
        return _CANCEL_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _CANCEL_LABELS[self][1]


_CANCEL_LABELS: dict[CancelReason, tuple[str, str]] = {
    CancelReason.READER: ("读者取消", "Cancelled by the reader"),
    CancelReason.STAFF: ("馆员取消", "Cancelled by staff"),
    CancelReason.NOT_AVAILABLE: ("无可供预约的副本", "No copy can fill it"),
}
