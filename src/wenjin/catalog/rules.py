"""The catalogue's rules, as a cataloguer would state them: no database here.

- What a barcode may look like, and how Wenjin numbers the ones it prints itself.
- Prices: what a librarian types (yuan, ``45.80``) and what records carry
  (``CNY68.00``), both kept as integer fen.
- The item types every network starts with, and how other systems' type codes map
  onto them.
- When two records are the same record: the title key and the content fingerprint
  used to match a re-imported record to the one already in the catalogue.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from wenjin.catalog.errors import InvalidBarcode, InvalidPrice
from wenjin.catalog.marc.record import MarcRecord

# --- barcodes ---

BARCODE_MIN_LENGTH = 4
BARCODE_MAX_LENGTH = 32

# Barcodes Wenjin prints itself (for copies imported without one): a letter and nine
# digits, numbered from one counter for the whole network (see services).
GENERATED_BARCODE_PREFIX = "W"
GENERATED_BARCODE_DIGITS = 9


def is_scannable(barcode: str) -> bool:
    """True for what a scanner could produce: 4–32 printable ASCII characters, no space."""
    return (
        BARCODE_MIN_LENGTH <= len(barcode) <= BARCODE_MAX_LENGTH
        and barcode.isascii()
        and barcode.isprintable()
        and " " not in barcode
    )


def check_barcode(barcode: str) -> str:
    """The barcode if a scanner could have produced it; :class:`InvalidBarcode` if not."""
    if is_scannable(barcode):
        return barcode
    if not BARCODE_MIN_LENGTH <= len(barcode) <= BARCODE_MAX_LENGTH:
        raise InvalidBarcode(
            barcode,
            f"长度应为 {BARCODE_MIN_LENGTH}–{BARCODE_MAX_LENGTH} 个字符（现为 {len(barcode)}）",
            f"it must be {BARCODE_MIN_LENGTH}–{BARCODE_MAX_LENGTH} characters long "
            f"(it is {len(barcode)})",
        )
    for char in barcode:
        if char == " ":
            raise InvalidBarcode(barcode, "不能含空格", "it contains a space")
        if not (char.isascii() and char.isprintable()):
            raise InvalidBarcode(
                barcode,
                f"只能含可打印的 ASCII 字符（不能有 {char!a}）",
                f"only printable ASCII characters are allowed (not {char!a})",
            )
    return barcode


def generated_barcode(number: int) -> str:
    """The printed form of generated barcode number ``number``: ``W000000042``."""
    return f"{GENERATED_BARCODE_PREFIX}{number:0{GENERATED_BARCODE_DIGITS}d}"


# --- prices ---

_YUAN = re.compile(r"^\s*(?:CNY|RMB|[¥￥])?\s*(\d{1,9}(?:\.\d{1,2})?)\s*元?\s*$", re.IGNORECASE)
_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")
_SIMPLE_CNY = re.compile(r"CNY(\d{1,7})(?:\.(\d\d))?$")
_CNY_MARKERS = ("CNY", "RMB", "¥", "￥", "元")
_OTHER_CURRENCY = re.compile(r"[$£€₩₹]|[A-Z]{3}|HK|NT|US", re.IGNORECASE)


def parse_yuan(text: str) -> int:
    """A price typed by a librarian (``45.80``, ``¥45.8``, ``45元``) in fen; strict."""
    match = _YUAN.match(text)
    if match is None:
        raise InvalidPrice(text)
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets numbers through
        raise InvalidPrice(text) from exc
    return int(amount * 100)


def price_fen_from_record(text: str | None) -> int | None:
    """The price a record carries (020 $c, 010 $d, holdings) in fen, if it is in yuan.

    ``CNY68.00`` → 6800, ``CNY赠90.00`` (a gift, priced 90.00) → 9000, ``68.00元`` →
    6800, a bare ``45.80`` → 4580 (Chinese systems often leave the currency out);
    ``£20.00`` or ``USD25`` → None: the catalogue keeps prices in yuan only.
    """
    if not text:
        return None
    simple = _SIMPLE_CNY.match(text)
    if simple is not None:  # the usual CNY59.70
        return int(simple.group(1)) * 100 + int(simple.group(2) or 0)
    upper = text.upper()
    is_cny = any(marker in upper for marker in _CNY_MARKERS)
    if not is_cny and _OTHER_CURRENCY.search(upper):
        return None
    match = _AMOUNT.search(text)
    if match is None:
        return None
    try:
        amount = Decimal(match.group(0).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None
    fen = int(amount * 100)
    return fen if 0 <= fen < 2**31 else None


def format_yuan(fen: int) -> str:
    """``4580`` → ``"45.80"``."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


# --- item types ---


@dataclass(frozen=True)
class ItemTypeSpec:
    code: str
    name: str
    name_en: str
    lendable: bool = True


DEFAULT_ITEM_TYPES: tuple[ItemTypeSpec, ...] = (
    ItemTypeSpec("BOOK", "普通图书", "Book"),
    ItemTypeSpec("CHILD", "少儿图书", "Children's book"),
    ItemTypeSpec("REF", "工具书", "Reference (not for loan)", lendable=False),
    ItemTypeSpec("PERIODICAL", "期刊", "Periodical"),
    ItemTypeSpec("AV", "视听资料", "Audiovisual"),
    ItemTypeSpec("LOCAL", "地方文献", "Local documents (not for loan)", lendable=False),
)

DEFAULT_ITEM_TYPE = "BOOK"

# What other systems write in their holdings for these types (Koha's defaults, the
# Chinese names on dp2 / Interlib exports).
ITEM_TYPE_ALIASES: dict[str, str] = {
    "BK": "BOOK",
    "BOOKS": "BOOK",
    "图书": "BOOK",
    "普通图书": "BOOK",
    "中文图书": "BOOK",
    "外文图书": "BOOK",
    "JUV": "CHILD",
    "CHILDREN": "CHILD",
    "少儿图书": "CHILD",
    "儿童图书": "CHILD",
    "REFERENCE": "REF",
    "工具书": "REF",
    "CR": "PERIODICAL",
    "SER": "PERIODICAL",
    "SERIAL": "PERIODICAL",
    "PER": "PERIODICAL",
    "期刊": "PERIODICAL",
    "报纸": "PERIODICAL",
    "VM": "AV",
    "MU": "AV",
    "CF": "AV",
    "DVD": "AV",
    "CD": "AV",
    "视听资料": "AV",
    "音像资料": "AV",
    "光盘": "AV",
    "地方文献": "LOCAL",
}


def item_type_code_for(given: str | None, known: set[str]) -> str | None:
    """The Wenjin item type for a holdings type code, or None when it maps to nothing."""
    if not given:
        return DEFAULT_ITEM_TYPE if DEFAULT_ITEM_TYPE in known else None
    code = given.strip().upper()
    if code in known:
        return code
    alias = ITEM_TYPE_ALIASES.get(code) or ITEM_TYPE_ALIASES.get(given.strip())
    return alias if alias in known else None


# --- matching a record to the catalogue ---

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str, medium: str | None = None) -> str:
    """A title reduced to what identifies it: case, width, spaces and punctuation dropped.

    Part numbers stay in (they are in the title), so the volumes of a Chinese
    multi-volume set, which often share one ISBN, never collapse into one record; the
    medium (245 $h, 200 $b: 电子资源) keeps an e-book apart from the print edition.
    """
    text = unicodedata.normalize("NFKC", f"{title} {medium or ''}").casefold()
    return _NOT_WORD.sub("", text)


# Fields that change every time a record is exported or edited elsewhere, and say
# nothing about the work: left out of the fingerprint.
_VOLATILE_TAGS = frozenset({"001", "003", "005"})


def record_fingerprint(record: MarcRecord, field_json: list[str] | None = None) -> str:
    """SHA-1 of a record's content: the leader's coded data and every stable field.

    ``field_json`` (from :meth:`MarcRecord.field_json`) saves encoding the fields twice.
    """
    parts = field_json if field_json is not None else record.field_json()
    leader = record.leader
    stable = [leader[5:10] + leader[17:20]]
    stable.extend(
        part for f, part in zip(record.fields, parts, strict=True) if f.tag not in _VOLATILE_TAGS
    )
    return hashlib.sha1("\n".join(stable).encode("utf-8")).hexdigest()


def record_source(given: str | None, record: MarcRecord) -> str:
    """Where a record comes from, for matching on (source, 001): ``--source``, 003, or local."""
    if given:
        return given
    org = (record.control("003") or "").strip()
    return org[:64] if org else "local"


def marc_hash(marc_json: str) -> str:
    """The version of a stored record an editor opened: SHA-1 of its MARC-in-JSON text.

    The editor sends it back with the changes; a save over a record whose hash is no
    longer this one (someone else saved in between) is refused.
    """
    return hashlib.sha1(marc_json.encode("utf-8")).hexdigest()


# --- call numbers and spine labels (书标) ---

_CALL_NUMBER_SEPARATORS = ("/", "\\")


def split_call_number(call_number: str | None) -> tuple[str, str]:
    """A CLC call number as a spine label prints it: class number over book number.

    ``I247.5/123`` → ``("I247.5", "123")``; ``K825.6=76/12`` → ``("K825.6=76", "12")``
    (the class keeps its auxiliary numbers); a call number with no ``/`` is all class.
    """
    text = (call_number or "").strip()
    for separator in _CALL_NUMBER_SEPARATORS:
        class_part, found, book_part = text.partition(separator)
        if found:
            return class_part.strip(), book_part.strip()
    return text, ""
