"""Tables of SIP2: the kiosk accounts self-check machines log in with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.db.base import Base
from wenjin.db.types import UTCDateTime
from wenjin.network.models import ServicePoint


class Sip2Account(Base):
    """A self-check machine (自助借还机) or return box: the login it sends in message 93.

    Every transaction it makes happens at ``point`` (its service point), as if at
    that point's desk. ``encoding`` is the text encoding it speaks (``utf-8``, or
    ``gb18030`` for the many machines in China that speak GBK); ``checksums``
    makes AY/AZ error detection compulsory. The password is an Argon2id hash only.
    """

    __tablename__ = "sip2_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    point_id: Mapped[int] = mapped_column(
        ForeignKey("service_points.id", ondelete="RESTRICT"), index=True
    )
    encoding: Mapped[str] = mapped_column(String(16), default="utf-8")
    checksums: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    point: Mapped[ServicePoint] = relationship()

    def __repr__(self) -> str:
        return f"<Sip2Account {self.login}>"
