"""Holdings fields: the copies a record describes, and the fields export writes back.

On import, holdings fields are taken out of the record (the items table is the
truth) and each becomes a :class:`Holding`; on export, each item is written back
as one field. Subfields read and written:

MARC21 952 (Koha's item field)
    $a home (owning) point code, $b holding (current) point code, $p barcode,
    $o call number, $y item type, $c shelving location, $g purchase price (else
    $v replacement price), $d date acquired, $h volume (enumeration), and the
    status flags Koha writes: $0 withdrawn, $1 lost (``4`` = missing), $4
    damaged, $7 ``-1`` = still being processed (ordered). Wenjin adds $k ``1``
    for a floating item.

MARC21 852 (holdings in the bibliographic record)
    $b point code, $c shelving location, $h classification part and $i item
    part of the call number (else $j shelving control number), $p barcode,
    $t copy number (kept with the volume).

CNMARC 905 (馆藏信息; a national-use 9XX field, written the way dp2, ILAS and
Interlib export their holdings)
    $a holding library / point code (收藏单位代码), $b accession number (登录号),
    which these systems print as the item barcode, $c shelving location (馆藏地),
    $d class number (分类号) and $e book number (书次号/种次号), which together make
    the call number ``$d/$e``, $s the whole call number when a system writes it
    (NLC, Aleph-based systems: ``F124/26``), $f volume (卷册). Wenjin writes and
    reads these extra subfields so that an export re-imports to the same items:
    $y item type, $p price (``CNY45.80``), $g date acquired, $w current point when
    the item is away from home, $q status when not on the shelf, $k ``1`` floating.

A holdings field with neither a barcode, a point code nor a call number (MARC21
852 ``$x universal pattern`` in serial records) describes no copy: it stays in the
record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from wenjin.catalog.marc.record import Field
from wenjin.catalog.rules import format_yuan, price_fen_from_record
from wenjin.catalog.states import ItemStatus, MarcFlavour

HOLDINGS_TAGS: dict[MarcFlavour, tuple[str, ...]] = {
    MarcFlavour.MARC21: ("852", "952"),
    MarcFlavour.CNMARC: ("905",),
}
EXPORT_TAG: dict[MarcFlavour, str] = {MarcFlavour.MARC21: "952", MarcFlavour.CNMARC: "905"}

_DATE = re.compile(r"^\s*(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")


@dataclass(slots=True)
class Holding:
    """One copy as a holdings field describes it (codes, not database ids)."""

    tag: str
    barcode: str | None = None
    owning_code: str | None = None
    current_code: str | None = None
    location: str | None = None
    call_number: str | None = None
    volume: str | None = None
    item_type: str | None = None
    price_fen: int | None = None
    acquired_on: date | None = None
    status: ItemStatus | None = None
    floating: bool = False
    problems: list[str] = field(default_factory=list)  # in English and Chinese: "zh / en"

    @property
    def describes_a_copy(self) -> bool:
        return bool(self.barcode or self.owning_code or self.current_code or self.call_number)

    def __reduce__(self) -> tuple[type[Holding], tuple[object, ...]]:
        # The import prepares records in a worker process; pickling field values
        # positionally is several times faster than the default slots state.
        return (
            Holding,
            (
                self.tag,
                self.barcode,
                self.owning_code,
                self.current_code,
                self.location,
                self.call_number,
                self.volume,
                self.item_type,
                self.price_fen,
                self.acquired_on,
                self.status,
                self.floating,
                self.problems,
            ),
        )


def is_holdings_field(f: Field, flavour: MarcFlavour) -> bool:
    return f.data is None and f.tag in HOLDINGS_TAGS[flavour]


# The subfields that make a holdings field describe a copy: a barcode, a point code,
# a call number (see Holding.describes_a_copy).
_COPY_CODES = {
    "952": frozenset("pabo"),
    "852": frozenset("pbhij"),
    "905": frozenset("bawsde"),
}


def describes_a_copy(f: Field) -> bool:
    """:attr:`Holding.describes_a_copy` without parsing the whole field."""
    codes = _COPY_CODES.get(f.tag, frozenset())
    return any(code in codes and value.strip() for code, value in f.subfields)


def parse_holding(f: Field) -> Holding:
    """The copy a 952, 852 or 905 field describes."""
    if f.tag == "952":
        return _parse_952(f)
    if f.tag == "852":
        return _parse_852(f)
    return _parse_905(f)


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def _date(value: str | None, holding: Holding, where: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value)  # the usual 2019-03-05
    except ValueError:
        pass
    match = _DATE.match(value)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    holding.problems.append(
        f"{where} 的日期 {value!r} 无法识别，未记录入藏日期 / "
        f"date {value!r} in {where} not understood; acquisition date left empty"
    )
    return None


def _price(value: str | None, holding: Holding, where: str) -> int | None:
    if not value or not value.strip():
        return None
    fen = price_fen_from_record(value)
    if fen is None:
        holding.problems.append(
            f"{where} 的价格 {value!r} 不是人民币金额，未记录价格 / "
            f"price {value!r} in {where} is not in yuan; price left empty"
        )
    return fen


def _flag(value: str | None) -> bool:
    return bool(value) and (value or "").strip() not in ("", "0")


def _first_values(f: Field) -> dict[str, str]:
    """Subfield code → its first value (holdings subfields are not repeated)."""
    return dict(reversed(f.subfields))


def _parse_952(f: Field) -> Holding:
    sub = _first_values(f).get
    h = Holding(
        "952",
        barcode=_text(sub("p")),
        owning_code=_text(sub("a")),
        current_code=_text(sub("b")),
        location=_text(sub("c")),
        call_number=_text(sub("o")),
        volume=_text(sub("h")),
        item_type=_text(sub("y")),
        floating=_flag(sub("k")),
    )
    h.price_fen = _price(sub("g") or sub("v"), h, "952$g")
    h.acquired_on = _date(sub("d"), h, "952$d")
    lost = (sub("1") or "").strip()
    if _flag(sub("0")):
        h.status = ItemStatus.WITHDRAWN
    elif lost == "4":
        h.status = ItemStatus.MISSING
    elif _flag(lost):
        h.status = ItemStatus.LOST
    elif _flag(sub("4")):
        h.status = ItemStatus.DAMAGED
    elif (sub("7") or "").strip() == "-1":
        h.status = ItemStatus.PROCESSING
    return h


def _parse_852(f: Field) -> Holding:
    parts = [p for p in (_text(v) for v in f.values("h", "i")) if p]
    call_number = " ".join(parts) or _text(f.get("j"))
    volume = _text(f.get("t"))
    return Holding(
        "852",
        barcode=_text(f.get("p")),
        owning_code=_text(f.get("b")),
        location=_text(f.get("c")),
        call_number=call_number,
        volume=f"c.{volume}" if volume else None,
    )


def _parse_905(f: Field) -> Holding:
    sub = _first_values(f).get
    call_number = _text(sub("s"))
    if call_number is None:
        class_number, book_number = _text(sub("d")), _text(sub("e"))
        if class_number and book_number:
            call_number = f"{class_number}/{book_number}"
        else:
            call_number = class_number or book_number
    h = Holding(
        "905",
        barcode=_text(sub("b")),
        owning_code=_text(sub("a")),
        current_code=_text(sub("w")),
        location=_text(sub("c")),
        call_number=call_number,
        volume=_text(sub("f")),
        item_type=_text(sub("y")),
        floating=_flag(sub("k")),
    )
    h.price_fen = _price(sub("p"), h, "905$p")
    h.acquired_on = _date(sub("g"), h, "905$g")
    status = (sub("q") or "").strip().lower()
    if status:
        try:
            h.status = ItemStatus(status)
        except ValueError:
            h.problems.append(
                f"905$q 的状态 {status!r} 无法识别，按在架处理 / "
                f"status {status!r} in 905$q not understood; item taken as on the shelf"
            )
    return h


# --- writing items back ---


@dataclass(frozen=True)
class ItemForExport:
    """What an exported holdings field says about one item."""

    barcode: str
    owning_code: str
    current_code: str
    location: str | None
    call_number: str | None
    volume: str | None
    item_type: str
    price_fen: int | None
    acquired_on: date | None
    status: ItemStatus
    floating: bool


# Statuses a catalogue export carries; loans, transits and holds belong to
# circulation and end with the export (the copy is on its home shelf again).
_EXPORTED_STATUSES = frozenset(
    {
        ItemStatus.PROCESSING,
        ItemStatus.MISSING,
        ItemStatus.LOST,
        ItemStatus.DAMAGED,
        ItemStatus.WITHDRAWN,
    }
)


def holdings_field(item: ItemForExport, flavour: MarcFlavour) -> Field:
    if flavour is MarcFlavour.CNMARC:
        return _field_905(item)
    return _field_952(item)


def _field_952(item: ItemForExport) -> Field:
    subs: list[tuple[str, str]] = [("a", item.owning_code), ("b", item.current_code)]
    if item.location:
        subs.append(("c", item.location))
    if item.acquired_on:
        subs.append(("d", item.acquired_on.isoformat()))
    if item.price_fen is not None:
        subs.append(("g", format_yuan(item.price_fen)))
    if item.volume:
        subs.append(("h", item.volume))
    if item.floating:
        subs.append(("k", "1"))
    if item.call_number:
        subs.append(("o", item.call_number))
    subs.append(("p", item.barcode))
    subs.append(("y", item.item_type))
    status = item.status
    if status is ItemStatus.WITHDRAWN:
        subs.append(("0", "1"))
    elif status is ItemStatus.LOST:
        subs.append(("1", "1"))
    elif status is ItemStatus.MISSING:
        subs.append(("1", "4"))
    elif status is ItemStatus.DAMAGED:
        subs.append(("4", "1"))
    elif status is ItemStatus.PROCESSING:
        subs.append(("7", "-1"))
    return Field("952", " ", " ", subs)


def _field_905(item: ItemForExport) -> Field:
    subs: list[tuple[str, str]] = [("a", item.owning_code), ("b", item.barcode)]
    if item.location:
        subs.append(("c", item.location))
    if item.call_number:
        class_number, slash, book_number = item.call_number.partition("/")
        if slash and class_number and book_number:
            subs.append(("d", class_number))
            subs.append(("e", book_number))
        subs.append(("s", item.call_number))
    if item.volume:
        subs.append(("f", item.volume))
    subs.append(("y", item.item_type))
    if item.price_fen is not None:
        subs.append(("p", f"CNY{format_yuan(item.price_fen)}"))
    if item.acquired_on:
        subs.append(("g", item.acquired_on.isoformat()))
    if item.current_code != item.owning_code:
        subs.append(("w", item.current_code))
    if item.status in _EXPORTED_STATUSES:
        subs.append(("q", item.status.value))
    if item.floating:
        subs.append(("k", "1"))
    return Field("905", " ", " ", subs)
