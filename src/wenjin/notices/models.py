"""The notices outbox (通知发件箱): what readers are to be told, until a channel delivers it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wenjin.db.base import Base
from wenjin.db.types import JSONType, UTCDateTime
from wenjin.notices.states import NoticeKind, NoticeStatus


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Notice(Base):
    """One message to one reader. ``payload`` holds the text in Chinese (``zh``) and English
    (``en``) and the facts behind it (hold, title, pickup point, dates); ``channel`` is chosen
    when it is delivered (SMS, e-mail, messaging app), unset while it waits."""

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_status_created_at", "status", "created_at"),
        Index("ix_notices_patron_id_created_at", "patron_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind, 32))
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="RESTRICT"))
    channel: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[NoticeStatus] = mapped_column(
        _enum(NoticeStatus, 12), default=NoticeStatus.QUEUED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.kind.value} {self.status.value}>"
