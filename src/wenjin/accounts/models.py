"""Tables of the accounts domain: staff accounts and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.accounts.states import Role
from wenjin.db.base import Base
from wenjin.db.types import UTCDateTime
from wenjin.network.models import ServicePoint


class StaffAccount(Base):
    """A member of staff who signs in. ``scope_point`` None: the whole network.

    The password is kept as an Argon2id hash only; ``failed_logins`` and
    ``locked_until`` slow down guessing (five failures lock it for 15 minutes).
    """

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    scope_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_points.id", ondelete="RESTRICT"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    scope_point: Mapped[ServicePoint | None] = relationship()
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="account", order_by="ApiToken.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<StaffAccount {self.username} {self.role.value}>"


class ApiToken(Base):
    """A token a machine (or a script) sends as ``Authorization: Bearer wj_…``.

    Only the SHA-256 of the token is kept; ``prefix`` (its first characters) tells
    tokens apart in a list.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[StaffAccount] = relationship(back_populates="tokens")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}…>"


class WebSession(Base):
    """A signed-in browser: a member of staff (``kind`` staff) or a reader (``kind`` reader).

    The cookie holds a random value; only its SHA-256 is kept, so a copy of the
    database signs nobody in. A session ends at logout, after ``idle`` without a
    request (checked when it is next used) or at ``expires_at`` whatever happens.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    staff_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True
    )
    patron_id: Mapped[int | None] = mapped_column(
        ForeignKey("patrons.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<WebSession {self.id} {self.kind}>"
