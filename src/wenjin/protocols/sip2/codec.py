"""The SIP2 wire format: frames, checksums, fixed and variable fields.

A message is a two-digit code, fixed-length fields in a set order, then variable
fields ``<2-char id><value>|`` in any order (some repeat), then optionally
``AY<seq>AZ<checksum>``, then CR. The layouts below are the 3M SIP2 2.00 ones
(``docs/../shared/reference/SIP2.md`` section 2). No I/O here: the server hands
this module the bytes of one frame and gets the bytes of one frame back.

Why not ``pysip2`` (PyPI, 0.1.0): it is three months old and alpha, brings msgspec
and its own AnyIO server (one encoding for the whole server, while ours is chosen
per kiosk account after the login), and it rejects frames real self-check
machines send (a last field without its ``|``, a missing "required" AC).
This codec is small and lenient in what it reads, strict in what it writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from wenjin.errors import WenjinError

# Fixed fields (name, width) of each message, after its two-digit code.
LAYOUTS: dict[str, tuple[tuple[str, int], ...]] = {
    # requests, self-check (SC) → library system (ACS)
    "93": (("uid_algorithm", 1), ("pwd_algorithm", 1)),
    "99": (("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)),
    "23": (("language", 3), ("transaction_date", 18)),
    "63": (("language", 3), ("transaction_date", 18), ("summary", 10)),
    "11": (
        ("sc_renewal_policy", 1),
        ("no_block", 1),
        ("transaction_date", 18),
        ("nb_due_date", 18),
    ),
    "09": (("no_block", 1), ("transaction_date", 18), ("return_date", 18)),
    "17": (("transaction_date", 18),),
    "29": (
        ("third_party_allowed", 1),
        ("no_block", 1),
        ("transaction_date", 18),
        ("nb_due_date", 18),
    ),
    "65": (("transaction_date", 18),),
    "35": (("transaction_date", 18),),
    "15": (("hold_mode", 1), ("transaction_date", 18)),
    "37": (
        ("transaction_date", 18),
        ("fee_type", 2),
        ("payment_type", 2),
        ("currency_type", 3),
    ),
    "19": (("transaction_date", 18),),
    "25": (("transaction_date", 18),),
    "01": (("card_retained", 1), ("transaction_date", 18)),
    "97": (),
    # responses, ACS → SC
    "96": (),
    "94": (("ok", 1),),
    "98": (
        ("online_status", 1),
        ("checkin_ok", 1),
        ("checkout_ok", 1),
        ("acs_renewal_policy", 1),
        ("status_update_ok", 1),
        ("offline_ok", 1),
        ("timeout_period", 3),
        ("retries_allowed", 3),
        ("date_time_sync", 18),
        ("protocol_version", 4),
    ),
    "24": (("patron_status", 14), ("language", 3), ("transaction_date", 18)),
    "26": (("patron_status", 14), ("language", 3), ("transaction_date", 18)),
    "64": (
        ("patron_status", 14),
        ("language", 3),
        ("transaction_date", 18),
        ("hold_items_count", 4),
        ("overdue_items_count", 4),
        ("charged_items_count", 4),
        ("fine_items_count", 4),
        ("recall_items_count", 4),
        ("unavailable_holds_count", 4),
    ),
    "12": (
        ("ok", 1),
        ("renewal_ok", 1),
        ("magnetic_media", 1),
        ("desensitize", 1),
        ("transaction_date", 18),
    ),
    "10": (
        ("ok", 1),
        ("resensitize", 1),
        ("magnetic_media", 1),
        ("alert", 1),
        ("transaction_date", 18),
    ),
    "18": (
        ("circulation_status", 2),
        ("security_marker", 2),
        ("fee_type", 2),
        ("transaction_date", 18),
    ),
    "30": (
        ("ok", 1),
        ("renewal_ok", 1),
        ("magnetic_media", 1),
        ("desensitize", 1),
        ("transaction_date", 18),
    ),
    "66": (
        ("ok", 1),
        ("renewed_count", 4),
        ("unrenewed_count", 4),
        ("transaction_date", 18),
    ),
    "36": (("end_session", 1), ("transaction_date", 18)),
    "16": (("ok", 1), ("available", 1), ("transaction_date", 18)),
    "38": (("payment_accepted", 1), ("transaction_date", 18)),
    "20": (("item_properties_ok", 1), ("transaction_date", 18)),
}

# Fields whose values never reach a log: the reader's PIN, the login and terminal passwords.
SECRET_FIELDS = frozenset({"AD", "CO", "AC"})

DELIMITER = "|"
MAX_VALUE = 255
_FIELD_ID = re.compile(r"[A-Z][A-Z0-9]")
# The PyPI ``sip2`` client writes the checksum without leading zeros (``'X'``, not
# ``'04X'``): accept one to four hex digits, the sum still has to come to zero.
_TRAILER = re.compile(rb"(?:AY(\d))?AZ([0-9A-Fa-f]{1,4})$")


class FrameError(WenjinError):
    """A frame that cannot be read: the server answers 96 (please resend)."""

    code = "sip2_frame"


class ChecksumMismatch(FrameError):
    code = "sip2_checksum"

    def __init__(self) -> None:
        super().__init__("SIP2 校验和不符", "SIP2 checksum does not match")


@dataclass
class Message:
    """One SIP2 message: its code, fixed fields by name, variable fields in order."""

    code: str
    fixed: dict[str, str] = field(default_factory=dict)
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, field_id: str, default: str = "") -> str:
        for fid, value in self.fields:
            if fid == field_id:
                return value
        return default

    def has(self, field_id: str) -> bool:
        return any(fid == field_id for fid, _ in self.fields)

    def all(self, field_id: str) -> list[str]:
        return [value for fid, value in self.fields if fid == field_id]

    def add(self, field_id: str, value: str | None) -> Message:
        """Append a variable field (nothing when ``value`` is None); returns self to chain."""
        if value is not None:
            self.fields.append((field_id, value))
        return self

    def extend(self, field_id: str, values: Iterable[str]) -> Message:
        for value in values:
            self.add(field_id, value)
        return self


@dataclass(frozen=True)
class Frame:
    """A received frame, checked: the message and its error-detection trailer, if any."""

    message: Message
    sequence: str | None  # the AY digit, echoed in the answer
    checksummed: bool


# --- checksums -------------------------------------------------------------------------


def checksum(data: bytes) -> str:
    """Two's complement of the 16-bit sum of the bytes up to and including ``AZ``."""
    return format((-sum(data)) & 0xFFFF, "04X")


def split_trailer(body: bytes) -> tuple[bytes, str | None, bool]:
    """``(payload, sequence, checksummed)`` of a frame without its CR; raises on a bad sum."""
    match = _TRAILER.search(body)
    if match is None:
        return body, None, False
    if (sum(body[: match.start(2)]) + int(match.group(2), 16)) & 0xFFFF:
        raise ChecksumMismatch()
    sequence = match.group(1).decode("ascii") if match.group(1) else None
    return body[: match.start()], sequence, True


# --- reading ---------------------------------------------------------------------------


def code_of(payload: bytes) -> str:
    return payload[:2].decode("ascii", errors="replace")


def parse(text: str) -> Message:
    """A message from its text (no trailer, no CR). Raises :class:`FrameError`."""
    code = text[:2]
    layout = LAYOUTS.get(code)
    if layout is None or not code.isdigit():
        raise FrameError(f"未知的 SIP2 消息 {code!r}", f"unknown SIP2 message {code!r}")
    position = 2
    fixed: dict[str, str] = {}
    for name, width in layout:
        value = text[position : position + width]
        if len(value) != width:
            raise FrameError(
                f"SIP2 消息 {code} 的定长字段不完整", f"SIP2 message {code}: fixed fields cut short"
            )
        fixed[name] = value
        position += width
    fields: list[tuple[str, str]] = []
    for piece in text[position:].split(DELIMITER):
        if not piece:
            continue
        field_id = piece[:2]
        if not _FIELD_ID.fullmatch(field_id):
            raise FrameError(
                f"SIP2 消息 {code} 中有无法识别的字段 {piece[:8]!r}",
                f"SIP2 message {code}: unreadable field {piece[:8]!r}",
            )
        fields.append((field_id, piece[2:]))
    return Message(code, fixed, fields)


def read_frame(body: bytes, encoding: str) -> Frame:
    """Check and decode one frame (CR and LF already stripped)."""
    payload, sequence, checksummed = split_trailer(body)
    try:
        text = payload.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FrameError(
            f"SIP2 消息不是 {encoding} 编码", f"SIP2 message is not {encoding} text"
        ) from exc
    return Frame(parse(text), sequence, checksummed)


# --- writing ---------------------------------------------------------------------------


def _clean(value: str) -> str:
    """A value that cannot break the frame: no delimiter, no CR/LF, at most 255 characters."""
    value = value.replace(DELIMITER, "&#124;").replace("\r", " ").replace("\n", " ")
    return value[:MAX_VALUE]


def render(message: Message) -> str:
    layout = LAYOUTS[message.code]
    parts = [message.code]
    for name, width in layout:
        value = message.fixed.get(name, "")
        if len(value) != width:
            raise ValueError(f"SIP2 {message.code}.{name} must be {width} chars: {value!r}")
        parts.append(value)
    parts.extend(f"{fid}{_clean(value)}{DELIMITER}" for fid, value in message.fields)
    return "".join(parts)


def encode(message: Message, encoding: str, *, sequence: str | None, checksummed: bool) -> bytes:
    """The bytes of a frame, with ``AY``/``AZ`` when the request had them, and the CR."""
    data = render(message).encode(encoding, errors="replace")
    return add_trailer(data, sequence=sequence, checksummed=checksummed) + b"\r"


def add_trailer(data: bytes, *, sequence: str | None, checksummed: bool) -> bytes:
    if not checksummed:
        return data
    if sequence is not None:
        data += b"AY" + sequence.encode("ascii")
    data += b"AZ"
    return data + checksum(data).encode("ascii")


# --- field values ----------------------------------------------------------------------


def sip_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """``YYYYMMDDZZZZHHMMSS`` in local time (ZZZZ blank), as the spec prefers."""
    return moment.astimezone(tz).strftime("%Y%m%d    %H%M%S")


def sip_date(day: date) -> str:
    """A due date: the day, to the end of it, in local time."""
    return day.strftime("%Y%m%d") + "    235959"


def flag(value: bool) -> str:
    return "Y" if value else "N"


def count(value: int) -> str:
    return f"{min(value, 9999):04d}"


def mask_secrets(text: str) -> str:
    """The text of a message fit for a log: PINs and passwords replaced by ``****``."""
    layout = LAYOUTS.get(text[:2])
    start = 2 + sum(width for _, width in layout) if layout is not None else 0
    pieces = text[start:].split(DELIMITER)
    masked = [
        f"{piece[:2]}****" if piece[:2] in SECRET_FIELDS and len(piece) > 2 else piece
        for piece in pieces
    ]
    return text[:start] + DELIMITER.join(masked)
