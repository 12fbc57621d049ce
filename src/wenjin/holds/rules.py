"""The rules of holds, without a database: which copy may fill a hold, which copy to fetch,
which hold a returned copy goes to, and how long it waits on the hold shelf.

Eligibility of a copy (:func:`copy_rejection`): only a copy on the shelf (在架) may be
targeted, never one on loan, in transit, on a hold shelf, missing, lost, damaged or
withdrawn; not one already chosen for another hold; not at a point that is closed
today or inactive; and not one the policy matrix keeps out of holds (a rule that
does not lend it, or sets ``holds_allowed`` off, e.g. reference books 工具书).

Ranking (:func:`rank_key`): copies at the pickup point first, then the nearest by
courier travel time to the pickup point; among equally near points the one with
more copies of the title left on its shelf, then the one that has given fewer
copies to holds today, so that one branch is not emptied.

Capture order (:func:`capture_order`): a copy checked in goes to the waiting hold
whose pickup point is this point first, then to the earliest placed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.rules import PolicyRule
from wenjin.circulation.slips import Slip
from wenjin.network.rules import OpeningCalendar

DEFAULT_HOLD_SHELF_DAYS = 7
UNREACHABLE_DAYS = 10_000  # no courier route joins the two points: ranked after every route


class Rejection(StrEnum):
    """Why a copy cannot fill a hold."""

    NOT_ON_SHELF = "not_on_shelf"
    TARGETED_FOR_ANOTHER = "targeted_for_another"
    POINT_CLOSED_TODAY = "point_closed_today"
    POINT_INACTIVE = "point_inactive"
    TYPE_NOT_LENDABLE = "type_not_lendable"
    NO_RULE = "no_rule"
    RULE_DOES_NOT_LEND = "rule_does_not_lend"
    RULE_EXCLUDES_HOLDS = "rule_excludes_holds"
    NOT_THE_HELD_COPY = "not_the_held_copy"


_REJECTION_TEXT: dict[Rejection, tuple[str, str]] = {
    Rejection.NOT_ON_SHELF: ("不在架", "not on the shelf"),
    Rejection.TARGETED_FOR_ANOTHER: ("已分配给另一条预约", "already chosen for another hold"),
    Rejection.POINT_CLOSED_TODAY: ("所在服务点今天闭馆", "its point is closed today"),
    Rejection.POINT_INACTIVE: ("所在服务点已停用", "its point is inactive"),
    Rejection.TYPE_NOT_LENDABLE: ("该类型仅供馆内阅览", "its item type is for use in the library"),
    Rejection.NO_RULE: ("没有适用的借阅规则", "no circulation rule covers it"),
    Rejection.RULE_DOES_NOT_LEND: ("借阅规则不外借", "the circulation rule does not lend it"),
    Rejection.RULE_EXCLUDES_HOLDS: ("借阅规则不允许预约", "the circulation rule excludes holds"),
    Rejection.NOT_THE_HELD_COPY: ("不是预约指定的那一册", "not the copy the hold names"),
}


def rejection_text(
    rejection: Rejection, status_zh: str = "", status_en: str = ""
) -> tuple[str, str]:
    zh, en = _REJECTION_TEXT[rejection]
    if rejection is Rejection.NOT_ON_SHELF and status_zh:
        return f"{zh}（{status_zh}）", f"{en} ({status_en.lower()})"
    return zh, en


@dataclass(frozen=True)
class CopyFacts:
    """A copy as targeting sees it."""

    item_id: int
    barcode: str
    bib_id: int
    status: ItemStatus
    point_id: int  # where it is now
    owning_point_id: int
    item_type_id: int
    type_lendable: bool
    call_number: str | None = None
    location: str | None = None


def copy_rejection(
    copy: CopyFacts,
    *,
    targeted_for_another: bool,
    point_active: bool,
    point_open_today: bool,
    rule: PolicyRule | None,
    held_item_id: int | None = None,
) -> Rejection | None:
    """Why ``copy`` cannot fill the hold, or ``None`` when it can. ``rule`` is the policy
    rule for the reader's category, the copy's type and its owning point."""
    if held_item_id is not None and copy.item_id != held_item_id:
        return Rejection.NOT_THE_HELD_COPY
    if copy.status is not ItemStatus.AVAILABLE:
        return Rejection.NOT_ON_SHELF
    if targeted_for_another:
        return Rejection.TARGETED_FOR_ANOTHER
    if not point_active:
        return Rejection.POINT_INACTIVE
    if not point_open_today:
        return Rejection.POINT_CLOSED_TODAY
    return policy_rejection(copy.type_lendable, rule)


def policy_rejection(type_lendable: bool, rule: PolicyRule | None) -> Rejection | None:
    if not type_lendable:
        return Rejection.TYPE_NOT_LENDABLE
    if rule is None:
        return Rejection.NO_RULE
    if not rule.lendable:
        return Rejection.RULE_DOES_NOT_LEND
    if not rule.holds_allowed:
        return Rejection.RULE_EXCLUDES_HOLDS
    return None


@dataclass(frozen=True)
class PointLoad:
    """How busy a point is for this title: copies still free on its shelf, copies it gave
    to holds today."""

    available_left: int = 0
    targeted_today: int = 0


def rank_key(
    copy: CopyFacts,
    *,
    pickup_point_id: int,
    travel_days: Mapping[int, int],
    load: Mapping[int, PointLoad],
) -> tuple[int, int, int, int, str]:
    """Smaller is better: at the pickup point, then nearest, then the fuller shelf, then the
    point that gave fewer copies today; the barcode decides the rest (stable order)."""
    at_pickup = copy.point_id == pickup_point_id
    days = 0 if at_pickup else travel_days.get(copy.point_id, UNREACHABLE_DAYS)
    point_load = load.get(copy.point_id, PointLoad())
    return (
        0 if at_pickup else 1,
        days,
        -point_load.available_left,
        point_load.targeted_today,
        copy.barcode,
    )


def rank_reason(
    copy: CopyFacts, *, pickup_point_id: int, travel_days: Mapping[int, int], load: PointLoad
) -> tuple[str, str]:
    """Why a copy ranks where it does, for ``holds explain``."""
    if copy.point_id == pickup_point_id:
        return "就在取书点，无需调拨", "at the pickup point: no transfer needed"
    days = travel_days.get(copy.point_id)
    shelf = f"；该点尚有 {load.available_left} 册在架，今日已调出 {load.targeted_today} 册"
    shelf_en = (
        f"; {load.available_left} copies left on its shelf, "
        f"{load.targeted_today} already given to holds today"
    )
    if days is None:
        return (
            "没有通往取书点的物流线路，排在最后" + shelf,
            "no courier route to the pickup point: ranked last" + shelf_en,
        )
    return (
        f"物流 {days} 天到达取书点" + shelf,
        f"{days} day(s) by courier to the pickup point" + shelf_en,
    )


@dataclass(frozen=True)
class WaitingHold:
    """A waiting hold as capture at checkin sees it."""

    hold_id: int
    patron_id: int
    pickup_point_id: int
    placed_at: datetime
    item_id: int | None  # an item-level hold's copy


def capture_order(hold: WaitingHold, here_id: int) -> tuple[int, datetime, int]:
    """The declared order among holds competing for a copy checked in at ``here_id``:
    holds picked up here first, then by the time they were placed."""
    return (0 if hold.pickup_point_id == here_id else 1, hold.placed_at, hold.hold_id)


def can_fill(hold: WaitingHold, item_id: int) -> bool:
    return hold.item_id is None or hold.item_id == item_id


def shelf_expiry(calendar: OpeningCalendar, today: date, open_days: int) -> date:
    """The last day to pick up: ``open_days`` open days of the pickup point after today."""
    return calendar.add_open_days(today, open_days)


def is_suspended(suspended_until: date | None, today: date) -> bool:
    """A hold suspended until a date waits again from that date on."""
    return suspended_until is not None and suspended_until > today


def mask_card(number: str) -> str:
    """A card number as a slip on the hold shelf shows it: ``ZC****2345``."""
    if len(number) <= 6:
        return number[:1] + "*" * (len(number) - 1)
    return number[:2] + "*" * (len(number) - 6) + number[-4:]


def mask_name(name: str) -> str:
    """A reader's name on a public hold shelf: the family name and a mark (王*明 → 王**)."""
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


# --- slips and notices ------------------------------------------------------------


def hold_shelf_slip(reader: str, masked_card: str, expires_on: date) -> Slip:
    return Slip(
        f"预约保留：{reader} {masked_card}，取书截止 {expires_on.isoformat()}，请放预约架",
        f"Hold for {reader} {masked_card}: put it on the hold shelf, pick up by "
        f"{expires_on.isoformat()}",
    )


def hold_transit_slip(point_name: str, point_code: str) -> Slip:
    return Slip(
        f"送往 {point_name}（预约），请放入周转箱",
        f"Send to {point_name} ({point_code}) for a hold: put it in the transit box",
    )


def ready_notice(title: str | None, pickup_name: str, expires_on: date) -> tuple[str, str]:
    book = f"《{title}》" if title else "图书"
    return (
        f"您预约的{book}已到 {pickup_name}，请于 {expires_on.isoformat()} 前凭读者证取书。",
        f"Your hold {title or ''} is ready at {pickup_name}; pick it up by "
        f"{expires_on.isoformat()} with your card.",
    )


def expired_notice(title: str | None, pickup_name: str) -> tuple[str, str]:
    book = f"《{title}》" if title else "图书"
    return (
        f"您预约的{book}在 {pickup_name} 保留期满未取，预约已失效；如仍需要请重新预约。",
        f"Your hold {title or ''} at {pickup_name} was not picked up in time and has expired; "
        "place it again if you still need it.",
    )


def cancelled_notice(title: str | None, reason_zh: str, reason_en: str) -> tuple[str, str]:
    book = f"《{title}》" if title else "图书"
    return (
        f"您对{book}的预约已取消（{reason_zh}）。",
        f"Your hold {title or ''} was cancelled ({reason_en.lower()}).",
    )
