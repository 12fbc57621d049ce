"""Reading MARC files: ISO 2709, MARCXML and MARC-in-JSON, one record at a time.

Every reader yields, in file order, either an :class:`IncomingRecord` (decoded to
Unicode, its flavour known) or an :class:`UnreadableRecord` (its position, byte
offset, 001 when it could be found, and the reason in words), and then carries on
with the next record: one bad record never stops a file.

ISO 2709 is read record by record from the leader's length, falling back to the
record terminator (0x1D) when the length is wrong, and to the field terminators
when the directory is damaged. Such records are *recovered*, and the
:attr:`IncomingRecord.notes` say how, so that the import report can tell the
cataloguer. A record whose text is not valid in its character set is rejected,
never decoded with replacement characters (see :mod:`.charsets`).

MARCXML is split into ``<record>`` elements textually and each one is parsed on
its own, because one record with a raw control character makes the whole document
invalid XML; SRU responses (records inside ``<recordData>``) read the same way.
MARC-in-JSON may be one object, an array, or one object per line.
"""

from __future__ import annotations

import itertools
import json
import mmap
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Literal

import pymarc

from wenjin.catalog.marc.charsets import (
    GB18030,
    MARC8,
    UTF8,
    Charset,
    CharsetError,
    decode_marc8,
    is_utf8,
    normalise_encoding_name,
    unimarc_charset_codes,
    unimarc_declares_gb,
    unimarc_declares_unicode,
)
from wenjin.catalog.marc.flavour import detect_flavour
from wenjin.catalog.marc.record import (
    LEADER_LENGTH,
    Field,
    MarcRecord,
    MarcStructureError,
    is_control_tag,
)
from wenjin.catalog.states import MarcFlavour

FileFormat = Literal["iso2709", "marcxml", "json"]

RECORD_TERMINATOR = 0x1D
FIELD_TERMINATOR = 0x1E
SUBFIELD_DELIMITER = 0x1F


@dataclass(frozen=True)
class Reason:
    """Why a record was rejected or how it was recovered, in Chinese and in English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass
class IncomingRecord:
    """A record read from a file (or built by a program), ready for ``save_records``.

    ``record`` is Unicode text already: a :class:`pymarc.Record` from a caller, or the
    lighter :class:`MarcRecord` from Wenjin's own readers. ``position`` is 1-based
    within its file; ``offset`` is the byte offset where the record starts, when
    known; ``raw`` is the record as it was in an ISO 2709 file, kept so that a record
    refused later can be written to the rejects file as it came.
    """

    record: pymarc.Record | MarcRecord
    flavour: MarcFlavour
    position: int
    offset: int | None = None
    raw: bytes | None = None
    notes: list[Reason] = field(default_factory=list)


@dataclass
class UnreadableRecord:
    """A record that could not be read: where it is and why."""

    position: int
    offset: int | None
    control_number: str | None
    reason: Reason
    raw: bytes | None = None


ReadResult = IncomingRecord | UnreadableRecord


class MarcFileUnreadable(Exception):
    """The file as a whole cannot be read (missing, empty, not MARC at all)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(str(reason))
        self.reason = reason


class _Reject(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.reason = Reason(zh, en)


def printable(text: str) -> str:
    """``text`` stripped, with control characters shown as escapes (for reports)."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text.strip())


# --- opening a file ---


class MarcFile:
    """A MARC file opened for reading; iterate it for :data:`ReadResult` items.

    ``bytes_done`` follows the reading, for a progress bar over ``size`` bytes.
    """

    def __init__(
        self,
        source: Path | str | bytes,
        *,
        encoding: str | None = None,
        flavour: MarcFlavour | None = None,
    ) -> None:
        self.encoding = encoding
        self.flavour = flavour
        self._mmap: mmap.mmap | None = None
        self._file = None
        if isinstance(source, bytes):
            self.name = "<bytes>"
            self.data: bytes | mmap.mmap = source
        else:
            path = Path(source)
            self.name = str(path)
            try:
                self._file = path.open("rb")
            except OSError as exc:
                raise MarcFileUnreadable(
                    Reason(f"无法打开文件 {path}：{exc.strerror}", f"cannot open {path}: {exc}")
                ) from exc
            try:
                self._mmap = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError as exc:  # an empty file cannot be mapped
                self.close()
                raise MarcFileUnreadable(Reason(f"文件 {path} 是空的", f"{path} is empty")) from exc
            self.data = self._mmap
        self.size = len(self.data)
        self.bytes_done = 0
        try:
            self.format: FileFormat = sniff_format(self.data[:65536], self.name)
        except MarcFileUnreadable:
            self.close()
            raise

    def __iter__(self) -> Iterator[ReadResult]:
        if self.format == "iso2709":
            return self._read_iso2709()
        if self.format == "marcxml":
            return self._read_marcxml()
        return self._read_json()

    def close(self) -> None:
        if self._mmap is not None:
            self._mmap.close()
            self._mmap = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> MarcFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- ISO 2709 ---

    def _read_iso2709(self) -> Iterator[ReadResult]:
        override = _charset_override(self.encoding)
        for position, (offset, chunk, notes) in enumerate(_split_iso2709(self.data), start=1):
            self.bytes_done = offset + len(chunk)
            context = _ChunkContext()
            try:
                record, flavour = _parse_iso2709(chunk, override, self.flavour, notes, context)
            except _Reject as reject:
                yield UnreadableRecord(
                    position, offset, context.control_number, reject.reason, raw=chunk
                )
                continue
            yield IncomingRecord(record, flavour, position, offset, raw=chunk, notes=notes)
        self.bytes_done = self.size

    # --- MARCXML ---

    def _read_marcxml(self) -> Iterator[ReadResult]:
        override = _charset_override(self.encoding)
        encoding = override.name if override is not None else _xml_encoding(self.data[:512])
        namespaces: dict[str, str] = {}
        line = 1
        scanned = 0
        position = 0
        start: int | None = None
        for match in _XML_RECORD_TAG.finditer(self.data):
            closing, attributes = match.group(1), match.group(2)
            if not closing:
                if attributes.endswith(b"/"):
                    continue  # <record/>: nothing in it
                gap = self.data[scanned : match.start()]
                line += gap.count(b"\n")
                _collect_namespaces(gap, namespaces)
                scanned = match.start()
                start = match.start()
                continue
            if start is None:
                continue  # the end of a wrapper <record> (SRU) around a MARC record
            snippet = self.data[start : match.end()]
            position += 1
            self.bytes_done = match.end()
            yield _parse_xml_record(
                snippet, position, start, line, encoding, namespaces, self.flavour
            )
            line += snippet.count(b"\n")
            scanned = match.end()
            start = None
        self.bytes_done = self.size

    # --- MARC-in-JSON ---

    def _read_json(self) -> Iterator[ReadResult]:
        try:
            text = bytes(self.data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MarcFileUnreadable(
                Reason(
                    f"JSON 文件不是 UTF-8 编码（第 {exc.start} 字节）",
                    f"the JSON file is not UTF-8 (byte {exc.start})",
                )
            ) from exc
        stripped = text.lstrip()
        if stripped.startswith("["):
            try:
                items = json.loads(text, strict=False)
            except json.JSONDecodeError as exc:
                raise MarcFileUnreadable(
                    Reason(
                        f"JSON 语法错误：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）",
                        f"JSON syntax error at line {exc.lineno} column {exc.colno}: {exc.msg}",
                    )
                ) from exc
            for position, item in enumerate(items, start=1):
                self.bytes_done = self.size * position // max(len(items), 1)
                yield _json_record(item, position, self.flavour)
            self.bytes_done = self.size
            return
        yield from self._read_json_objects(text)

    def _read_json_objects(self, text: str) -> Iterator[ReadResult]:
        """One object, or several one after another (one per line, as JSON Lines has it)."""
        decoder = json.JSONDecoder(strict=False)
        index, length, position = 0, len(text), 0
        while True:
            while index < length and text[index] in " \t\r\n":
                index += 1
            if index >= length:
                break
            position += 1
            try:
                item, end = decoder.raw_decode(text, index)
            except json.JSONDecodeError as exc:
                next_line = text.find("\n", index)
                line = text.count("\n", 0, index) + 1
                yield UnreadableRecord(
                    position,
                    None,
                    None,
                    Reason(
                        f"第 {line} 行起的记录有 JSON 语法错误（第 {exc.lineno} 行第 {exc.colno} 列："
                        f"{exc.msg}）",
                        f"JSON syntax error in the record starting at line {line} "
                        f"({exc.msg} at line {exc.lineno} column {exc.colno})",
                    ),
                )
                if next_line < 0:
                    break
                index = next_line + 1
                continue
            index = end
            self.bytes_done = self.size * index // max(length, 1)
            yield _json_record(item, position, self.flavour)
        self.bytes_done = self.size


def sniff_format(head: bytes, name: str = "") -> FileFormat:
    """ISO 2709, MARCXML or MARC-in-JSON, from the first bytes of a file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "marcxml"
    if text.startswith((b"{", b"[")):
        return "json"
    if text[:5].isdigit() or (b"\x1e" in head and b"\x1d" in head):
        return "iso2709"
    raise MarcFileUnreadable(
        Reason(
            f"{name} 不是 MARC 文件（支持 ISO 2709、MARCXML、MARC-in-JSON）",
            f"{name} is not a MARC file (ISO 2709, MARCXML or MARC-in-JSON expected)",
        )
    )


def _charset_override(encoding: str | None) -> Charset | None:
    if encoding is None:
        return None
    try:
        return Charset(normalise_encoding_name(encoding), "--encoding")
    except LookupError as exc:
        raise MarcFileUnreadable(
            Reason(f"不认识的编码 {encoding!r}", f"unknown encoding {encoding!r}")
        ) from exc


# --- ISO 2709 ---

_PADDING = frozenset(b" \t\r\n\x00\x1a")


def _split_iso2709(data: bytes | mmap.mmap) -> Iterator[tuple[int, bytes, list[Reason]]]:
    """``(offset, record bytes, notes)`` for each record, resynchronising on terminators."""
    size = len(data)
    pos = 0
    while True:
        while pos < size and data[pos] in _PADDING:
            pos += 1
        if pos >= size:
            return
        notes: list[Reason] = []
        head = data[pos : pos + 5]
        declared = int(head) if head.isdigit() else None
        first_end = data.find(b"\x1d", pos)
        if declared is not None and declared > LEADER_LENGTH and first_end == pos + declared - 1:
            end = pos + declared
        else:
            end = size if first_end < 0 else first_end + 1
            if first_end < 0:
                notes.append(
                    Reason(
                        "记录没有结束符（1D），读到了文件末尾",
                        "the record has no terminator (1D); read to the end of the file",
                    )
                )
            elif declared is None:
                notes.append(
                    Reason(
                        f"头标的记录长度 {head.decode('latin-1')!r} 不是数字，按记录结束符读取",
                        f"the record length {head.decode('latin-1')!r} in the leader is not a "
                        "number; read up to the record terminator",
                    )
                )
            else:
                notes.append(
                    Reason(
                        f"头标中的记录长度 {declared} 有误，按记录结束符读取（实际 {end - pos} 字节）",
                        f"the record length in the leader ({declared}) is wrong; read up to the "
                        f"record terminator ({end - pos} bytes)",
                    )
                )
        yield pos, bytes(data[pos:end]), notes
        pos = end


@dataclass
class _ChunkContext:
    control_number: str | None = None


def _parse_iso2709(
    chunk: bytes,
    override: Charset | None,
    flavour_override: MarcFlavour | None,
    notes: list[Reason],
    context: _ChunkContext,
) -> tuple[MarcRecord, MarcFlavour]:
    if len(chunk) <= LEADER_LENGTH:
        raise _Reject(
            f"只有 {len(chunk)} 字节，不是一条完整的记录",
            f"only {len(chunk)} bytes: not a whole record",
        )
    if not chunk[:LEADER_LENGTH].isascii():
        raise _Reject("头标含有非 ASCII 字节", "the leader contains non-ASCII bytes")
    leader = chunk[:LEADER_LENGTH].decode("ascii")

    base_text = chunk[12:17]
    base = int(base_text) if base_text.isdigit() else -1
    if not (LEADER_LENGTH < base <= len(chunk)) or chunk[base - 1] != FIELD_TERMINATOR:
        directory_end = chunk.find(b"\x1e", LEADER_LENGTH)
        if directory_end < 0:
            raise _Reject("找不到目次区的结束符", "the directory has no terminator")
        base = directory_end + 1
        notes.append(
            Reason(
                f"头标中的数据基地址 {base_text.decode('latin-1')!r} 有误，按目次结束符改为 {base}",
                f"the base address {base_text.decode('latin-1')!r} in the leader is wrong; "
                f"used {base} from the directory terminator",
            )
        )
    directory = chunk[LEADER_LENGTH : base - 1]
    entries = len(directory) // 12
    if len(directory) % 12:
        notes.append(
            Reason(
                f"目次长度 {len(directory)} 不是 12 的倍数，末尾多余的字节已忽略",
                f"the directory is {len(directory)} bytes, not a multiple of 12; the extra "
                "bytes were ignored",
            )
        )
    if entries == 0:
        raise _Reject("记录没有字段", "the record has no fields")
    directory_text = directory.decode("latin-1")
    tags = [directory_text[i : i + 3] for i in range(0, entries * 12, 12)]
    joined_tags = "".join(tags)
    if not (joined_tags.isascii() and joined_tags.isprintable()):
        bad = next(tag for tag in tags if not (tag.isascii() and tag.isprintable()))
        raise _Reject(f"目次损坏：字段标识 {bad!r} 无效", f"damaged directory: tag {bad!r}")

    body = chunk[base:]
    if body.endswith(b"\x1d"):
        body = body[:-1]
    raw_fields, in_order = _field_bytes(body, directory_text, tags, notes)
    if "001" in tags:
        raw_001 = raw_fields[tags.index("001")][1]
        context.control_number = printable(raw_001.decode("latin-1")) or None

    def raw_100() -> bytes | None:
        return raw_fields[tags.index("100")][1] if "100" in tags else None

    flavour = flavour_override or detect_flavour(tags, lambda: _raw_subfield_a(raw_100()))
    charset = override or _record_charset(leader, flavour, raw_100(), body, notes)
    fields = _decode_fields(raw_fields, charset, notes, body if in_order else None)
    return MarcRecord(leader, fields), flavour


def _field_bytes(
    body: bytes, directory: str, tags: list[str], notes: list[Reason]
) -> tuple[list[tuple[str, bytes]], bool]:
    """The raw bytes of every field, from the directory or, failing that, the terminators.

    The flag says whether the fields are the body's pieces in order, one after the
    other (the common case, which lets the body be decoded in one go).
    """
    pieces = body.split(b"\x1e")
    if pieces and pieces[-1] == b"":
        pieces.pop()
    count = len(tags)
    try:
        lengths = list(map(int, [directory[i + 3 : i + 7] for i in range(0, count * 12, 12)]))
        offsets = list(map(int, [directory[i + 7 : i + 12] for i in range(0, count * 12, 12)]))
    except ValueError:
        lengths = offsets = []
    if lengths:
        if (
            len(pieces) == count
            and lengths == [len(p) + 1 for p in pieces]
            and offsets == [0, *itertools.accumulate(lengths[:-1])]
        ):
            return list(zip(tags, pieces, strict=True)), True
        # Legal but rare: fields in another order than the directory lists them.
        fields: list[tuple[str, bytes]] = []
        for tag, offset, length in zip(tags, offsets, lengths, strict=True):
            end = offset + length
            if length < 1 or end > len(body) or body[end - 1] != FIELD_TERMINATOR:
                break
            fields.append((tag, body[offset : end - 1]))
        else:
            return fields, False
    if len(pieces) == count:
        notes.append(
            Reason(
                "目次中的字段长度或起始位置有误，已按字段结束符依次读取各字段",
                "the directory's field lengths or offsets are wrong; the fields were read in "
                "order from their terminators",
            )
        )
        return list(zip(tags, pieces, strict=True)), True
    raise _Reject(
        f"目次列出 {count} 个字段，数据区却有 {len(pieces)} 个，无法对应",
        f"the directory lists {count} fields but the data holds {len(pieces)}",
    )


def _raw_subfield_a(raw: bytes | None) -> str | None:
    """Subfield $a of a raw field, as Latin-1 text (enough for fixed-length ASCII data)."""
    if raw is None:
        return None
    for part in raw.split(b"\x1f")[1:]:
        if part[:1] == b"a":
            return part[1:].decode("latin-1")
    return None


def _record_charset(
    leader: str,
    flavour: MarcFlavour,
    raw_100: bytes | None,
    body: bytes,
    notes: list[Reason],
) -> Charset:
    if flavour is MarcFlavour.MARC21:
        if leader[9] == "a":
            return Charset(UTF8, "leader/9")
        if body.isascii():
            return Charset(UTF8, "ASCII")
        if b"\x1b" not in body and is_utf8(body):
            notes.append(
                Reason(
                    "头标第 9 位表示 MARC-8，但文字是有效的 UTF-8，已按 UTF-8 读取",
                    "leader/9 says MARC-8 but the text is valid UTF-8; read as UTF-8",
                )
            )
            return Charset(UTF8, "sniffed")
        return Charset(MARC8, "leader/9")

    general = _raw_subfield_a(raw_100)
    if leader[9] == "a" or (general is not None and unimarc_declares_unicode(general)):
        return Charset(UTF8, "100$a/26-29")
    if body.isascii():
        return Charset(UTF8, "ASCII")
    if general is None:
        if is_utf8(body):
            return Charset(UTF8, "sniffed")
        notes.append(
            Reason(
                "记录没有 100 字段说明字符集，已按 GB18030 读取",
                "no 100 field gives the character set; read as GB18030",
            )
        )
        return Charset(GB18030, "no 100")
    if unimarc_declares_gb(general):
        return Charset(GB18030, "100$a/26-29")
    codes = "".join(unimarc_charset_codes(general))
    if is_utf8(body):
        notes.append(
            Reason(
                f"100$a/26-29 为 {codes!r}，但文字是有效的 UTF-8，已按 UTF-8 读取",
                f"100$a/26-29 is {codes!r} but the text is valid UTF-8; read as UTF-8",
            )
        )
        return Charset(UTF8, "sniffed")
    raise _Reject(
        f"100$a/26-29 的字符集代码 {codes!r} 不受支持；请把文件转换为 UTF-8，或用 --encoding 指定编码",
        f"character set {codes!r} in 100$a/26-29 is not supported; convert the file to UTF-8 "
        "or give --encoding",
    )


# A subfield delimiter followed by anything but a printable ASCII code (or nothing).
_ODD_SUBFIELD_CODE = re.compile("\x1f[^!-~]|\x1f$")


def _decode_fields(
    raw_fields: list[tuple[str, bytes]],
    charset: Charset,
    notes: list[Reason],
    body: bytes | None = None,
) -> list[Field]:
    codec = charset.name
    if body is not None and codec != MARC8:
        fields = _decode_body(raw_fields, codec, body)
        if fields is not None:
            return fields
    fields = []
    marc8 = codec == MARC8
    for tag, raw in raw_fields:
        if marc8:
            fields.append(_decode_marc8_field(tag, raw, notes))
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start : exc.end].hex(" ").upper()
            raise _Reject(
                f"字段 {tag} 的文字不是有效的 {codec.upper()}（第 {exc.start} 字节 {bad}）"
                f"{_encoding_hint(charset)}",
                f"field {tag} is not valid {codec.upper()} (byte {bad} at {exc.start})"
                f"{_encoding_hint_en(charset)}",
            ) from None
        except LookupError:
            raise _Reject(f"不认识的编码 {codec}", f"unknown encoding {codec}") from None
        if is_control_tag(tag):
            fields.append(Field(tag, data=text))
        else:
            fields.append(_data_field(tag, text, notes))
    return fields


def _decode_body(
    raw_fields: list[tuple[str, bytes]], codec: str, body: bytes
) -> list[Field] | None:
    """The fast path: the whole body decoded at once, every field regular. None if not."""
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None  # the field-by-field path names the field and the byte
    if _ODD_SUBFIELD_CODE.search(text):
        return None
    fields: list[Field] = []
    append = fields.append
    pieces = text.split("\x1e")
    if len(pieces) < len(raw_fields):
        return None
    for (tag, _), piece in zip(raw_fields, pieces, strict=False):
        if tag < "010" and tag.isdigit():
            append(Field(tag, data=piece))
            continue
        indicators, *parts = piece.split("\x1f")
        if len(indicators) != 2:
            return None
        append(Field(tag, indicators[0], indicators[1], [(p[0], p[1:]) for p in parts]))
    return fields


def _encoding_hint(charset: Charset) -> str:
    if charset.declared_by == "--encoding":
        return ""
    return "；若整个文件是别的编码，请用 --encoding 指定"


def _encoding_hint_en(charset: Charset) -> str:
    if charset.declared_by == "--encoding":
        return ""
    return f" as {charset.declared_by} says; if the file is in another encoding, give --encoding"


def _data_field(tag: str, text: str, notes: list[Reason]) -> Field:
    parts = text.split("\x1f")
    indicators = parts[0]
    if len(indicators) != 2:
        indicators = _repair_indicators(tag, indicators, notes)
    subfields: list[tuple[str, str]] = []
    for part in parts[1:]:
        if not part:
            continue
        code = part[0]
        if not ("!" <= code <= "~"):
            code = _repair_code(tag, code, notes)
        subfields.append((code, part[1:]))
    return Field(tag, indicators[0], indicators[1], subfields)


def _repair_indicators(tag: str, indicators: str, notes: list[Reason]) -> str:
    fixed = (indicators + "  ")[:2]
    notes.append(
        Reason(
            f"字段 {tag} 的指示符 {indicators!r} 应为两个字符，已改为 {fixed!r}",
            f"field {tag} has indicators {indicators!r} instead of two characters; used {fixed!r}",
        )
    )
    return fixed


def _repair_code(tag: str, code: str, notes: list[Reason]) -> str:
    """An accented subfield code (``á`` for ``a``) read as its base letter; otherwise reject."""
    base = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode("ascii")
    if len(base) == 1 and base.isalnum():
        notes.append(
            Reason(
                f"字段 {tag} 的子字段代码 {code!r} 无效，按 {base!r} 读取",
                f"field {tag} has subfield code {code!r}; read as {base!r}",
            )
        )
        return base
    raise _Reject(
        f"字段 {tag} 含无效的子字段代码 U+{ord(code):04X}（记录可能在此前的转换中已损坏）",
        f"field {tag} has an invalid subfield code U+{ord(code):04X} (the record was probably "
        "damaged by an earlier conversion)",
    )


def _decode_marc8_field(tag: str, raw: bytes, notes: list[Reason]) -> Field:
    if is_control_tag(tag):
        try:
            return Field(tag, data=decode_marc8(raw))
        except CharsetError as exc:
            raise _marc8_reject(tag, "", exc) from None
    parts = raw.split(b"\x1f")
    indicators = parts[0].decode("latin-1")
    if len(indicators) != 2:
        indicators = _repair_indicators(tag, indicators, notes)
    subfields: list[tuple[str, str]] = []
    for part in parts[1:]:
        if not part:
            continue
        code = chr(part[0])
        if not ("!" <= code <= "~"):
            code = _repair_code(tag, part[:1].decode("latin-1"), notes)
        try:
            subfields.append((code, decode_marc8(part[1:])))
        except CharsetError as exc:
            raise _marc8_reject(tag, code, exc) from None
    return Field(tag, indicators[0], indicators[1], subfields)


def _marc8_reject(tag: str, code: str, exc: CharsetError) -> _Reject:
    where = f"{tag}${code}" if code else tag
    return _Reject(
        f"字段 {where} 不是有效的 MARC-8（{exc}）；若文件是别的编码（如 UTF-8、cp1251），"
        "请用 --encoding 指定",
        f"field {where} is not valid MARC-8 ({exc}); if the file is in another encoding "
        "(UTF-8, cp1251 …), give --encoding",
    )


# --- MARCXML ---

_XML_RECORD_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?record(?=[\s>/])([^>]*)>")
_XML_NAMESPACE = re.compile(rb"""xmlns(:[\w.-]+)?\s*=\s*["']([^"']*)["']""")
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)["']""")
_XML_001 = re.compile(rb"""<(?:[\w.-]+:)?controlfield[^>]*tag\s*=\s*["']001["'][^>]*>([^<]*)<""")
_CNMARC_NAMESPACES = ("http://www.nlc.cn/", "unimarc")


def _xml_encoding(head: bytes) -> str:
    match = _XML_ENCODING.search(head)
    if match is None:
        return UTF8
    name = match.group(1).decode("ascii").lower()
    if name in {"gb2312", "gbk", "gb18030", "cp936"}:
        return GB18030
    return name


def _collect_namespaces(text: bytes, namespaces: dict[str, str]) -> None:
    for match in _XML_NAMESPACE.finditer(text):
        prefix = (match.group(1) or b"").lstrip(b":").decode("ascii", "replace")
        if prefix:
            namespaces[prefix] = match.group(2).decode("utf-8", "replace")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml_record(
    snippet: bytes,
    position: int,
    offset: int,
    line: int,
    encoding: str,
    namespaces: dict[str, str],
    flavour_override: MarcFlavour | None,
) -> ReadResult:
    found_001 = _XML_001.search(snippet)
    control_number = printable(found_001.group(1).decode("utf-8", "replace")) if found_001 else None
    try:
        text = snippet.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        detail = str(exc)
        return UnreadableRecord(
            position,
            offset,
            control_number,
            Reason(
                f"第 {line} 行起的记录不是有效的 {encoding.upper()}（{detail}）",
                f"the record starting at line {line} is not valid {encoding.upper()} ({detail})",
            ),
        )
    declarations = "".join(
        f' xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items() if prefix != "xml"
    )
    try:
        element = ET.fromstring(f"<wenjin-records{declarations}>{text}</wenjin-records>")[0]
    except ET.ParseError as exc:
        row, column = exc.position
        return UnreadableRecord(
            position,
            offset,
            control_number,
            Reason(
                f"XML 格式错误：第 {line + row - 1} 行第 {column} 列"
                f"（{_xml_error_zh(str(exc))}），该记录未导入",
                f"not well-formed XML at line {line + row - 1} column {column} "
                f"({str(exc).split(':')[0]}); the record was not imported",
            ),
        )
    namespace = element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""
    hint = (
        MarcFlavour.CNMARC
        if any(marker in namespace for marker in _CNMARC_NAMESPACES)
        else MarcFlavour.MARC21
    )
    notes: list[Reason] = []
    try:
        record = _record_from_element(element, notes)
    except _Reject as reject:
        return UnreadableRecord(position, offset, control_number, reject.reason)
    flavour = flavour_override or detect_flavour(
        record.tags, lambda: _subfield_a(record, "100"), hint=hint
    )
    return IncomingRecord(record, flavour, position, offset, notes=notes)


def _xml_error_zh(message: str) -> str:
    if "invalid token" in message or "not well-formed" in message:
        return "含有 XML 不允许的字符，如原始控制字符"
    if "mismatched tag" in message:
        return "标签不配对"
    return message.split(":")[0]


def _record_from_element(element: ET.Element, notes: list[Reason]) -> MarcRecord:
    leader: str | None = None
    fields: list[Field] = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = child.text or ""
        elif name == "controlfield":
            tag = _xml_tag(child.get("tag"))
            fields.append(Field(tag, data=child.text or ""))
        elif name == "datafield":
            tag = _xml_tag(child.get("tag"))
            ind1 = _xml_indicator(tag, child.get("ind1"), notes)
            ind2 = _xml_indicator(tag, child.get("ind2"), notes)
            subfields = [
                (sub.get("code") or " ", sub.text or "")
                for sub in child
                if _local(sub.tag) == "subfield"
            ]
            fields.append(Field(tag, ind1, ind2, subfields))
    if leader is None:
        raise _Reject("记录没有头标（leader）", "the record has no leader")
    if len(leader) != LEADER_LENGTH:
        raise _Reject(
            f"头标有 {len(leader)} 个字符，MARC 头标应为 24 个",
            f"the leader has {len(leader)} characters; a MARC leader has 24",
        )
    if not fields:
        raise _Reject("记录没有字段", "the record has no fields")
    return MarcRecord(leader, fields)


def _xml_tag(tag: str | None) -> str:
    if not tag:
        raise _Reject("有字段缺少 tag 属性", "a field has no tag attribute")
    return tag.zfill(3) if tag.isdigit() else tag


def _xml_indicator(tag: str, value: str | None, notes: list[Reason]) -> str:
    if not value:
        return " "
    if len(value) > 1:
        notes.append(
            Reason(
                f"字段 {tag} 的指示符 {value!r} 超过一个字符，只保留第一个",
                f"field {tag} has indicator {value!r}; kept its first character",
            )
        )
    return value[0]


def _subfield_a(record: MarcRecord, tag: str) -> str | None:
    found = record.first(tag)
    return found.get("a") if found is not None else None


# --- MARC-in-JSON ---


def _json_record(item: object, position: int, flavour_override: MarcFlavour | None) -> ReadResult:
    try:
        return _json_incoming(item, position, flavour_override)
    except _Reject as reject:
        return UnreadableRecord(position, None, _json_001(item), reject.reason)


def _json_incoming(item: object, position: int, flavour_override: MarcFlavour | None) -> ReadResult:
    try:
        record = MarcRecord.from_dict(item)
    except MarcStructureError as exc:
        control_number = _json_001(item)
        return UnreadableRecord(
            position,
            None,
            control_number,
            Reason(f"不是有效的 MARC-in-JSON 记录：{exc}", f"not a MARC-in-JSON record: {exc}"),
        )
    if len(record.leader) != LEADER_LENGTH:
        return UnreadableRecord(
            position,
            None,
            record.control("001"),
            Reason(
                f"头标有 {len(record.leader)} 个字符，MARC 头标应为 24 个",
                f"the leader has {len(record.leader)} characters; a MARC leader has 24",
            ),
        )
    record.replace_fields(
        [
            Field(_xml_tag(f.tag), data=f.data)
            if f.data is not None
            else Field(_xml_tag(f.tag), f.ind1[:1], f.ind2[:1], f.subfields)
            for f in record.fields
        ]
    )
    flavour = flavour_override or detect_flavour(record.tags, lambda: _subfield_a(record, "100"))
    return IncomingRecord(record, flavour, position)


def _json_001(item: object) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("fields"), list):
        for entry in item["fields"]:
            if isinstance(entry, dict) and isinstance(entry.get("001"), str):
                return str(entry["001"]).strip()
    return None


def read_marc(
    source: Path | str | bytes,
    *,
    encoding: str | None = None,
    flavour: MarcFlavour | None = None,
) -> list[ReadResult]:
    """Every record of a file at once: for tests and small files."""
    with MarcFile(source, encoding=encoding, flavour=flavour) as marc_file:
        return list(marc_file)
