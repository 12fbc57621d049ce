"""Errors of holds. Each message says what is wrong and what to do (Chinese first, then English)."""

from __future__ import annotations

from datetime import date

from wenjin.errors import WenjinError


class HoldError(WenjinError):
    pass


def _title(title: str | None) -> str:
    return f"《{title}》" if title else "该书"


def _title_en(title: str | None) -> str:
    return title or "this title"


class IllegalHoldTransition(HoldError):
    """A hold status change outside the declared table: a programming error."""

    code = "hold_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"预约状态不能从 {current} 变为 {new}", f"A hold cannot go from {current} to {new}"
        )


class HoldNotFound(HoldError):
    code = "hold_not_found"

    def __init__(self, hold_id: object) -> None:
        super().__init__(
            f"没有编号为 {hold_id} 的预约，请用 `wenjin holds list --patron 证号` 查看",
            f"No hold {hold_id}; `wenjin holds list --patron CARD` shows a reader's holds",
        )


class PickupPointNotAvailable(HoldError):
    code = "pickup_point_not_available"

    def __init__(self, name: str, code: str, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"{name}（{code}）{why_zh}，不能作为取书点；请选择开放预约取书的服务点",
            f"{name} ({code}) {why_en}, so it cannot be a pickup point; choose one that is",
        )


class HoldLimitReached(HoldError):
    code = "hold_limit_reached"

    def __init__(self, name: str, count: int, limit: int) -> None:
        super().__init__(
            f"读者 {name} 已有 {count} 条有效预约，达到上限 {limit} 条；取书或取消一条后再预约",
            f"{name} has {count} active holds, the limit is {limit}; "
            "pick one up or cancel one first",
        )


class HoldsNotAllowed(HoldError):
    code = "holds_not_allowed"

    def __init__(self, name: str, rule_id: int | None, note: str | None) -> None:
        why = f"（借阅规则 {rule_id}{'：' + note if note else ''}）" if rule_id else ""
        super().__init__(
            f"按借阅规则，读者 {name} 在此取书点不能预约{why}",
            f"The circulation rules do not let {name} place holds for this pickup point"
            + (f" (rule {rule_id})" if rule_id else ""),
        )


class NothingToHold(HoldError):
    code = "nothing_to_hold"

    def __init__(self, title: str | None, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"{_title(title)}不能预约：{why_zh}", f"{_title_en(title)} cannot be held: {why_en}"
        )


class DuplicateHold(HoldError):
    code = "hold_duplicate"

    def __init__(self, name: str, title: str | None, hold_id: int) -> None:
        super().__init__(
            f"读者 {name} 已预约{_title(title)}（预约 {hold_id}），不能重复预约",
            f"{name} already holds {_title_en(title)} (hold {hold_id})",
        )


class AlreadyBorrowed(HoldError):
    code = "hold_already_borrowed"

    def __init__(self, name: str, title: str | None, barcode: str) -> None:
        super().__init__(
            f"读者 {name} 正借着{_title(title)}（{barcode}），无需预约",
            f"{name} already has {_title_en(title)} on loan ({barcode}); no hold is needed",
        )


class HoldNotActive(HoldError):
    code = "hold_not_active"

    def __init__(
        self, hold_id: int, status_zh: str, status_en: str, what_zh: str, what_en: str
    ) -> None:
        super().__init__(
            f"预约 {hold_id} 状态为「{status_zh}」，不能{what_zh}",
            f"Hold {hold_id} is {status_en.lower()}: it cannot be {what_en}",
        )


class SuspendDateInvalid(HoldError):
    code = "hold_suspend_date_invalid"

    def __init__(self, until: date, today: date) -> None:
        super().__init__(
            f"暂停截止日 {until.isoformat()} 应晚于今天（{today.isoformat()}）",
            f"Suspend until {until.isoformat()}: the date must be after today ({today.isoformat()})",
        )


class HoldNeedsOneTarget(HoldError):
    code = "hold_target_invalid"

    def __init__(self) -> None:
        super().__init__(
            "预约要指定书目（--record）或册（--item）之一",
            "A hold names a record (--record) or an item (--item), exactly one",
        )
