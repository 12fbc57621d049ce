"""Tables of the patrons domain: categories, patrons, their cards, manual blocks, deposits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.db.base import Base, TimestampMixin
from wenjin.db.types import UTCDateTime
from wenjin.network.models import ServicePoint
from wenjin.patrons.states import CardStatus, DepositMethod, Gender, PatronStatus


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class PatronCategory(Base):
    """A kind of reader (成人, 少儿, 信易阅 …) and what follows from it.

    The loan limits and loan days of a category live in circulation's policy
    matrix; what is here is what the patrons domain itself needs (deposit,
    card validity, who may hold it) plus the flags circulation reads to know a
    category is preferential (优待: more items, longer loans) or credit-based
    (信易阅: its privileges hold only while the reader's credit rating is valid).
    """

    __tablename__ = "patron_categories"
    __table_args__ = (
        CheckConstraint("deposit_fen >= 0", name="deposit_not_negative"),
        CheckConstraint("expiry_years > 0", name="expiry_years_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    deposit_fen: Mapped[int] = mapped_column(Integer, default=0)
    expiry_years: Mapped[int] = mapped_column(Integer, default=5)
    institutional: Mapped[bool] = mapped_column(Boolean, default=False)  # 集体读者
    preferential: Mapped[bool] = mapped_column(Boolean, default=False)  # 优待政策
    credit_based: Mapped[bool] = mapped_column(Boolean, default=False)  # 信易阅
    staff: Mapped[bool] = mapped_column(Boolean, default=False)
    min_age: Mapped[int | None] = mapped_column(
        Integer
    )  # 周岁, checked when the birth date is known
    max_age: Mapped[int | None] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<PatronCategory {self.code} {self.name}>"


class Patron(TimestampMixin, Base):
    """A reader: one account, valid at every service point (一卡通).

    The resident ID number is not here: ``id_hash`` is its HMAC under the
    network's secret key (look-up, duplicate detection), ``id_masked`` the form
    shown on screen. Birth date and gender are read from the number at
    registration.
    """

    __tablename__ = "patrons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str | None] = mapped_column(String(18))
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[Gender | None] = mapped_column(_enum(Gender, 8))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    home_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("patron_categories.id"), index=True)
    expires_on: Mapped[date] = mapped_column(Date)
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    # Wrong PINs in a row at the OPAC; five lock the card out of the OPAC for 15 minutes.
    failed_pins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pin_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[PatronStatus] = mapped_column(
        _enum(PatronStatus, 8), default=PatronStatus.ACTIVE
    )
    keep_history: Mapped[bool] = mapped_column(Boolean, default=True)  # 保留借阅历史
    credit_source: Mapped[str | None] = mapped_column(String(100))
    credit_verified_on: Mapped[date | None] = mapped_column(Date)
    credit_expires_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[PatronCategory] = relationship()
    home_point: Mapped[ServicePoint] = relationship()
    cards: Mapped[list[PatronCard]] = relationship(
        back_populates="patron", order_by="PatronCard.issued_at", cascade="all, delete-orphan"
    )
    blocks: Mapped[list[PatronBlock]] = relationship(
        back_populates="patron", order_by="PatronBlock.blocked_at", cascade="all, delete-orphan"
    )
    deposits: Mapped[list[Deposit]] = relationship(
        back_populates="patron", order_by="Deposit.id", cascade="all, delete-orphan"
    )

    @property
    def active_card(self) -> PatronCard | None:
        return next((c for c in self.cards if c.status is CardStatus.ACTIVE), None)

    @property
    def active_blocks(self) -> list[PatronBlock]:
        return [b for b in self.blocks if b.lifted_at is None]

    @property
    def deposit_held_fen(self) -> int:
        """Deposit paid and not yet refunded (top-ups after a category change add up)."""
        return sum(d.amount_fen for d in self.deposits if d.is_standing and d.paid_at)

    @property
    def deposit_waiver(self) -> Deposit | None:
        """A standing waiver granted by staff, if any."""
        return next((d for d in self.deposits if d.is_standing and d.waived_reason), None)

    def __repr__(self) -> str:
        card = self.active_card
        return f"<Patron {self.id} {card.number if card else '-'}>"


class PatronCard(Base):
    """A card number a patron holds or held. Numbers are unique across the network,
    forever: a lost number stays in this table, blocked, so a finder cannot use it."""

    __tablename__ = "patron_cards"
    __table_args__ = (
        # At most one active card per patron (none while a lost card awaits replacement).
        Index(
            "ix_patron_cards_one_active",
            "patron_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[CardStatus] = mapped_column(_enum(CardStatus, 12), default=CardStatus.ACTIVE)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(200))

    patron: Mapped[Patron] = relationship(back_populates="cards")

    def __repr__(self) -> str:
        return f"<PatronCard {self.number} {self.status.value}>"


class PatronBlock(Base):
    """A manual block (人工暂停借阅) put on by staff, with the reason read out to the reader."""

    __tablename__ = "patron_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    blocked_by: Mapped[str | None] = mapped_column(String(100))
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by: Mapped[str | None] = mapped_column(String(100))
    lifted_reason: Mapped[str | None] = mapped_column(Text)

    patron: Mapped[Patron] = relationship(back_populates="blocks")


class Deposit(Base):
    """A deposit (押金) paid and perhaps refunded, or a waiver granted instead of one.

    A credit-based reader's exemption is not a row: it follows from the rating
    while the rating is valid. A row with ``waived_reason`` is a standing
    exemption granted by staff (e.g. a school that stands guarantee for a class).
    ``refunded_at`` is when the money went back, or when a waiver ended (the
    account was closed).
    """

    __tablename__ = "deposits"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint(
            "(paid_at IS NOT NULL) OR (waived_reason IS NOT NULL)", name="paid_or_waived"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="CASCADE"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[DepositMethod | None] = mapped_column(_enum(DepositMethod, 12))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refund_method: Mapped[DepositMethod | None] = mapped_column(_enum(DepositMethod, 12))
    waived_reason: Mapped[str | None] = mapped_column(String(200))
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(100))

    patron: Mapped[Patron] = relationship(back_populates="deposits")

    @property
    def is_standing(self) -> bool:
        """Still in force: paid and not refunded, or a waiver not withdrawn."""
        return self.refunded_at is None
