"""What a notice is about, and where it stands in the outbox."""

from __future__ import annotations

from enum import StrEnum


class NoticeKind(StrEnum):
    HOLD_READY = "hold_ready"  # 预约到书
    HOLD_EXPIRED = "hold_expired"  # 预约过期未取
    HOLD_CANCELLED = "hold_cancelled"  # 预约已取消

    @property
    def label_zh(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _KIND_LABELS[self][1]


_KIND_LABELS: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.HOLD_READY: ("预约到书", "Hold ready for pickup"),
    NoticeKind.HOLD_EXPIRED: ("预约过期未取", "Hold expired"),
    NoticeKind.HOLD_CANCELLED: ("预约已取消", "Hold cancelled"),
}


class NoticeStatus(StrEnum):
    QUEUED = "queued"  # 待发送: waiting for a channel to deliver it
    SENT = "sent"  # 已发送
    FAILED = "failed"  # 发送失败

    @property
    def label_zh(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STATUS_LABELS[self][1]


_STATUS_LABELS: dict[NoticeStatus, tuple[str, str]] = {
    NoticeStatus.QUEUED: ("待发送", "Queued"),
    NoticeStatus.SENT: ("已发送", "Sent"),
    NoticeStatus.FAILED: ("发送失败", "Failed"),
}
