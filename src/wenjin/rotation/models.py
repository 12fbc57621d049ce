"""Tables of rotating collections: the collections, their items, their stays, rotation plans."""

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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.catalog.models import Item
from wenjin.db.base import Base, TimestampMixin
from wenjin.db.types import UTCDateTime
from wenjin.network.models import ServicePoint
from wenjin.rotation.states import CollectionKind, CollectionStatus


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class RotationPlan(TimestampMixin, Base):
    """A rotation plan (轮换计划): a cycle of stations, each kept for ``stay_days`` days."""

    __tablename__ = "rotation_plans"
    __table_args__ = (CheckConstraint("stay_days > 0", name="stay_days_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    stay_days: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    stops: Mapped[list[RotationStop]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="RotationStop.position"
    )

    def __repr__(self) -> str:
        return f"<RotationPlan {self.code} {len(self.stops)} stops>"


class RotationStop(Base):
    """One station of a plan's cycle, in order (``position`` from 1)."""

    __tablename__ = "rotation_stops"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        UniqueConstraint("plan_id", "point_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("rotation_plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)

    plan: Mapped[RotationPlan] = relationship(back_populates="stops")
    point: Mapped[ServicePoint] = relationship()


class RotatingCollection(TimestampMixin, Base):
    """A rotating collection (流动书箱): a named batch of items lent to a station for a while.

    ``home_point`` is where it rests between rotations; ``station_point`` is the
    station it is at or heading for (unset at home and on its way home). Its
    items keep their own home and owning point; while the collection is assigned
    to a station each item's ``stationed_point_id`` names that station.
    """

    __tablename__ = "rotating_collections"
    __table_args__ = (Index("ix_rotating_collections_status", "status", "station_point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CollectionKind] = mapped_column(
        _enum(CollectionKind, 12), default=CollectionKind.ROTATING
    )
    note: Mapped[str | None] = mapped_column(Text)
    home_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    station_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    status: Mapped[CollectionStatus] = mapped_column(
        _enum(CollectionStatus, 12), default=CollectionStatus.AT_HOME
    )
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("rotation_plans.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    home_point: Mapped[ServicePoint] = relationship(foreign_keys=[home_point_id])
    station_point: Mapped[ServicePoint | None] = relationship(foreign_keys=[station_point_id])
    plan: Mapped[RotationPlan | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<RotatingCollection {self.code} {self.status.value}>"


class CollectionMember(Base):
    """An item in a collection, from ``added_at`` until ``removed_at``.

    A partial unique index keeps an item in at most one collection at a time.
    """

    __tablename__ = "rotating_collection_items"
    __table_args__ = (
        Index(
            "ix_rotating_collection_items_one_per_item",
            "item_id",
            unique=True,
            sqlite_where=text("removed_at IS NULL"),
            postgresql_where=text("removed_at IS NULL"),
        ),
        Index("ix_rotating_collection_items_collection_id", "collection_id", "removed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("rotating_collections.id", ondelete="CASCADE")
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[Item] = relationship()


class CollectionStay(Base):
    """One assignment of a collection to a station (驻站记录): sent, arrived, due back, left."""

    __tablename__ = "rotating_collection_stays"
    __table_args__ = (Index("ix_rotating_collection_stays_collection_id", "collection_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("rotating_collections.id", ondelete="CASCADE")
    )
    point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # unset: found there
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_back_on: Mapped[date | None] = mapped_column(Date)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    items_sent: Mapped[int] = mapped_column(Integer, default=0)
    items_following: Mapped[int] = mapped_column(Integer, default=0)  # on loan when sent

    point: Mapped[ServicePoint] = relationship()
