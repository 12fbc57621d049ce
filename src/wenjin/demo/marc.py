"""A demo title and its copies as a pymarc record: CNMARC, or MARC21 (with 880s for Chinese).

The records look like those a Chinese county library's system holds: CNMARC with
pinyin in upper-case ``$A``, the price in 010$d, the CLC class in 690 and the
copies in 905 the way dp2/ILAS/Interlib export them; English books and some
copy-catalogued Chinese books in MARC21 (RDA, ``084 $2 clc``, romanised headings
linked to 880 vernacular fields), copies in Koha's 952. Holdings subfields are the
ones :mod:`wenjin.catalog.marc.holdings` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pymarc import Field, Indicators, Record, Subfield

from wenjin.catalog.states import MarcFlavour
from wenjin.demo.holdings import Holding
from wenjin.demo.titles import (
    Title,
    capitalised_pinyin,
    name_syllables,
    pinyin_words,
    romanised,
    romanised_name,
)

CATALOGUING_AGENCY = "ZCL"  # 诸城市图书馆's code in 801$b / 040$a

CNMARC_LEADER = "00000nam0 2200000   4500"
MARC21_LEADER = "00000nam a2200000 i 4500"

# 102$b: the province (or county) of the place of publication
_REGION_CODES = {
    "北京": "110000", "上海": "310000", "天津": "120000", "重庆": "500000", "济南": "370000",
    "青岛": "370000", "诸城": "370782", "南京": "320000", "杭州": "330000", "武汉": "420000",
    "南宁": "450000", "南昌": "360000", "海口": "460000",
}  # fmt: skip
# Translated books: the original's country (102$a) and language (101$c)
_ORIGINS = {
    "美": ("US", "eng"), "英": ("GB", "eng"), "法": ("FR", "fre"), "日": ("JP", "jpn"),
    "俄": ("RU", "rus"), "苏": ("RU", "rus"), "德": ("DE", "ger"), "丹麦": ("DK", "dan"),
    "以色列": ("IL", "heb"), "哥伦比亚": ("CO", "spa"),
}  # fmt: skip
_AUDIENCE_CNMARC = {"child": "a  ", "teen": "e  ", "adult": "m  "}
_AUDIENCE_MARC21 = {"child": "j", "teen": "d", "adult": " "}
_PLACE_MARC21 = {
    "London": "enk", "Oxford": "enk", "Cambridge": "enk", "New York": "nyu",
    "Sebastopol, CA": "cau", "Boston": "mau", "Cambridge, Mass.": "mau", "Princeton": "nju",
    "Hoboken, NJ": "nju",
}  # fmt: skip
_RELATORS = {
    "著": "author", "撰": "author", "续": "author", "author": "author", "译": "translator",
    "译注": "translator", "主编": "editor", "总主编": "editor", "编": "editor",
    "编著": "editor", "选注": "editor", "编注": "editor", "评注": "editor", "修订": "editor",
    "解读": "author", "书": "calligrapher", "编绘": "illustrator",
}  # fmt: skip


def format_yuan(fen: int) -> str:
    """``4580`` → ``"45.80"`` (the catalogue's own formatter is stricter, and slower)."""
    return f"{fen // 100}.{fen % 100:02d}"


def _sf(*pairs: tuple[str, str | None]) -> list[Subfield]:
    return [Subfield(code, value) for code, value in pairs if value]


def _data(tag: str, ind1: str, ind2: str, *pairs: tuple[str, str | None]) -> Field:
    return Field(tag=tag, indicators=Indicators(ind1, ind2), subfields=_sf(*pairs))


def _catalogued_on(holdings: Sequence[Holding], title: Title) -> date:
    # Catalogued when its first copy arrived (never before the book came out).
    return min((h.acquired_on for h in holdings), default=date(title.year, 12, 31))


def build_record(title: Title, holdings: Sequence[Holding]) -> tuple[Record, MarcFlavour]:
    """The record for ``title`` with one holdings field per copy, and its flavour."""
    if title.marc21:
        if title.english:
            return _english(title, holdings), MarcFlavour.MARC21
        return _chinese_marc21(title, holdings), MarcFlavour.MARC21
    return _cnmarc(title, holdings), MarcFlavour.CNMARC


# ---------------------------------------------------------------------------
# CNMARC


def _responsibility(title: Title) -> tuple[str | None, str | None]:
    """200$f (authors, editors) and 200$g (translators …) as a Chinese title page states them."""
    first: list[str] = []
    second: list[str] = []
    for role in dict.fromkeys(c.role for c in title.contributors):
        names = "，".join(c.display for c in title.contributors if c.role == role)
        (second if role in ("译", "续", "修订") else first).append(f"{names}{role}")
    return ("；".join(first) or None), ("；".join(second) or None)


def _cnmarc(title: Title, holdings: Sequence[Holding]) -> Record:
    record = Record(leader=CNMARC_LEADER, force_utf8=True)
    catalogued = _catalogued_on(holdings, title)
    audience = _AUDIENCE_CNMARC[title.audience]
    general = f"{catalogued:%Y%m%d}d{title.year:04d}    {audience}y0chiy50      ea"
    origin = _ORIGINS.get(title.country or "")
    price = f"CNY{format_yuan(title.price_fen)}"
    binding = (
        "精装" if title.pages > 900 or (title.audience == "child" and title.pages <= 48) else "平装"
    )
    responsibility, other_responsibility = _responsibility(title)

    fields = [
        Field(tag="001", data=title.control_number),
        Field(tag="005", data=f"{catalogued:%Y%m%d}093000.0"),
        _data("010", " ", " ", ("a", title.isbn_printed), ("b", binding if title.isbn_printed else None), ("d", price)),
    ]  # fmt: skip
    if title.unified_number:
        fields.append(_data("091", " ", " ", ("a", title.unified_number)))
    fields += [
        _data("100", " ", " ", ("a", general)),
        _data("101", "1" if origin else "0", " ", ("a", "chi"), ("c", origin[1] if origin else None)),
        _data("102", " ", " ", ("a", origin[0] if origin else "CN"), ("b", None if origin else _REGION_CODES.get(title.place))),
        _data("105", " ", " ", ("a", f"{'a' if title.illustrated else 'y'}   z   000yy")),
        _data("106", " ", " ", ("a", "r")),
        _data(
            "200", "1", " ",
            ("a", title.title), ("A", capitalised_pinyin(title.title_syllables)), ("e", title.other_title),
            ("f", responsibility), ("g", other_responsibility),
        ),
    ]  # fmt: skip
    if title.edition:
        fields.append(_data("205", " ", " ", ("a", title.edition)))
    fields += [
        _data("210", " ", " ", ("a", title.place), ("c", title.publisher_name), ("d", str(title.year))),
        _data("215", " ", " ", ("a", f"{title.pages}页"), ("c", "图" if title.illustrated else None), ("d", f"{title.size_cm}cm")),
    ]  # fmt: skip
    if title.series:
        fields.append(
            _data("225", "2", " ", ("a", title.series), ("A", pinyin_words(title.series)))
        )
    if title.summary:
        fields.append(_data("330", " ", " ", ("a", title.summary)))
    for subject in title.subjects:
        main, *rest = (*subject, "", "", "")[:4]
        fields.append(
            _data("606", "0", " ", ("a", main), ("x", rest[0]), ("y", rest[1]), ("z", rest[2]))
        )
    fields.append(_data("690", " ", " ", ("a", title.clc), ("v", "5")))
    for contributor in title.contributors:
        if contributor.corporate:
            fields.append(_data("711", "0", "2", ("a", contributor.name), ("4", contributor.role)))
            continue
        tag = "702" if contributor.role in ("译", "续", "修订") else "701"
        fields.append(
            _data(
                tag, " ", "0",
                ("a", contributor.name),
                ("A", None if contributor.country else capitalised_pinyin(name_syllables(contributor.name))),
                ("4", contributor.role),
            )
        )  # fmt: skip
    fields.append(
        _data(
            "801", " ", "0", ("a", "CN"), ("b", CATALOGUING_AGENCY), ("c", f"{catalogued:%Y%m%d}")
        )
    )
    fields += [_field_905(h) for h in holdings]
    record.add_field(*fields)
    return record


def _field_905(h: Holding) -> Field:
    class_number, _, book_number = h.call_number.partition("/")
    return _data(
        "905", " ", " ",
        ("a", h.home), ("b", h.barcode), ("c", h.location), ("d", class_number),
        ("e", book_number), ("s", h.call_number), ("y", h.item_type),
        ("p", f"CNY{format_yuan(h.price_fen)}"), ("g", h.acquired_on.isoformat()),
        ("w", h.current if h.current != h.home else None),
    )  # fmt: skip


# ---------------------------------------------------------------------------
# MARC21


def _field_952(h: Holding) -> Field:
    return _data(
        "952", " ", " ",
        ("a", h.home), ("b", h.current), ("c", h.location), ("d", h.acquired_on.isoformat()),
        ("g", format_yuan(h.price_fen)), ("o", h.call_number), ("p", h.barcode), ("y", h.item_type),
    )  # fmt: skip


def _fixed_008(title: Title, catalogued: date, place: str, language: str, *, fiction: bool) -> str:
    chars = [" "] * 40
    chars[0:6] = f"{catalogued:%y%m%d}"
    chars[6] = "s"
    chars[7:11] = f"{title.year:04d}"
    chars[15:18] = f"{place:<3}"[:3]
    chars[18] = "a" if title.illustrated else " "
    chars[22] = _AUDIENCE_MARC21[title.audience]
    chars[29:32] = "000"
    chars[33] = "1" if fiction else "0"
    chars[35:38] = language
    chars[39] = "d"
    return "".join(chars)


def _rda_carrier() -> list[Field]:
    return [
        _data("336", " ", " ", ("a", "text"), ("b", "txt"), ("2", "rdacontent")),
        _data("337", " ", " ", ("a", "unmediated"), ("b", "n"), ("2", "rdamedia")),
        _data("338", " ", " ", ("a", "volume"), ("b", "nc"), ("2", "rdacarrier")),
    ]


def _020(title: Title) -> Field:
    # Without an ISBN (books before 1987) the price stands alone in 020 $c.
    isbn = title.isbn_printed.replace("-", "") if title.isbn_printed else None
    return _data("020", " ", " ", ("a", isbn), ("c", f"CNY{format_yuan(title.price_fen)}"))


def _nonfiling(text: str) -> str:
    for article in ("The ", "An ", "A "):
        if text.startswith(article):
            return str(len(article))
    return "0"


def _direct_order(inverted: str) -> str:
    surname, _, given = inverted.partition(", ")
    return f"{given} {surname}".strip()


def _english(title: Title, holdings: Sequence[Holding]) -> Record:
    record = Record(leader=MARC21_LEADER, force_utf8=True)
    catalogued = _catalogued_on(holdings, title)
    fiction = title.clc.startswith("I")
    authors = list(title.contributors)
    statement = " and ".join(_direct_order(c.name) for c in authors)
    fields: list[Field | None] = [
        Field(tag="001", data=title.control_number),
        Field(tag="005", data=f"{catalogued:%Y%m%d}093000.0"),
        Field(tag="008", data=_fixed_008(title, catalogued, _PLACE_MARC21.get(title.place, "xxu"), "eng", fiction=fiction)),
        _020(title),
        _data("040", " ", " ", ("a", CATALOGUING_AGENCY), ("b", "eng"), ("e", "rda"), ("c", CATALOGUING_AGENCY)),
        _data("084", " ", " ", ("a", title.clc), ("2", "clc")),
    ]  # fmt: skip
    if authors:
        fields.append(
            _data(
                "100",
                "1",
                " ",
                ("a", f"{authors[0].name},"),
                ("e", f"{_RELATORS.get(authors[0].role, 'author')}."),
            )
        )
    main = title.title if not title.other_title else f"{title.title} :"
    fields.append(
        _data(
            "245", "1" if authors else "0", _nonfiling(title.title),
            ("a", f"{main} /" if not title.other_title else main),
            ("b", f"{title.other_title} /" if title.other_title else None),
            ("c", f"{statement}." if statement else None),
        )
    )  # fmt: skip
    if title.edition:
        fields.append(_data("250", " ", " ", ("a", title.edition)))
    fields += [
        _data("264", " ", "1", ("a", f"{title.place_en} :"), ("b", f"{title.publisher_name},"), ("c", f"{title.year}.")),
        _data("300", " ", " ", ("a", f"{title.pages} pages ;"), ("c", f"{title.size_cm} cm")),
        *_rda_carrier(),
    ]  # fmt: skip
    for subject in title.subjects:
        heading, form = subject[0], subject[1] if len(subject) > 1 else ""
        fields.append(
            _data(
                "650",
                " ",
                "0",
                ("a", heading),
                ("v", f"{form}." if form else None),
            )
        )
    for other in authors[1:]:
        fields.append(
            _data(
                "700",
                "1",
                " ",
                ("a", f"{other.name},"),
                ("e", f"{_RELATORS.get(other.role, 'author')}."),
            )
        )
    fields += [_field_952(h) for h in holdings]
    record.add_field(*(f for f in fields if f is not None))
    return record


def _chinese_marc21(title: Title, holdings: Sequence[Holding]) -> Record:
    """A Chinese book as an OCLC/CALIS MARC21 record: romanised fields linked to 880 vernacular."""
    record = Record(leader=MARC21_LEADER, force_utf8=True)
    catalogued = _catalogued_on(holdings, title)
    people = title.contributors
    link = iter(range(1, 100))

    def linked(
        tag: str,
        ind1: str,
        ind2: str,
        roman: list[tuple[str, str | None]],
        vernacular: list[tuple[str, str | None]],
    ) -> tuple[Field, Field]:
        number = f"{next(link):02d}"
        return (
            _data(tag, ind1, ind2, ("6", f"880-{number}"), *roman),
            _data("880", ind1, ind2, ("6", f"{tag}-{number}/$1"), *vernacular),
        )

    statement_zh = _responsibility(title)[0] or ""
    statement_roman = "; ".join(
        f"{', '.join(' '.join(romanised_name(c.name).split(', ')) for c in people if c.role == role)} {romanised(role).lower()}"
        for role in dict.fromkeys(c.role for c in people)
    )
    pairs: list[tuple[Field, Field]] = []
    if people:
        first = people[0]
        relator = _RELATORS.get(first.role, "author")
        pairs.append(linked("100", "1", " ", [("a", f"{romanised_name(first.name)},"), ("e", f"{relator}.")], [("a", f"{first.name},"), ("e", f"{relator}.")]))  # fmt: skip
    title_zh = title.title if not title.other_title else f"{title.title} :"
    title_roman = romanised(title.title, title.title_syllables)
    title_roman = title_roman if not title.other_title else f"{title_roman} :"
    pairs.append(
        linked(
            "245", "1" if people else "0", "0",
            [("a", f"{title_roman} /" if not title.other_title else title_roman),
             ("b", f"{romanised(title.other_title)} /" if title.other_title else None),
             ("c", f"{statement_roman}." if statement_roman else None)],
            [("a", f"{title_zh} /" if not title.other_title else title_zh),
             ("b", f"{title.other_title} /" if title.other_title else None),
             ("c", f"{statement_zh}." if statement_zh else None)],
        )
    )  # fmt: skip
    if title.edition:
        pairs.append(
            linked(
                "250",
                " ",
                " ",
                [("a", f"{romanised(title.edition)}.")],
                [("a", f"{title.edition}.")],
            )
        )
    pairs.append(
        linked(
            "264", " ", "1",
            [("a", f"{title.place_en} :"), ("b", f"{romanised(title.publisher_name)},"), ("c", f"{title.year}.")],
            [("a", f"{title.place} :"), ("b", f"{title.publisher_name},"), ("c", f"{title.year}.")],
        )
    )  # fmt: skip
    for other in people[1:]:
        relator = _RELATORS.get(other.role, "author")
        pairs.append(linked("700", "1", " ", [("a", f"{romanised_name(other.name)},"), ("e", f"{relator}.")], [("a", f"{other.name},"), ("e", f"{relator}.")]))  # fmt: skip

    fiction = title.clc.startswith("I")
    fields: list[Field | None] = [
        Field(tag="001", data=title.control_number),
        Field(tag="005", data=f"{catalogued:%Y%m%d}093000.0"),
        Field(tag="008", data=_fixed_008(title, catalogued, "cc ", "chi", fiction=fiction)),
        _020(title),
        _data("040", " ", " ", ("a", CATALOGUING_AGENCY), ("b", "chi"), ("e", "rda"), ("c", CATALOGUING_AGENCY)),
        _data("066", " ", " ", ("c", "$1")),
        _data("084", " ", " ", ("a", title.clc), ("2", "clc")),
    ]  # fmt: skip
    heads = {f.tag: f for f, _ in pairs}
    for tag in ("100", "245", "250", "264"):
        if tag in heads:
            fields.append(heads[tag])
    fields += [
        _data("300", " ", " ", ("a", f"{title.pages} pages ;"), ("c", f"{title.size_cm} cm")),
        *_rda_carrier(),
    ]
    if title.summary:
        fields.append(_data("520", " ", " ", ("a", title.summary)))
    for subject in title.subjects:
        main, *rest = (*subject, "", "", "")[:4]
        fields.append(
            _data(
                "650",
                " ",
                "7",
                ("a", main),
                ("x", rest[0]),
                ("z", rest[1]),
                ("y", rest[2]),
                ("2", "cct"),
            )
        )
    fields += [f for f, _ in pairs if f.tag == "700"]
    fields += [vernacular for _, vernacular in pairs]
    fields += [_field_952(h) for h in holdings]
    record.add_field(*(f for f in fields if f is not None))
    return record
