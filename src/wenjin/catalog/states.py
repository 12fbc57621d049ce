"""Item states and the transitions allowed between them.

A change of status that is not in :data:`ITEM_TRANSITIONS` is a bug, and
:func:`check_item_transition` raises rather than let it happen.
"""

from __future__ import annotations

from enum import StrEnum

from wenjin.catalog.errors import IllegalItemTransition


class MarcFlavour(StrEnum):
    MARC21 = "marc21"
    CNMARC = "cnmarc"  # CNMARC and UNIMARC: the same field layout


class ItemStatus(StrEnum):
    PROCESSING = "processing"  # 加工中: received, not yet on a shelf
    AVAILABLE = "available"  # 在架
    ON_LOAN = "on_loan"  # 借出
    IN_TRANSIT = "in_transit"  # 在途
    ON_HOLD_SHELF = "on_hold_shelf"  # 预约待取
    MISSING = "missing"  # 缺失: not found where it should be
    LOST = "lost"  # 丢失: declared lost by a reader or by inventory
    DAMAGED = "damaged"  # 破损: out of circulation for repair
    WITHDRAWN = "withdrawn"  # 剔旧: removed from the collection

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.PROCESSING: ("加工中", "Processing"),
    ItemStatus.AVAILABLE: ("在架", "On shelf"),
    ItemStatus.ON_LOAN: ("借出", "On loan"),
    ItemStatus.IN_TRANSIT: ("在途", "In transit"),
    ItemStatus.ON_HOLD_SHELF: ("预约待取", "On hold shelf"),
    ItemStatus.MISSING: ("缺失", "Missing"),
    ItemStatus.LOST: ("丢失", "Lost"),
    ItemStatus.DAMAGED: ("破损", "Damaged"),
    ItemStatus.WITHDRAWN: ("已剔除", "Withdrawn"),
}

S = ItemStatus
ITEM_TRANSITIONS: dict[ItemStatus, frozenset[ItemStatus]] = {
    S.PROCESSING: frozenset({S.AVAILABLE, S.IN_TRANSIT, S.WITHDRAWN}),
    S.AVAILABLE: frozenset(
        {S.ON_LOAN, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.MISSING, S.LOST, S.DAMAGED, S.WITHDRAWN}
    ),
    S.ON_LOAN: frozenset({S.AVAILABLE, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.LOST, S.DAMAGED}),
    S.IN_TRANSIT: frozenset({S.AVAILABLE, S.ON_HOLD_SHELF, S.IN_TRANSIT, S.MISSING, S.LOST}),
    S.ON_HOLD_SHELF: frozenset({S.ON_LOAN, S.AVAILABLE, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.MISSING}),
    S.MISSING: frozenset({S.AVAILABLE, S.IN_TRANSIT, S.LOST, S.WITHDRAWN}),
    S.LOST: frozenset({S.AVAILABLE, S.IN_TRANSIT, S.WITHDRAWN}),
    S.DAMAGED: frozenset({S.AVAILABLE, S.IN_TRANSIT, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
}

LENDABLE_STATUSES = frozenset({S.AVAILABLE})
# While a copy is out with a reader or on its way somewhere, its home point (所属馆)
# decides where it goes next: a cataloguer may not move it until it is back.
OWNER_LOCKED_STATUSES = frozenset({S.ON_LOAN, S.IN_TRANSIT})


def can_change_item_status(current: ItemStatus, new: ItemStatus) -> bool:
    return new in ITEM_TRANSITIONS[current]


def can_change_owner(status: ItemStatus) -> bool:
    return status not in OWNER_LOCKED_STATUSES


def check_item_transition(current: ItemStatus, new: ItemStatus) -> None:
    if not can_change_item_status(current, new):
        raise IllegalItemTransition(current, new)
