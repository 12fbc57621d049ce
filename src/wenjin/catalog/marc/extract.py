"""The normalised fields of a record, as the catalogue stores and searches them.

Pure functions from a :class:`MarcRecord` and its flavour to an :class:`Extracted`:
no database, no I/O. What comes from where:

=============== ===================================== ======================================
field           MARC21                                CNMARC / UNIMARC
=============== ===================================== ======================================
title           245 $a $b $n $p, ISBD punctuation     200 $a $e $h $i
                dropped; the 880 vernacular when 245
                is romanised
title_parallel  the romanised 245, 246, 242           200 $d, 510 $a $e
responsibility  245 $c                                200 $f ; $g
authors         1XX, 7XX (and their 880s)             700–702, 710–712
isbns           020 $a (valid → ISBN-13), $z          010 $a (valid → ISBN-13), $z
price_fen       020 $c (in yuan only)                 010 $d
edition         250                                   205
publisher/place 260 / 264 $b, $a                      210 $c, $a
year            008/07-10, else 260/264 $c            210 $d, else 100 $a/9-12
language        008/35-37, else 041 $a                101 $a
clc             084 with $2 clc                       690 $a
classes         050, 080, 082, 084                    675, 676, 680, 686, 690, 692
subjects        6XX, subdivisions joined by " -- "    600, 601, 605-608, 610
series          490, 440, 830                         225, 410
pinyin          the romanised 245 / names of a        upper-case subfields ($A) or $9 of
                Chinese record with 880s              200 and 70X/71X
=============== ===================================== ======================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from stdnum import isbn as stdnum_isbn

from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.rules import price_fen_from_record
from wenjin.catalog.states import MarcFlavour


class IsbnEntry(NamedTuple):
    """An ISBN as the record carries it: ISBN-13 when valid, as written when not."""

    isbn: str
    valid: bool
    qualifier: str | None = None
    cancelled: bool = False  # 020 $z / 010 $z: a wrong ISBN printed on the book


@dataclass
class Extracted:
    title: str
    title_parallel: list[str] = field(default_factory=list)
    responsibility: str | None = None
    authors: list[str] = field(default_factory=list)
    isbns: list[IsbnEntry] = field(default_factory=list)
    price_fen: int | None = None
    edition: str | None = None
    publisher: str | None = None
    pub_place: str | None = None
    year: int | None = None
    language: str | None = None
    clc: str | None = None
    classes: list[dict[str, str]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    title_pinyin: str | None = None
    author_pinyin: str | None = None
    medium: str | None = None  # 245 $h / 200 $b (电子资源): keeps an e-book apart in matching

    @property
    def isbn(self) -> str | None:
        """The first valid ISBN, as ISBN-13."""
        return next((entry.isbn for entry in self.isbns if entry.valid), None)

    @property
    def isbn_invalid(self) -> bool:
        """True when the record carries an ISBN in $a that does not validate."""
        return any(not entry.valid and not entry.cancelled for entry in self.isbns)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["isbns"] = [entry._asdict() for entry in self.isbns]
        data["isbn"] = self.isbn
        data["isbn_invalid"] = self.isbn_invalid
        return data


def extract(record: MarcRecord, flavour: MarcFlavour) -> Extracted:
    if flavour is MarcFlavour.CNMARC:
        return _extract_cnmarc(record)
    return _extract_marc21(record)


# --- text clean-up ---

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
# Non-sort markers (MARC21 U+0098/U+009C, UNIMARC NSB/NSE U+0088/U+0089) and other
# control characters have no place in display text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_TRAILING_PUNCTUATION = re.compile(r"[\s/:;=,]+$")
_LEADING_PUNCTUATION = re.compile(r"^[\s/:;=,]+")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_ABBREVIATIONS = frozenset(
    {"ed", "eds", "etc", "p", "pp", "v", "vol", "vols", "no", "ill", "illus", "cm", "jr"}
    | {"sr", "inc", "co", "ltd", "st", "dr", "mr", "mrs", "ca", "cf", "al", "pbk", "hbk", "alk"}
)
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


_EDGE_PUNCTUATION = frozenset(" /:;=,.")


def clean(value: str | None) -> str:
    """A subfield without ISBD punctuation at its ends, control characters or double spaces."""
    if not value:
        return ""
    if (
        value[-1] not in _EDGE_PUNCTUATION
        and value[0] not in _EDGE_PUNCTUATION
        and value.isprintable()
        and "  " not in value
    ):
        return value  # the common case, with nothing to clean
    text = _SPACES.sub(" ", _CONTROL.sub("", value)).strip()
    text = _LEADING_PUNCTUATION.sub("", _TRAILING_PUNCTUATION.sub("", text))
    if text.endswith(".") and not text.endswith(".."):
        last = text.rsplit(" ", 1)[-1]
        word = re.split(r"[\s,]", text[:-1])[-1]
        # "Lutz, Mark." and "The pragmatic programmer." lose the period; an initial
        # ("Wu, Z.Y.") or an abbreviation ("2nd ed.") keeps it.
        if not (
            _INITIALS.fullmatch(last)
            or word.lower() in _ABBREVIATIONS
            or (len(word) == 1 and word.isalpha())
        ):
            text = text[:-1].rstrip()
    return text


def _join_title(parts: Iterable[tuple[str, str]]) -> str:
    """Title pieces ``(code, text)`` joined the way a catalogue card shows them."""
    out = ""
    previous = ""
    for kind, text in parts:
        if not text:
            continue
        if not out:
            out = text
        elif kind == "other":
            out += "：" if has_cjk(out[-1:] + text[:1]) else " : "
            out += text
        elif kind == "part_name" and previous == "part_number":
            out += ", " + text
        elif kind in ("part_number", "part_name"):
            out += ". " + text
        else:
            out += " ; " + text
        previous = kind
    return out


def _dedupe(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


# --- ISBNs ---

_PARENTHESISED = re.compile(r"\(([^()]*)\)")
_ISBN_TOKEN = re.compile(r"^\s*([0-9Xx][0-9Xx\- ]*[0-9Xx]|[0-9Xx])")


def parse_isbn(
    text: str, qualifier: str | None = None, *, cancelled: bool = False
) -> IsbnEntry | None:
    """``"978-7-04-024765-7 (pbk.) :"`` → ISBN-13 ``9787040247657``, qualifier ``pbk.``."""
    text = _CONTROL.sub("", text).strip()
    match = _ISBN_TOKEN.match(text)
    if match is None:
        return None
    number = match.group(1)
    rest = clean(text[match.end() :])
    groups = _PARENTHESISED.findall(rest)
    rest = "; ".join(clean(g) for g in groups) if groups else rest.strip("()[] ")
    qualifier = clean(qualifier) or rest or None
    compact = number.replace("-", "").replace(" ", "").upper()
    if len(compact) == 13 and compact.isdigit():
        if is_valid_isbn13(compact):
            return IsbnEntry(compact, True, qualifier, cancelled)
    elif stdnum_isbn.is_valid(compact):
        return IsbnEntry(stdnum_isbn.to_isbn13(compact), True, qualifier, cancelled)
    return IsbnEntry(number.strip()[:64], False, qualifier, cancelled)


def is_valid_isbn13(compact: str) -> bool:
    """A 978/979 EAN with a correct check digit: what stdnum calls a valid ISBN-13.

    Checked here first because nearly every ISBN in a current Chinese catalogue is one,
    and python-stdnum's general path costs tens of microseconds a call; anything else
    (ISBN-10, hyphenation oddities) goes to stdnum.
    """
    if len(compact) != 13 or not compact.isdigit() or compact[:3] not in ("978", "979"):
        return False
    digits = list(map(int, compact))
    total = sum(digits[0:12:2]) + 3 * sum(digits[1:12:2])
    return (10 - total % 10) % 10 == digits[12]


def _isbns(fields: list[Field], qualifier_code: str) -> list[IsbnEntry]:
    entries: list[IsbnEntry] = []
    for f in fields:
        qualifier = f.get(qualifier_code)
        for code, value in f.subfields:
            if code == "a":
                entry = parse_isbn(value, qualifier)
            elif code == "z":
                entry = parse_isbn(value, qualifier, cancelled=True)
            else:
                continue
            if entry is not None and entry not in entries:
                entries.append(entry)
    return entries


def _price(fields: list[Field], code: str) -> int | None:
    for f in fields:
        for value in f.values(code):
            fen = price_fen_from_record(value)
            if fen is not None:
                return fen
    return None


# --- MARC21 ---

_SUBDIVISIONS = frozenset("vxyz")
_SUBJECT_SKIP = frozenset("0123456789e4w")


def _linked_880s(record: MarcRecord) -> dict[tuple[str, str], Field]:
    linked: dict[tuple[str, str], Field] = {}
    for f in record.get_fields("880"):
        link = f.get("6") or ""
        tag, occurrence = link[:3], link[4:6]
        if occurrence and occurrence != "00":
            linked.setdefault((tag, occurrence), f)
    return linked


def _vernacular(f: Field, linked: dict[tuple[str, str], Field]) -> Field | None:
    link = f.get("6")
    if not link or not link.startswith("880"):
        return None
    return linked.get((f.tag, link[4:6]))


def _is_cjk_script(f: Field) -> bool:
    return "$1" in (f.get("6") or "")


def _title_245(f: Field) -> str:
    kinds = {"a": "main", "b": "other", "n": "part_number", "p": "part_name"}
    return _join_title((kinds[c], clean(v)) for c, v in f.subfields if c in kinds)


def _marc21_name(f: Field) -> str:
    kind = f.tag[-2:]
    if kind == "00":
        pieces = [clean(v) for c, v in f.subfields if c in "abcq"]
        return " ".join(p for p in pieces if p)
    if kind == "10":
        return ". ".join(p for p in (clean(v) for c, v in f.subfields if c in "ab") if p)
    return " ".join(p for p in (clean(v) for c, v in f.subfields if c in "anq") if p)


def _subject(f: Field, skip: frozenset[str] = _SUBJECT_SKIP) -> str:
    main: list[str] = []
    subdivisions: list[str] = []
    for code, value in f.subfields:
        if code in skip or code.isupper():
            continue
        text = clean(value).rstrip(".")
        if not text:
            continue
        if code in _SUBDIVISIONS or (code == "j" and skip is _CNMARC_SUBJECT_SKIP):
            subdivisions.append(text)
        else:
            main.append(text)
    return " -- ".join([" ".join(main), *subdivisions]) if main else " -- ".join(subdivisions)


def _marc21_year(record: MarcRecord, pub_fields: list[Field]) -> int | None:
    fixed = record.control("008") or ""
    date1 = fixed[7:11]
    if date1.isdigit() and fixed[6:7] not in ("b", "n", "|") and 1000 <= int(date1) <= 2100:
        return int(date1)
    for f in pub_fields:
        for value in f.values("c"):
            match = _YEAR.search(value)
            if match:
                return int(match.group(1))
    return None


def _language(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower()[:3]
    return code if len(code) == 3 and code.isalpha() and code.isascii() else None


def _extract_marc21(record: MarcRecord) -> Extracted:
    linked = _linked_880s(record)
    fixed = record.control("008") or ""
    language = _language(fixed[35:38])
    if language is None:
        first_041 = record.first("041")
        language = _language(first_041.get("a") if first_041 else None)

    title_field = record.first("245")
    title = _title_245(title_field) if title_field else ""
    parallel: list[str] = []
    title_pinyin: str | None = None
    responsibility = clean(title_field.get("c")) if title_field else ""
    medium = clean(title_field.get("h")).strip("[]") if title_field else ""
    vernacular_title = _vernacular(title_field, linked) if title_field else None
    if vernacular_title is not None:
        romanised = title
        title = _title_245(vernacular_title) or romanised
        parallel.append(romanised)
        responsibility = clean(vernacular_title.get("c")) or responsibility
        if _is_cjk_script(vernacular_title) and language in ("chi", "zho"):
            title_pinyin = romanised
    for f in record.get_fields("246", "242"):
        parallel.append(_title_245(f))

    authors: list[str] = []
    romanised_names: list[str] = []
    for f in record.get_fields("100", "110", "111", "700", "710", "711", "720"):
        name = _marc21_name(f)
        vernacular = _vernacular(f, linked)
        if vernacular is not None:
            authors.append(_marc21_name(vernacular))
            if _is_cjk_script(vernacular) and language in ("chi", "zho"):
                romanised_names.append(name)
        authors.append(name)

    pub_fields = record.get_fields("260") or sorted(
        record.get_fields("264"), key=lambda f: f.ind2 != "1"
    )
    publisher = pub_place = ""
    for f in pub_fields:
        source = _vernacular(f, linked) or f
        publisher = publisher or clean(source.get("b"))
        pub_place = pub_place or clean(source.get("a"))

    edition_field = record.first("250")
    edition = ""
    if edition_field is not None:
        source = _vernacular(edition_field, linked) or edition_field
        edition = " ".join(p for p in (clean(v) for c, v in source.subfields if c in "ab") if p)

    classes: list[dict[str, str]] = []
    clc: str | None = None
    for f in record.get_fields("050", "080", "082", "084"):
        number = _class_number(f)
        if not number:
            continue
        if f.tag == "050":
            scheme = "lcc"
        elif f.tag == "080":
            scheme = "udc"
        elif f.tag == "082":
            scheme = "ddc"
        else:
            scheme = clean(f.get("2")).lower() or "other"
            if scheme.startswith("clc"):
                scheme = "clc"
                clc = clc or number
        classes.append({"scheme": scheme, "number": number})

    subjects = [_subject(f) for f in record.fields if f.tag.startswith("6") and f.data is None]
    series = [
        _join_title(
            ("main" if c == "a" else "part_number" if c == "n" else "part_name", clean(v))
            for c, v in f.subfields
            if c in "anp"
        )
        for f in record.get_fields("490", "440", "830")
    ]

    isbn_fields = record.get_fields("020")
    return Extracted(
        title=title,
        title_parallel=[t for t in _dedupe(parallel) if t != title],
        responsibility=responsibility or None,
        authors=_dedupe(authors),
        isbns=_isbns(isbn_fields, "q"),
        price_fen=_price(isbn_fields, "c"),
        edition=edition or None,
        publisher=publisher or None,
        pub_place=pub_place or None,
        year=_marc21_year(record, pub_fields),
        language=language,
        clc=clc,
        classes=_dedupe_classes(classes),
        subjects=_dedupe(subjects),
        series=_dedupe(series),
        title_pinyin=title_pinyin,
        author_pinyin="; ".join(_dedupe(romanised_names)) or None,
        medium=medium or None,
    )


def _class_number(f: Field) -> str:
    if f.tag == "050":
        return " ".join(p for p in (clean(v) for c, v in f.subfields if c in "ab") if p)
    return clean(f.get("a"))


def _dedupe_classes(classes: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, str]] = []
    for entry in classes:
        key = (entry["scheme"], entry["number"])
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


# --- CNMARC / UNIMARC ---

_CNMARC_SUBJECT_SKIP = frozenset("0123456789")
_CNMARC_CLASS_SCHEMES = {"675": "udc", "676": "ddc", "680": "lcc", "690": "clc", "692": "kt"}


def _title_200(f: Field) -> str:
    kinds = {"a": "main", "e": "other", "h": "part_number", "i": "part_name"}
    return _join_title((kinds[c], clean(v)) for c, v in f.subfields if c in kinds)


def _cnmarc_name(f: Field) -> str:
    if f.tag.startswith("71"):
        return ". ".join(p for p in (clean(v) for c, v in f.subfields if c in "ab") if p)
    surname, forename = clean(f.get("a")), clean(f.get("b"))
    return f"{surname}, {forename}" if surname and forename else surname or forename


def _pinyin(f: Field) -> str:
    """The romanisation a CNMARC field carries: upper-case subfields, else $9."""
    upper = [clean(v) for c, v in f.subfields if c.isupper() and c in "ABEFHI"]
    text = " ".join(p for p in upper if p) or clean(f.get("9"))
    return text


def _extract_cnmarc(record: MarcRecord) -> Extracted:
    title_field = record.first("200")
    title = _title_200(title_field) if title_field else ""
    parallel: list[str] = []
    responsibility = ""
    medium = ""
    title_pinyin = ""
    if title_field is not None:
        parallel.extend(clean(v) for v in title_field.values("d"))
        responsibility = " ; ".join(
            p for p in (clean(v) for c, v in title_field.subfields if c in "fg") if p
        )
        medium = clean(title_field.get("b"))
        title_pinyin = " ".join(
            p for p in (clean(v) for c, v in title_field.subfields if c == "A") if p
        ) or clean(title_field.get("9"))
    for f in record.get_fields("510"):
        parallel.append(
            _join_title(
                ("main" if c == "a" else "other", clean(v)) for c, v in f.subfields if c in "ae"
            )
        )

    authors: list[str] = []
    author_pinyin: list[str] = []
    for f in record.get_fields("700", "701", "702", "710", "711", "712"):
        authors.append(_cnmarc_name(f))
        pinyin = _pinyin(f)
        if pinyin:
            author_pinyin.append(pinyin)

    publication = record.first("210")
    publisher = clean(publication.get("c")) if publication else ""
    pub_place = clean(publication.get("a")) if publication else ""
    year: int | None = None
    if publication is not None:
        for value in publication.values("d"):
            match = _YEAR.search(value)
            if match:
                year = int(match.group(1))
                break
    general_field = record.first("100")
    general = (general_field.get("a") if general_field else None) or ""
    if year is None and general[9:13].isdigit() and 1000 <= int(general[9:13]) <= 2100:
        year = int(general[9:13])

    language_field = record.first("101")
    language = _language(language_field.get("a") if language_field else None)

    edition_field = record.first("205")
    edition = (
        " ".join(p for p in (clean(v) for c, v in edition_field.subfields if c in "ab") if p)
        if edition_field
        else ""
    )

    classes: list[dict[str, str]] = []
    clc: str | None = None
    for f in record.get_fields("675", "676", "680", "686", "690", "692"):
        number = clean(f.get("a"))
        if not number:
            continue
        scheme = _CNMARC_CLASS_SCHEMES.get(f.tag) or clean(f.get("2")).lower() or "other"
        if scheme == "clc":
            clc = clc or number
        classes.append({"scheme": scheme, "number": number})

    subjects = [
        _subject(f, _CNMARC_SUBJECT_SKIP)
        for f in record.get_fields("600", "601", "605", "606", "607", "608", "610")
    ]
    series = [_title_200(f) for f in record.get_fields("225")]
    series += [clean(f.get("a")) for f in record.get_fields("410")]

    isbn_fields = record.get_fields("010")
    return Extracted(
        title=title,
        title_parallel=[t for t in _dedupe(parallel) if t != title],
        responsibility=responsibility or None,
        authors=_dedupe(authors),
        isbns=_isbns(isbn_fields, "b"),
        price_fen=_price(isbn_fields, "d"),
        edition=edition or None,
        publisher=publisher or None,
        pub_place=pub_place or None,
        year=year,
        language=language,
        clc=clc,
        classes=_dedupe_classes(classes),
        subjects=_dedupe(subjects),
        series=_dedupe(series),
        title_pinyin=title_pinyin or None,
        author_pinyin="; ".join(_dedupe(author_pinyin)) or None,
        medium=medium or None,
    )
