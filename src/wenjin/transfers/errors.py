"""Errors of transfers (调拨): what is wrong, and what the desk can do about it."""

from __future__ import annotations

from wenjin.errors import WenjinError


def _book(title: str | None, barcode: str) -> str:
    return f"《{title}》（{barcode}）" if title else f"条码 {barcode} 的图书"


def _book_en(title: str | None, barcode: str) -> str:
    return f"{title} ({barcode})" if title else f"item {barcode}"


class TransferError(WenjinError):
    pass


class CannotSendItem(TransferError):
    code = "item_not_sendable"

    def __init__(
        self, barcode: str, title: str | None, why_zh: str, why_en: str, todo_zh: str, todo_en: str
    ) -> None:
        super().__init__(
            f"{_book(title, barcode)}不能调拨：{why_zh}；{todo_zh}",
            f"{_book_en(title, barcode)} cannot be transferred: {why_en}; {todo_en}",
        )


class SameOriginAndDestination(TransferError):
    code = "transfer_to_same_point"

    def __init__(self, point_code: str) -> None:
        super().__init__(
            f"调出和调入是同一个服务点 {point_code}，请指定另一个服务点",
            f"The item is already at {point_code}: name another point to send it to",
        )


class NoTransitUnderWay(TransferError):
    code = "no_transit_under_way"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"{_book(title, barcode)}没有在途的调拨，请用 `wenjin transit list` 查看在途图书",
            f"{_book_en(title, barcode)} has no transit under way; "
            "`wenjin transit list` shows the items in transit",
        )


class TransitAlreadySent(TransferError):
    code = "transit_already_sent"

    def __init__(self, barcode: str, title: str | None, to_code: str) -> None:
        super().__init__(
            f"{_book(title, barcode)}已随物流发往 {to_code}，取消调拨时请用 --at 说明此书现在在哪个服务点",
            f"{_book_en(title, barcode)} has left with the courier for {to_code}: say with --at "
            "which point it is at now to cancel the transfer",
        )


class NotALostStatus(TransferError):
    code = "transit_lost_status_invalid"

    def __init__(self, given: str) -> None:
        super().__init__(
            f"途中丢失的图书只能登记为 missing（缺失）或 lost（丢失），不能是 {given}",
            f"An item lost in transit is marked missing or lost, not {given}",
        )


class NoCourierLeg(TransferError):
    code = "courier_leg_not_found"

    def __init__(self, at: str, to: str) -> None:
        super().__init__(
            f"没有从 {at} 到 {to} 的物流线路，请用 `wenjin network show` 查看线路",
            f"No courier leg from {at} to {to}; `wenjin network show` lists the routes",
        )


class TransitNotFound(TransferError):
    code = "transit_not_found"

    def __init__(self, transit_id: object) -> None:
        super().__init__(
            f"没有编号为 {transit_id} 的调拨，请用 `wenjin transit list` 查看在途图书",
            f"No transit {transit_id}; `wenjin transit list` shows the items in transit",
        )


class TransitOver(TransferError):
    code = "transit_not_under_way"

    def __init__(self, transit_id: int, barcode: str, status_zh: str, status_en: str) -> None:
        super().__init__(
            f"调拨 {transit_id}（条码 {barcode}）已结束（{status_zh}），不能再取消或登记丢失",
            f"Transit {transit_id} (item {barcode}) is over ({status_en.lower()}); "
            "it can no longer be cancelled or marked lost",
        )
