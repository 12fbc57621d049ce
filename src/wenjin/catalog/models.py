"""Tables of the catalogue: bibliographic records, their ISBNs, items and item types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.base import Base, TimestampMixin
from wenjin.db.types import JSONType, UTCDateTime
from wenjin.network.models import ServicePoint


def _enum(cls: type[Any], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class BibRecord(TimestampMixin, Base):
    """A bibliographic record: the full MARC record plus fields extracted from it.

    ``marc`` is the record as MARC-in-JSON, in Unicode, exactly as imported (with
    the character-set positions set to say Unicode). Everything else on the row
    is derived from it by :mod:`wenjin.catalog.marc.extract` and is rewritten
    whenever the record is saved.

    A record is matched on re-import by (``source``, ``control_number``), then by
    a valid ISBN, then by ``fingerprint`` (a hash of the record's content).
    """

    __tablename__ = "bib_records"
    __table_args__ = (UniqueConstraint("source", "control_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    control_number: Mapped[str | None] = mapped_column(String(64), index=True)
    fingerprint: Mapped[str] = mapped_column(String(40), index=True)
    flavour: Mapped[MarcFlavour] = mapped_column(_enum(MarcFlavour, 8))
    marc: Mapped[str] = mapped_column(Text)

    title: Mapped[str] = mapped_column(String(1000))
    title_parallel: Mapped[list[str]] = mapped_column(JSONType, default=list)
    responsibility: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)
    isbn_invalid: Mapped[bool] = mapped_column(Boolean, default=False)
    edition: Mapped[str | None] = mapped_column(String(200))
    publisher: Mapped[str | None] = mapped_column(String(300))
    pub_place: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    language: Mapped[str | None] = mapped_column(String(3))
    clc: Mapped[str | None] = mapped_column(String(64), index=True)
    classes: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    subjects: Mapped[list[str]] = mapped_column(JSONType, default=list)
    series: Mapped[list[str]] = mapped_column(JSONType, default=list)
    title_pinyin: Mapped[str | None] = mapped_column(String(1000))
    author_pinyin: Mapped[str | None] = mapped_column(String(500))
    price_fen: Mapped[int | None] = mapped_column(Integer)

    isbns: Mapped[list[BibIsbn]] = relationship(
        back_populates="bib", cascade="all, delete-orphan", order_by="BibIsbn.position"
    )
    items: Mapped[list[Item]] = relationship(back_populates="bib", order_by="Item.barcode")

    def __repr__(self) -> str:
        return f"<BibRecord {self.id} {self.control_number} {self.title[:20]}>"


class BibIsbn(Base):
    """Every ISBN a record carries, in record order: valid ones as ISBN-13, invalid ones as given."""

    __tablename__ = "bib_isbns"
    __table_args__ = (Index("ix_bib_isbns_isbn_valid", "isbn", "valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bib_id: Mapped[int] = mapped_column(
        ForeignKey("bib_records.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    isbn: Mapped[str] = mapped_column(String(64))
    valid: Mapped[bool] = mapped_column(Boolean)
    qualifier: Mapped[str | None] = mapped_column(String(200))  # "pbk.", "精装", …

    bib: Mapped[BibRecord] = relationship(back_populates="isbns")


class ItemType(Base):
    """A type of item (普通图书, 少儿图书, 期刊, 工具书 …): the policy matrix keys on it."""

    __tablename__ = "item_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    lendable: Mapped[bool] = mapped_column(Boolean, default=True)


class Item(TimestampMixin, Base):
    """A copy on a shelf somewhere in the network: 册.

    ``owning_point`` is the item's home (馆藏地); ``current_point`` is where it is
    now, or where it is heading while in transit. A floating item takes as its
    home the point where it was last returned. ``stationed_point`` is set while
    the item belongs to a rotating collection (流动站) assigned to a station: a
    return goes to the station instead of home (``wenjin.rotation``).
    """

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_bib_id_status", "bib_id", "status"),
        Index("ix_items_current_point_id_status", "current_point_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    barcode: Mapped[str] = mapped_column(String(32), unique=True)
    bib_id: Mapped[int] = mapped_column(ForeignKey("bib_records.id", ondelete="RESTRICT"))
    owning_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    current_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    stationed_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    # shelving location: 中文图书库, 少儿借阅区
    location: Mapped[str | None] = mapped_column(String(64))
    call_number: Mapped[str | None] = mapped_column(String(64))
    item_type_id: Mapped[int] = mapped_column(ForeignKey("item_types.id"))
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus, 16), default=ItemStatus.AVAILABLE)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    price_fen: Mapped[int | None] = mapped_column(Integer)
    acquired_on: Mapped[date | None] = mapped_column(Date)
    floating: Mapped[bool] = mapped_column(Boolean, default=False)
    volume: Mapped[str | None] = mapped_column(String(64))  # 卷册: "第2卷", "v.3"
    note: Mapped[str | None] = mapped_column(Text)
    # SIP2 item properties (CH): what a self-check machine stores about the copy with
    # message 19 (e.g. the RFID tag's media or security settings) and reads back in 17.
    sip_properties: Mapped[str | None] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer, default=1)

    bib: Mapped[BibRecord] = relationship(back_populates="items")
    owning_point: Mapped[ServicePoint] = relationship(foreign_keys=[owning_point_id])
    current_point: Mapped[ServicePoint] = relationship(foreign_keys=[current_point_id])
    stationed_point: Mapped[ServicePoint | None] = relationship(foreign_keys=[stationed_point_id])
    item_type: Mapped[ItemType] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Item {self.barcode} {self.status.value}>"


class CatalogImport(Base):
    """One run of ``wenjin catalog import`` over one file: what it did, for the record."""

    __tablename__ = "catalog_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(100))  # who ran it
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    items_created: Mapped[int] = mapped_column(Integer, default=0)
    rejects_file: Mapped[str | None] = mapped_column(String(500))


class BarcodeSeries(Base):
    """The counter behind the barcodes Wenjin prints itself (``W000000042`` …).

    One row per prefix. Numbers are taken inside the importing transaction with
    ``UPDATE … RETURNING``: on PostgreSQL a second import waits for the first one's
    row lock, and SQLite has a single writer, so two imports never print the same
    barcode; a rolled-back batch gives its numbers back.
    """

    __tablename__ = "barcode_series"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
