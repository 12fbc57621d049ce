"""The hold table (预约): a reader's request for a title or one copy, picked up at a chosen point."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from wenjin.db.base import Base
from wenjin.db.types import UTCDateTime
from wenjin.holds.states import CancelReason, HoldStatus


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


# One active hold per targeted copy: two desks capturing the same returned copy for
# two holds cannot both succeed (the item row lock comes first; this is the last line).
ACTIVE_HOLD_WHERE = "status IN ('waiting', 'in_transit', 'ready') AND targeted_item_id IS NOT NULL"


class Hold(Base):
    """One hold (预约).

    A title-level hold has ``item_id`` unset and is filled by any copy of
    ``bib_id``; an item-level hold names the copy (and ``bib_id`` is that copy's
    record). ``targeted_item_id`` is the copy chosen for it: to pull off a shelf
    while the hold waits, in transit to the pickup point, or on the hold shelf
    (``shelf_point_id``) until ``expires_on``, a date in the network's time zone.
    """

    __tablename__ = "holds"
    __table_args__ = (
        Index("ix_holds_bib_id_status_placed_at", "bib_id", "status", "placed_at"),
        Index(
            "ix_holds_one_active_per_targeted_item",
            "targeted_item_id",
            unique=True,
            sqlite_where=text(ACTIVE_HOLD_WHERE),
            postgresql_where=text(ACTIVE_HOLD_WHERE),
        ),
        Index("ix_holds_patron_id_status", "patron_id", "status"),
        Index(
            "ix_holds_shelf_point_id_status_expires_on", "shelf_point_id", "status", "expires_on"
        ),
        Index("ix_holds_status_placed_at", "status", "placed_at"),
        Index("ix_holds_status_expires_on", "status", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("patrons.id", ondelete="RESTRICT"))
    bib_id: Mapped[int] = mapped_column(ForeignKey("bib_records.id", ondelete="RESTRICT"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"))
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    status: Mapped[HoldStatus] = mapped_column(_enum(HoldStatus, 12), default=HoldStatus.WAITING)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    placed_by: Mapped[str | None] = mapped_column(String(100))
    suspended_until: Mapped[date | None] = mapped_column(Date)
    targeted_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="SET NULL")
    )
    targeted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transit_id: Mapped[int | None] = mapped_column(ForeignKey("transits.id", ondelete="SET NULL"))
    shelf_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_on: Mapped[date | None] = mapped_column(Date)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[CancelReason | None] = mapped_column(_enum(CancelReason, 16))
    cancel_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_item_level(self) -> bool:
        return self.item_id is not None

    def __repr__(self) -> str:
        return f"<Hold {self.id} bib={self.bib_id} {self.status.value}>"
