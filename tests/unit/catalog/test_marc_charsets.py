"""Character sets: the strict MARC-8 decoder, encoding names, UNIMARC 100$a codes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from wenjin.catalog.marc.charsets import (
    GB18030,
    MARC8,
    CharsetError,
    decode_marc8,
    normalise_encoding_name,
    unimarc_declares_gb,
    unimarc_declares_unicode,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def test_marc8_decodes_every_line_of_the_library_of_congress_samples_like_unicode() -> None:
    marc8_lines = (DATA / "test_marc8.txt").read_bytes().split(b"\n")
    unicode_lines = (DATA / "test_utf8.txt").read_text(encoding="utf-8").split("\n")
    assert len(marc8_lines) == len(unicode_lines) == 1516
    for marc8, expected in zip(marc8_lines, unicode_lines, strict=True):
        assert decode_marc8(marc8) == unicodedata.normalize("NFC", expected)


def test_marc8_puts_a_combining_diacritic_on_the_letter_that_follows_it() -> None:
    assert decode_marc8(b"Soci\xe2et\xe2e") == "Soci\u00e9t\u00e9"


def test_marc8_reads_east_asian_characters_after_the_eacc_escape() -> None:
    assert decode_marc8(b"\x1b$1!S+!#!'`X!_s\x1b(B.") == "肖\u3000显靜."


def test_an_invalid_escape_sequence_is_an_error_not_a_guess() -> None:
    with pytest.raises(CharsetError, match=r"invalid escape sequence ESC 't'"):
        decode_marc8(b"Soci\x1bt\xe2e")


def test_a_byte_that_is_no_marc8_character_is_an_error() -> None:
    with pytest.raises(CharsetError, match="byte CF"):
        decode_marc8("Пушкин".encode("cp1251"))


def test_cyrillic_cp1251_lowercase_is_not_mistaken_for_a_pile_of_diacritics() -> None:
    # cp1251 lower case sits exactly on MARC-8's combining marks (E0-FE)
    with pytest.raises(CharsetError, match="diacritics in a row"):
        decode_marc8("книга".encode("cp1251"))


def test_text_that_ends_on_a_diacritic_is_an_error() -> None:
    with pytest.raises(CharsetError, match="ends with a diacritic"):
        decode_marc8(b"abc\xe2")


def test_the_gb_family_reads_as_gb18030_and_utf8_spellings_are_accepted() -> None:
    assert normalise_encoding_name("GB2312") == GB18030
    assert normalise_encoding_name("gbk") == GB18030
    assert normalise_encoding_name("UTF8") == "utf-8"
    assert normalise_encoding_name("marc8") == MARC8
    assert normalise_encoding_name("cp1251") == "cp1251"
    with pytest.raises(LookupError):
        normalise_encoding_name("klingon-8")


@pytest.mark.parametrize(
    ("general_data", "unicode", "gb"),
    [
        ("20020204d1994    em y0chiy50      ea", True, False),
        ("20020204d1994    em y0chiy0120    ea", False, True),
        ("19990513d1998    fkmy0chiy0121    ea", False, True),
        ("19961119d1996    ||||0itac50      ba", True, False),
        ("19961119d1996    ||||0rusy0102    ca", False, False),  # 02: Cyrillic
    ],
)
def test_unimarc_100a_positions_26_to_29_say_which_character_set(
    general_data: str, unicode: bool, gb: bool
) -> None:
    assert unimarc_declares_unicode(general_data) is unicode
    assert unimarc_declares_gb(general_data) is gb
