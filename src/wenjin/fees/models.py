"""Tables of the fees domain: fees, payments and how they were spread, waivers, refunds,
amnesty windows (特别还书日) and the receipt counter. Money is integer fen (分)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.catalog.models import Item
from wenjin.circulation.models import Loan
from wenjin.db.base import Base
from wenjin.db.types import UTCDateTime
from wenjin.fees.rules import balance_fen
from wenjin.fees.states import FeeKind, FeeStatus, PaymentMethod
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Fee(Base):
    """A charge to a reader (欠款): an overdue fine, a lost or damaged item, a processing fee…

    ``amount_fen`` never changes once charged. What became of it is in
    ``paid_fen`` (payments), ``waived_fen`` (waivers), ``cancelled_fen`` (the charge
    fell away, e.g. a lost item was found) and ``refunded_fen`` (money paid and then
    given back); the balance still owed is ``amount - paid - waived - cancelled``.
    A fee is ``OPEN`` exactly while that balance is above zero (a check constraint
    holds the database to it).

    The processing fee of a lost item points at the item's replacement charge
    through ``parent_fee_id``: the two are charged, and refunded, together.
    """

    __tablename__ = "fees"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint(
            "paid_fen >= 0 AND waived_fen >= 0 AND cancelled_fen >= 0 AND refunded_fen >= 0",
            name="parts_not_negative",
        ),
        CheckConstraint("refunded_fen <= paid_fen", name="refund_within_paid"),
        CheckConstraint(
            "(status = 'open' AND paid_fen + waived_fen + cancelled_fen < amount_fen) OR "
            "(status <> 'open' AND paid_fen + waived_fen + cancelled_fen = amount_fen)",
            name="open_while_balance",
        ),
        # outstanding_fen() runs on every checkout: one small index range per reader.
        Index(
            "ix_fees_open_by_patron",
            "patron_id",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # A loan is returned once, so it has one overdue fine at most.
        Index(
            "ix_fees_one_fine_per_loan",
            "loan_id",
            unique=True,
            sqlite_where=text("kind = 'overdue'"),
            postgresql_where=text("kind = 'overdue'"),
        ),
        Index("ix_fees_patron_id_created_at", "patron_id", "created_at"),
        Index("ix_fees_item_id_kind", "item_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="RESTRICT"))
    kind: Mapped[FeeKind] = mapped_column(_enum(FeeKind, 20))
    status: Mapped[FeeStatus] = mapped_column(_enum(FeeStatus, 12), default=FeeStatus.OPEN)
    amount_fen: Mapped[int] = mapped_column(Integer)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)
    waived_fen: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_fen: Mapped[int] = mapped_column(Integer, default=0)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    loan_id: Mapped[int | None] = mapped_column(
        ForeignKey("loans.id", ondelete="RESTRICT"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    parent_fee_id: Mapped[int | None] = mapped_column(
        ForeignKey("fees.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(100))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)

    patron: Mapped[Patron] = relationship()
    loan: Mapped[Loan | None] = relationship()
    item: Mapped[Item | None] = relationship()
    point: Mapped[ServicePoint | None] = relationship()
    parent_fee: Mapped[Fee | None] = relationship(
        remote_side="Fee.id", back_populates="linked_fees"
    )
    linked_fees: Mapped[list[Fee]] = relationship(back_populates="parent_fee", order_by="Fee.id")
    allocations: Mapped[list[PaymentAllocation]] = relationship(
        back_populates="fee", order_by="PaymentAllocation.id"
    )
    waivers: Mapped[list[Waiver]] = relationship(back_populates="fee", order_by="Waiver.id")
    refunds: Mapped[list[Refund]] = relationship(back_populates="fee", order_by="Refund.id")

    @property
    def balance_fen(self) -> int:
        """What is left to pay."""
        return balance_fen(self.amount_fen, self.paid_fen, self.waived_fen, self.cancelled_fen)

    @property
    def is_open(self) -> bool:
        return self.status is FeeStatus.OPEN

    def __repr__(self) -> str:
        return f"<Fee {self.id} {self.kind.value} {self.amount_fen} {self.status.value}>"


class Payment(Base):
    """Money taken at a desk (缴费), with its printed receipt number.

    A payment is spread over the reader's open fees, oldest first; the
    :class:`PaymentAllocation` rows say how much went to which fee.
    """

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_payments_point_id_at", "point_id", "at"),
        Index("ix_payments_patron_id_at", "patron_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_number: Mapped[str] = mapped_column(String(32), unique=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="RESTRICT"))
    amount_fen: Mapped[int] = mapped_column(Integer)
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod, 12))
    point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    patron: Mapped[Patron] = relationship()
    point: Mapped[ServicePoint] = relationship()
    allocations: Mapped[list[PaymentAllocation]] = relationship(
        back_populates="payment", order_by="PaymentAllocation.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Payment {self.receipt_number} {self.amount_fen}>"


class PaymentAllocation(Base):
    """The part of a payment that went to one fee."""

    __tablename__ = "payment_allocations"
    __table_args__ = (
        UniqueConstraint("payment_id", "fee_id"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    fee_id: Mapped[int] = mapped_column(ForeignKey("fees.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)

    payment: Mapped[Payment] = relationship(back_populates="allocations")
    fee: Mapped[Fee] = relationship(back_populates="allocations")


class Waiver(Base):
    """A fee, or part of one, forgiven (减免), with the reason an auditor reads.

    A fine waived by an amnesty day names the window.
    """

    __tablename__ = "waivers"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_id: Mapped[int] = mapped_column(ForeignKey("fees.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    amnesty_window_id: Mapped[int | None] = mapped_column(
        ForeignKey("amnesty_windows.id", ondelete="RESTRICT"), index=True
    )

    fee: Mapped[Fee] = relationship(back_populates="waivers")
    amnesty_window: Mapped[AmnestyWindow | None] = relationship()


class Refund(Base):
    """Money given back to a reader (退款) for a fee that fell away after it was paid,
    with its own printed slip number. It counts against the takings of the day and
    point where it was paid out."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_refunds_point_id_at", "point_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_number: Mapped[str] = mapped_column(String(32), unique=True)
    fee_id: Mapped[int] = mapped_column(ForeignKey("fees.id", ondelete="RESTRICT"), index=True)
    patron_id: Mapped[int] = mapped_column(
        ForeignKey("patrons.id", ondelete="RESTRICT"), index=True
    )
    amount_fen: Mapped[int] = mapped_column(Integer)
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod, 12))
    point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)

    fee: Mapped[Fee] = relationship(back_populates="refunds")
    point: Mapped[ServicePoint] = relationship()


amnesty_window_points = Table(
    "amnesty_window_points",
    Base.metadata,
    Column(
        "window_id",
        ForeignKey("amnesty_windows.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "point_id",
        ForeignKey("service_points.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class AmnestyWindow(Base):
    """特别还书日: between two dates (network time zone, both included), overdue fines for
    returns at the chosen points are waived.

    No point means the whole network; a point covers every point under it (a town
    branch covers its village reading rooms).
    """

    __tablename__ = "amnesty_windows"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        Index("ix_amnesty_windows_active_ends_on", "active", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    points: Mapped[list[ServicePoint]] = relationship(
        secondary=amnesty_window_points, order_by="ServicePoint.code"
    )

    def __repr__(self) -> str:
        return f"<AmnestyWindow {self.id} {self.name} {self.starts_on}..{self.ends_on}>"


class ReceiptCounter(Base):
    """The day's last receipt number per prefix (``JF`` payments, ``TK`` refunds).

    Numbers are taken inside the paying transaction with ``UPDATE … RETURNING``:
    on PostgreSQL a second desk waits for the first one's row lock, and SQLite has
    a single writer, so two desks never print the same number.
    """

    __tablename__ = "receipt_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
