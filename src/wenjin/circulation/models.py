"""Tables of circulation: the policy matrix, loans, transits and the circulation log."""

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
    event,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from wenjin.catalog.models import Item, ItemType
from wenjin.circulation.errors import LogIsAppendOnly
from wenjin.circulation.states import LoanStatus, TransitReason, TransitStatus
from wenjin.db.base import Base, TimestampMixin
from wenjin.db.types import JSONType, UTCDateTime
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.models import Patron, PatronCategory


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class CirculationRule(TimestampMixin, Base):
    """One cell of the policy matrix (借阅规则).

    Each of the three keys is optional; an unset key matches anything. The point
    key is either a specific point (``point_id``) or a kind of point
    (``point_kind``), never both. Which rule applies is decided by
    :func:`wenjin.circulation.rules.resolve_rule`.

    ``max_fine_fen`` caps the overdue fine of one loan; with
    ``fine_capped_at_price`` the cap is the lower of it and the item's price.
    ``max_overdue_items`` and ``max_unpaid_fen`` are the block thresholds: a
    reader with more overdue items, or more unpaid fines, may not borrow.
    """

    __tablename__ = "circulation_rules"
    __table_args__ = (
        CheckConstraint("point_id IS NULL OR point_kind IS NULL", name="point_or_kind_not_both"),
        CheckConstraint("loan_days >= 0", name="loan_days_not_negative"),
        CheckConstraint("max_items >= 0", name="max_items_not_negative"),
        CheckConstraint("renewals >= 0", name="renewals_not_negative"),
        CheckConstraint("renewal_days >= 0", name="renewal_days_not_negative"),
        CheckConstraint("fine_per_day_fen >= 0", name="fine_not_negative"),
        CheckConstraint("max_fine_fen >= 0", name="max_fine_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_points.id", ondelete="CASCADE"), index=True
    )
    point_kind: Mapped[PointKind | None] = mapped_column(_enum(PointKind, 20))
    patron_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("patron_categories.id", ondelete="CASCADE")
    )
    item_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("item_types.id", ondelete="CASCADE")
    )
    lendable: Mapped[bool] = mapped_column(Boolean, default=True)
    loan_days: Mapped[int] = mapped_column(Integer, default=30)
    max_items: Mapped[int] = mapped_column(Integer, default=5)
    max_items_of_type: Mapped[int | None] = mapped_column(Integer)
    renewals: Mapped[int] = mapped_column(Integer, default=1)
    renewal_days: Mapped[int] = mapped_column(Integer, default=30)
    fine_per_day_fen: Mapped[int] = mapped_column(Integer, default=10)
    max_fine_fen: Mapped[int] = mapped_column(Integer, default=2000)
    fine_capped_at_price: Mapped[bool] = mapped_column(Boolean, default=True)
    max_overdue_items: Mapped[int] = mapped_column(Integer, default=0)
    max_unpaid_fen: Mapped[int] = mapped_column(Integer, default=1000)
    holds_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    hold_limit: Mapped[int] = mapped_column(Integer, default=5)
    weight: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)
    # Bumped by the ORM on every change: the rule cache compares it (see policy.py).
    revision: Mapped[int] = mapped_column(Integer, default=1)

    point: Mapped[ServicePoint | None] = relationship()
    patron_category: Mapped[PatronCategory | None] = relationship()
    item_type: Mapped[ItemType | None] = relationship()

    __mapper_args__ = {"version_id_col": revision}

    def __repr__(self) -> str:
        return f"<CirculationRule {self.id} w={self.weight}>"


class Loan(Base):
    """A loan (借阅): one item lent to one reader, from checkout to return.

    ``due_on`` is a date in the network's time zone: the item is due by closing
    time that day. The rule terms in force at checkout are copied onto the loan
    (``rule_id`` says where they came from), so that a later edit of the policy
    matrix never changes a running loan.

    A partial unique index allows one current loan (``returned_at IS NULL``) per
    item: two desks lending the same copy at once cannot both succeed.
    """

    __tablename__ = "loans"
    __table_args__ = (
        Index(
            "ix_loans_one_current_per_item",
            "item_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index("ix_loans_patron_id_status", "patron_id", "status", "due_on"),
        Index("ix_loans_status_due_on", "status", "due_on"),
        CheckConstraint("renewals >= 0", name="renewals_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="RESTRICT"))
    card_number: Mapped[str] = mapped_column(String(32))
    item_type_id: Mapped[int] = mapped_column(ForeignKey("item_types.id"))
    checkout_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    checked_out_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date] = mapped_column(Date)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    last_renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    status: Mapped[LoanStatus] = mapped_column(_enum(LoanStatus, 12), default=LoanStatus.OPEN)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rule's terms, as they stood at checkout.
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("circulation_rules.id", ondelete="SET NULL")
    )
    loan_days: Mapped[int] = mapped_column(Integer)
    renewals_allowed: Mapped[int] = mapped_column(Integer)
    renewal_days: Mapped[int] = mapped_column(Integer)
    fine_per_day_fen: Mapped[int] = mapped_column(Integer)
    max_fine_fen: Mapped[int] = mapped_column(Integer)
    fine_fen: Mapped[int | None] = mapped_column(Integer)  # charged at return; None until then
    version: Mapped[int] = mapped_column(Integer, default=1)

    item: Mapped[Item] = relationship()
    patron: Mapped[Patron] = relationship()
    checkout_point: Mapped[ServicePoint] = relationship(foreign_keys=[checkout_point_id])
    return_point: Mapped[ServicePoint | None] = relationship(foreign_keys=[return_point_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_current(self) -> bool:
        return self.returned_at is None

    def __repr__(self) -> str:
        return f"<Loan {self.id} item={self.item_id} {self.status.value} due {self.due_on}>"


class Transit(Base):
    """An item travelling between service points (调拨 / 在途), for any reason.

    While a transit is ``in_transit`` the item's status is ``in_transit`` and its
    ``current_point`` is the destination. ``sent_at`` is unset while the item is
    still in the box at its origin waiting for the courier.
    """

    __tablename__ = "transits"
    __table_args__ = (
        Index(
            "ix_transits_one_active_per_item",
            "item_id",
            unique=True,
            sqlite_where=text("status = 'in_transit'"),
            postgresql_where=text("status = 'in_transit'"),
        ),
        Index("ix_transits_to_point_id_status", "to_point_id", "status"),
        Index("ix_transits_from_point_id_status", "from_point_id", "status"),
        CheckConstraint("from_point_id <> to_point_id", name="not_a_loop"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    from_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    to_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    reason: Mapped[TransitReason] = mapped_column(_enum(TransitReason, 16))
    status: Mapped[TransitStatus] = mapped_column(
        _enum(TransitStatus, 12), default=TransitStatus.IN_TRANSIT
    )
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by: Mapped[str | None] = mapped_column(String(100))
    received_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    note: Mapped[str | None] = mapped_column(Text)

    item: Mapped[Item] = relationship()
    from_point: Mapped[ServicePoint] = relationship(foreign_keys=[from_point_id])
    to_point: Mapped[ServicePoint] = relationship(foreign_keys=[to_point_id])

    def __repr__(self) -> str:
        return f"<Transit {self.id} item={self.item_id} {self.status.value}>"


class CirculationEvent(Base):
    """One entry of the append-only circulation log (流通日志): who, where, when, what,
    and the state before and after.

    Written by :func:`wenjin.circulation.log.record_event` in the same transaction
    as the change it records. The ORM refuses to update or delete a row, and so
    does the database (triggers created by the migration).
    """

    __tablename__ = "circulation_events"
    __table_args__ = (
        Index("ix_circulation_events_item_id_at", "item_id", "at"),
        Index("ix_circulation_events_patron_id_at", "patron_id", "at"),
        Index("ix_circulation_events_point_id_at", "point_id", "at"),
        Index("ix_circulation_events_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(32))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    actor: Mapped[str | None] = mapped_column(String(100))
    patron_id: Mapped[int | None] = mapped_column(ForeignKey("patrons.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    def __repr__(self) -> str:
        return f"<CirculationEvent {self.id} {self.action} at {self.at:%Y-%m-%d %H:%M}>"


# The log is append-only. The ORM refuses here; the database refuses too (triggers in
# the initial migration), for anything that bypasses the ORM.
@event.listens_for(CirculationEvent, "before_update")
def _refuse_log_update(_mapper: Mapper[Any], _connection: Any, _target: CirculationEvent) -> None:
    raise LogIsAppendOnly()


@event.listens_for(CirculationEvent, "before_delete")
def _refuse_log_delete(_mapper: Mapper[Any], _connection: Any, _target: CirculationEvent) -> None:
    raise LogIsAppendOnly()
