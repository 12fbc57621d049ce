"""Tables of the network: service points, their calendars, courier routes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.db.base import Base, TimestampMixin
from wenjin.db.types import JSONType
from wenjin.network.states import PointKind


class ServicePoint(TimestampMixin, Base):
    """A library, branch, reading room, station or kiosk: any place that serves readers.

    ``opening_hours`` maps ISO weekday numbers ("1" Monday … "7" Sunday) to a list
    of "HH:MM-HH:MM" periods; a weekday that is absent or empty is closed.
    ``None`` means the point keeps its parent's hours. Closed days (holidays) are
    rows of :class:`ClosedDay`; a point also observes its ancestors' closed days
    while ``inherit_closed_days`` is set.
    """

    __tablename__ = "service_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # Chinese name, the one on the sign
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[PointKind] = mapped_column(
        Enum(
            PointKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        )
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_points.id", ondelete="RESTRICT"), index=True
    )
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    lends: Mapped[bool] = mapped_column(Boolean, default=True)
    is_pickup_point: Mapped[bool] = mapped_column(Boolean, default=False)
    opening_hours: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    inherit_closed_days: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[ServicePoint | None] = relationship(
        remote_side="ServicePoint.id", back_populates="children"
    )
    children: Mapped[list[ServicePoint]] = relationship(
        back_populates="parent", order_by="(ServicePoint.sort_order, ServicePoint.code)"
    )
    closed_days: Mapped[list[ClosedDay]] = relationship(
        back_populates="point", cascade="all, delete-orphan", order_by="ClosedDay.day"
    )

    def __repr__(self) -> str:
        return f"<ServicePoint {self.code} {self.name}>"


class ClosedDay(Base):
    """A date on which a point (and, by inheritance, its children) is closed: 闭馆日."""

    __tablename__ = "closed_days"
    __table_args__ = (UniqueConstraint("point_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))

    point: Mapped[ServicePoint] = relationship(back_populates="closed_days")


class CourierRoute(Base):
    """A courier leg from one point to another, taking ``travel_days`` days.

    Routes are directed; a two-way route is two rows. ``weekdays`` lists the ISO
    weekdays the courier leaves (``None``: every day).
    """

    __tablename__ = "courier_routes"
    __table_args__ = (
        UniqueConstraint("from_point_id", "to_point_id"),
        CheckConstraint("travel_days >= 0", name="travel_days_not_negative"),
        CheckConstraint("from_point_id <> to_point_id", name="not_a_loop"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_point_id: Mapped[int] = mapped_column(
        ForeignKey("service_points.id", ondelete="CASCADE"), index=True
    )
    to_point_id: Mapped[int] = mapped_column(
        ForeignKey("service_points.id", ondelete="CASCADE"), index=True
    )
    travel_days: Mapped[int] = mapped_column(Integer)
    weekdays: Mapped[list[int] | None] = mapped_column(JSONType)
    note: Mapped[str | None] = mapped_column(Text)

    from_point: Mapped[ServicePoint] = relationship(foreign_keys=[from_point_id])
    to_point: Mapped[ServicePoint] = relationship(foreign_keys=[to_point_id])
