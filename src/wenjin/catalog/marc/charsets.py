"""Character sets of MARC records, and a strict MARC-8 decoder.

Which character set a record is in:

- MARC21: leader/9 ``a`` is UTF-8; blank is MARC-8 (with its escape sequences to
  Cyrillic, Greek, Hebrew, Arabic and EACC for CJK).
- CNMARC / UNIMARC: leader/9 is undefined (blank); the character sets are in field
  100 $a positions 26–29 (two two-digit codes, G0 and G1). ``50`` is ISO 10646
  (Unicode, written as UTF-8); the Chinese codes (``0120`` for GB 2312 and its
  relatives, as Chinese systems export them) are decoded as GB18030, which is a
  superset of GB 2312 and GBK.

``--encoding`` overrides both. Text is never decoded with replacement characters:
a record whose bytes are not valid in its character set is rejected with the field
and the byte named, so that nothing garbled reaches the catalogue silently.

pymarc's own MARC-8 converter prints to stderr and carries on when it meets a byte
it cannot map; :func:`decode_marc8` raises instead and reads the mapping tables
that pymarc ships.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from pymarc import marc8_mapping

UTF8 = "utf-8"
GB18030 = "gb18030"
MARC8 = "marc-8"
ASCII = "ascii"

_BASIC_LATIN = 0x42
_ANSEL = 0x45
_EACC = 0x31
_TECHNIQUE_2 = {ord("g"): 0x67, ord("b"): 0x62, ord("p"): 0x70, ord("s"): _BASIC_LATIN}
# C1 controls that MARC-8 gives a meaning to: non-sort begin/end, joiners.
_MARC8_CONTROLS = {0x88: "\x98", 0x89: "\x9c", 0x8D: "\u200d", 0x8E: "\u200c"}
# More combining marks in a row than any real script stacks: a sign that the text
# is in some other 8-bit character set whose letters fall on MARC-8's diacritics.
_MAX_COMBINING_RUN = 3


class CharsetError(ValueError):
    """Text that is not valid in the character set it was decoded with."""


@dataclass(frozen=True)
class Charset:
    """How to decode a record: a Python codec name, or :data:`MARC8`."""

    name: str
    declared_by: str  # "leader/9", "100$a/26-29", "--encoding", "sniffed" …

    def decode(self, data: bytes) -> str:
        if self.name == MARC8:
            return decode_marc8(data)
        try:
            return data.decode(self.name)
        except UnicodeDecodeError as exc:
            raise CharsetError(_describe_decode_error(exc, self.name)) from None


def _describe_decode_error(exc: UnicodeDecodeError, codec: str) -> str:
    bad = exc.object[exc.start : exc.end]
    return f"byte {bad.hex(' ').upper()} at position {exc.start} is not valid {codec.upper()}"


_ALIASES = {
    "utf8": UTF8,
    "utf-8": UTF8,
    "unicode": UTF8,
    "gb2312": GB18030,
    "gbk": GB18030,
    "cp936": GB18030,
    "gb18030": GB18030,
    "marc8": MARC8,
    "marc-8": MARC8,
    "ansel": MARC8,
}


def normalise_encoding_name(name: str) -> str:
    """The codec for a user's ``--encoding``; GB 2312 and GBK read as GB18030 (a superset).

    Raises :class:`LookupError` for a name Python does not know.
    """
    key = name.strip().lower().replace("_", "-")
    if key in _ALIASES:
        return _ALIASES[key]
    return codecs.lookup(key).name


def is_utf8(data: bytes) -> bool:
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


def unimarc_charset_codes(general_data: str) -> tuple[str, str]:
    """The G0 and G1 character set codes from a CNMARC/UNIMARC 100 $a."""
    return general_data[26:28], general_data[28:30]


def unimarc_declares_unicode(general_data: str) -> bool:
    g0, g1 = unimarc_charset_codes(general_data)
    return g0 == "50" or g1 == "50"


def unimarc_declares_gb(general_data: str) -> bool:
    """True for the codes Chinese systems write for GB 2312 and its family (``0120``, ``0121`` …).

    UNIMARC codes 02–11 are Cyrillic, Greek, Hebrew, Arabic … sets that Chinese
    catalogues never use; anything else that is not Unicode (``01`` basic Latin with
    a second code, a blank G1 …) is what the GB-era systems wrote.
    """
    g0, g1 = unimarc_charset_codes(general_data)
    if "50" in (g0, g1):
        return False
    non_gb = {"02", "03", "04", "05", "06", "07", "08", "09", "10", "11"}
    return g0 not in non_gb and g1 not in non_gb


# --- MARC-8 ---


def decode_marc8(data: bytes) -> str:
    """Decode MARC-8 strictly; :class:`CharsetError` says which byte is wrong."""
    codesets = marc8_mapping.CODESETS
    odd = marc8_mapping.ODD_MAP
    g0, g1 = _BASIC_LATIN, _ANSEL
    out: list[str] = []
    combining: list[str] = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b == 0x1B:
            i, g0, g1 = _escape(data, i, g0, g1)
            continue
        if b in _MARC8_CONTROLS:
            out.append(_MARC8_CONTROLS[b])
            i += 1
            continue
        if g0 == _EACC and b >= 0x20:
            if i + 3 > n:
                raise CharsetError(f"an East Asian (EACC) character is cut short at position {i}")
            code = (b << 16) | (data[i + 1] << 8) | data[i + 2]
            entry = codesets[_EACC].get(code)
            if entry is None:
                mapped = odd.get(code)
                if mapped is None:
                    raise CharsetError(f"EACC character {code:06X} at position {i} is unknown")
                entry = (mapped, 0)
            i += 3
        elif b < 0x20 or 0x7F <= b < 0xA0:
            raise CharsetError(f"control byte {b:02X} at position {i} has no meaning in MARC-8")
        else:
            table = codesets.get(g1 if b >= 0x80 else g0, {})
            entry = table.get(b)
            if entry is None and b == 0x20:
                entry = (0x20, 0)
            if entry is None:
                mapped = odd.get(b)
                if mapped is None:
                    raise CharsetError(
                        f"byte {b:02X} at position {i} is not a character of MARC-8 set "
                        f"{chr(g1 if b >= 0x80 else g0)!r}"
                    )
                entry = (mapped, 0)
            i += 1
        char, is_combining = chr(entry[0]), entry[1]
        if is_combining:
            combining.append(char)
            if len(combining) > _MAX_COMBINING_RUN:
                raise CharsetError(
                    f"{len(combining)} diacritics in a row before position {i}: "
                    "the text is not MARC-8 (another 8-bit character set?)"
                )
        else:
            out.append(char)
            if combining:
                out.extend(combining)
                combining.clear()
    if combining:
        raise CharsetError("the text ends with a diacritic that has no letter to go on")
    return unicodedata.normalize("NFC", "".join(out))


def _escape(data: bytes, i: int, g0: int, g1: int) -> tuple[int, int, int]:
    """Apply the escape sequence at ``data[i]``; return the new position and sets."""
    codesets = marc8_mapping.CODESETS
    rest = data[i + 1 : i + 4]
    if not rest:
        raise CharsetError(f"escape at position {i} ends the text")
    first = rest[0]
    if first in _TECHNIQUE_2:
        return i + 2, _TECHNIQUE_2[first], g1
    multibyte = first == ord("$")
    if multibyte:
        rest = rest[1:]
        if rest and rest[0] not in b"(,)-":
            final = rest[0]
            if final not in codesets:
                raise CharsetError(f"escape at position {i} selects unknown set {chr(final)!r}")
            return i + 3, final, g1
    if len(rest) < 2 or rest[0] not in b"(,)-":
        shown = data[i + 1 : i + 2].decode("latin-1")
        raise CharsetError(f"invalid escape sequence ESC {shown!r} at position {i}")
    designator, final = rest[0], rest[1]
    if final not in codesets:
        raise CharsetError(f"escape at position {i} selects unknown set {chr(final)!r}")
    length = 4 if multibyte else 3
    if designator in b"(,":
        return i + length, final, g1
    return i + length, g0, final
