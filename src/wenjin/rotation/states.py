"""Where a rotating collection is, and the moves allowed between those states.

A collection's lifecycle::

    at_home ──send──▶ in_transit ──receive at the station──▶ at_station
       ▲                  ▲                                     │
       │                  └──────recall on to the next station──┤
       └──receive at home── recalled ◀──────recall home─────────┘

The items carry their own statuses (``catalog.states``); the collection's status
says where the batch as a whole is heading or resting.
"""

from __future__ import annotations

from enum import StrEnum

from wenjin.rotation.errors import IllegalCollectionTransition


class CollectionStatus(StrEnum):
    AT_HOME = "at_home"  # 在馆: resting at its home point between rotations
    IN_TRANSIT = "in_transit"  # 在途: on its way to a station
    AT_STATION = "at_station"  # 驻站: at a station, lendable there
    RECALLED = "recalled"  # 召回中: on its way back home

    @property
    def label_zh(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STATUS_LABELS[self][1]


_STATUS_LABELS: dict[CollectionStatus, tuple[str, str]] = {
    CollectionStatus.AT_HOME: ("在馆", "At home"),
    CollectionStatus.IN_TRANSIT: ("在途", "In transit"),
    CollectionStatus.AT_STATION: ("驻站", "At a station"),
    CollectionStatus.RECALLED: ("召回中", "Recalled"),
}

C = CollectionStatus
COLLECTION_TRANSITIONS: dict[CollectionStatus, frozenset[CollectionStatus]] = {
    C.AT_HOME: frozenset({C.IN_TRANSIT, C.AT_STATION}),  # AT_STATION: found there (migration)
    C.IN_TRANSIT: frozenset({C.AT_STATION}),
    C.AT_STATION: frozenset({C.IN_TRANSIT, C.RECALLED}),
    C.RECALLED: frozenset({C.AT_HOME}),
}


def check_collection_transition(current: CollectionStatus, new: CollectionStatus) -> None:
    if new not in COLLECTION_TRANSITIONS[current]:
        raise IllegalCollectionTransition(current.value, new.value)


class CollectionKind(StrEnum):
    ROTATING = "rotating"  # 流动书箱: rotates between the stations of a plan
    DEPOSIT = "deposit"  # 寄存书箱: a small deposit at a village reading room (农家书屋)

    @property
    def label_zh(self) -> str:
        return "流动书箱" if self is CollectionKind.ROTATING else "寄存书箱"

    @property
    def label_en(self) -> str:
        return "Rotating collection" if self is CollectionKind.ROTATING else "Deposit collection"
