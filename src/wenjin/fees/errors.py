"""Errors of the fees domain. Messages are for a desk librarian: what is wrong, what to do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wenjin.errors import WenjinError


def yuan(fen: int) -> str:
    """``¥12.50``: fen as the desk says them (``-¥0.30`` for a negative amount)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100}.{fen % 100:02d}"


class FeesError(WenjinError):
    pass


class InvalidAmount(FeesError):
    code = "amount_invalid"

    def __init__(self, shown: str, why_zh: str, why_en: str) -> None:
        super().__init__(f"金额 {shown} 无效：{why_zh}", f"Amount {shown} is invalid: {why_en}")


class UnknownPaymentMethod(FeesError):
    code = "payment_method_unknown"

    def __init__(self, method: str, known: Sequence[str]) -> None:
        super().__init__(
            f"没有付款方式 {method!r}，可用：{', '.join(known)}",
            f"No payment method {method!r}; use one of: {', '.join(known)}",
        )


class NothingOwed(FeesError):
    code = "nothing_owed"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 没有未缴的费用，无需收款",
            f"{name} owes nothing; there is nothing to take",
        )


class Overpayment(FeesError):
    """More money offered than is owed: the library keeps no credit balances."""

    code = "overpayment"

    def __init__(self, name: str, offered_fen: int, owed_fen: int) -> None:
        self.offered_fen = offered_fen
        self.owed_fen = owed_fen
        super().__init__(
            f"读者 {name} 应缴 {yuan(owed_fen)}，收款 {yuan(offered_fen)} 超出应缴金额；"
            f"本馆不设余额，请按 {yuan(owed_fen)} 或更少收款",
            f"{name} owes {yuan(owed_fen)}; {yuan(offered_fen)} is more than that and the library "
            f"keeps no credit balance: take {yuan(owed_fen)} or less",
        )


class FeeNotFound(FeesError):
    code = "fee_not_found"

    def __init__(self, fee_id: object) -> None:
        super().__init__(
            f"没有编号为 {fee_id} 的费用，请用 `wenjin fees show --patron 读者证号` 查看费用编号",
            f"No fee {fee_id}; `wenjin fees show --patron CARD` lists a reader's fees",
        )


class FeeNotOpen(FeesError):
    code = "fee_not_open"

    def __init__(self, fee_id: int, status_zh: str, status_en: str) -> None:
        super().__init__(
            f"费用 {fee_id} 状态为「{status_zh}」，已无未缴金额，不能再减免",
            f"Fee {fee_id} is {status_en.lower()}: nothing is left on it to waive",
        )


class WaiverReasonMissing(FeesError):
    code = "waiver_reason_missing"

    def __init__(self) -> None:
        super().__init__(
            "减免必须写明原因（如：读者住院、系统故障、馆长批准），以备审计",
            "A waiver needs a reason (the reader was in hospital, a system fault, approved by the "
            "director) for the audit",
        )


class WaiverTooLarge(FeesError):
    code = "waiver_too_large"

    def __init__(self, fee_id: int, asked_fen: int, balance_fen: int) -> None:
        super().__init__(
            f"费用 {fee_id} 只剩 {yuan(balance_fen)} 未缴，不能减免 {yuan(asked_fen)}",
            f"Fee {fee_id} has only {yuan(balance_fen)} left to pay; "
            f"{yuan(asked_fen)} cannot be waived",
        )


class LostItemAlreadyCharged(FeesError):
    code = "lost_item_already_charged"

    def __init__(self, barcode: str, fee_id: int) -> None:
        super().__init__(
            f"图书 {barcode} 的丢失赔偿已收取（费用 {fee_id}），不能重复收取",
            f"The loss of item {barcode} is already charged (fee {fee_id}); do not charge it twice",
        )


class InvalidAmnestyWindow(FeesError):
    code = "amnesty_invalid"

    def __init__(self, why_zh: str, why_en: str) -> None:
        super().__init__(f"特别还书日设置无效：{why_zh}", f"Invalid amnesty window: {why_en}")


class AmnestyDatesReversed(InvalidAmnestyWindow):
    def __init__(self, starts_on: date, ends_on: date) -> None:
        super().__init__(
            f"结束日期 {ends_on.isoformat()} 早于开始日期 {starts_on.isoformat()}，请检查日期",
            f"it ends on {ends_on.isoformat()}, before it starts on {starts_on.isoformat()}; "
            "check the dates",
        )


class AmnestyNotFound(FeesError):
    code = "amnesty_not_found"

    def __init__(self, window_id: object) -> None:
        super().__init__(
            f"没有编号为 {window_id} 的特别还书日，请用 `wenjin fees amnesty list` 查看",
            f"No amnesty window {window_id}; `wenjin fees amnesty list` shows them",
        )


class IllegalFeeTransition(FeesError):
    """A fee status change outside the declared table: a programming error."""

    code = "fee_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"费用状态不能从 {current} 变为 {new}", f"A fee cannot go from {current} to {new}"
        )
