"""The rules of rotation, without a database: where a collection goes next, when it is due
back, and which items of a batch can travel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from wenjin.catalog.states import ItemStatus
from wenjin.rotation.states import CollectionKind

# How long a collection that follows no plan stays: a quarter for a rotating batch,
# a year for a village reading room's deposit.
DEFAULT_STAY_DAYS: dict[CollectionKind, int] = {
    CollectionKind.ROTATING: 90,
    CollectionKind.DEPOSIT: 365,
}


def next_stop(stops: Sequence[int], current: int | None) -> int | None:
    """The station after ``current`` in a plan's cycle (the first one after the last, or when
    ``current`` is not a stop of the plan); ``None`` for a plan without stations."""
    if not stops:
        return None
    if current not in stops:
        return stops[0]
    return stops[(stops.index(current) + 1) % len(stops)]


def due_back_on(arrived_on: date, stay_days: int) -> date:
    """The day a collection that arrived on ``arrived_on`` has had its stay."""
    return arrived_on + timedelta(days=stay_days)


def stay_is_over(due: date | None, today: date) -> bool:
    return due is not None and due <= today


class Disposition(StrEnum):
    """What happens to one item when its collection moves."""

    SEND = "send"  # on the shelf where the batch leaves from: it goes in the box
    FOLLOW = "follow"  # on loan: it follows the batch when it is returned
    HOLD_BACK = "hold_back"  # anything else: it cannot travel now


@dataclass(frozen=True)
class ItemMove:
    disposition: Disposition
    why_zh: str = ""
    why_en: str = ""


def item_move(status: ItemStatus, current_point_id: int, origin_id: int) -> ItemMove:
    """Whether an item of a batch leaving ``origin_id`` goes with it, follows it, or cannot go."""
    if status is ItemStatus.AVAILABLE and current_point_id == origin_id:
        return ItemMove(Disposition.SEND)
    if status is ItemStatus.ON_LOAN:
        return ItemMove(Disposition.FOLLOW)
    if status is ItemStatus.AVAILABLE:
        return ItemMove(
            Disposition.HOLD_BACK,
            "在架，但不在发出地；请先调拨回来",
            "on the shelf, but not where the batch leaves from: transfer it back first",
        )
    return ItemMove(
        Disposition.HOLD_BACK,
        f"当前状态为「{status.label_zh}」",
        f"it is {status.label_en.lower()}",
    )
