"""MARC21 ↔ CNMARC for the main fields, for exporting a record in the other flavour.

A crosswalk is lossy by nature: it carries what a union catalogue or a partner
system needs (identifiers, title, edition, publication, physical description,
series, notes, subjects, classification, names, language, the fixed-length data)
and drops local fields. Holdings are not crosswalked: the export writes them from
the items in the target flavour.

=================== ===================== =============================================
MARC21              CNMARC                notes
=================== ===================== =============================================
leader              leader                type and level kept; coding per flavour
001, 005            001, 005
008                 100 $a, 101           dates, type of date; language
020 $a $q $c $z     010 $a $b $d $z       price in 010 $d
041                 101                   $h ↔ $c (original language)
050 / 080 / 082     680 / 675 / 676
084 $2 clc / other  690 / 686 $2          692 (科图法) ↔ 084 $2 kt
100 / 700           700 / 701 (702)       surname, forename ↔ $a, $b; dates $d ↔ $f
110, 111 / 710, 711 710 / 711, 712
245 $a $b $n $p $c  200 $a $e $h $i $f    $h (GMD) ↔ $b; romanised 245 + 880 ↔ $a + $A
246                 510 (parallel), 517
250                 205
260 / 264           210                   $a, $b ↔ $c, $c ↔ $d
300                 215                   $b ↔ $c, $c ↔ $d
490, 830            225, 410
500, 504, 505, 520  300, 320, 327, 330    other 5XX ↔ 300
600, 610, 630, 650, 600, 601, 605, 606,   subdivisions: $v ↔ $j, $x ↔ $x, $y ↔ $z,
651, 653, 655       607, 610, 608         $z ↔ $y (chronological and geographical
                                          swap letters between the flavours)
856                 856
=================== ===================== =============================================

Text goes across without ISBD punctuation; the MARC21 side says so with leader/18
``c`` (ISBD punctuation omitted).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from wenjin.catalog.marc.extract import clean, has_cjk
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.states import MarcFlavour


def convert(record: MarcRecord, source: MarcFlavour, target: MarcFlavour) -> MarcRecord:
    """``record`` (in ``source`` flavour) in the ``target`` flavour."""
    if source is target:
        return record
    if target is MarcFlavour.CNMARC:
        return to_cnmarc(record)
    return to_marc21(record)


def _subs(pairs: Sequence[tuple[str, str | None]]) -> list[tuple[str, str]]:
    return [(code, value) for code, value in pairs if value]


def _add(
    fields: list[Field], tag: str, ind1: str, ind2: str, pairs: Sequence[tuple[str, str | None]]
) -> None:
    subfields = _subs(pairs)
    if subfields:
        fields.append(Field(tag, ind1, ind2, subfields))


def _map(f: Field, mapping: dict[str, str]) -> list[tuple[str, str]]:
    return [(mapping[c], clean(v)) for c, v in f.subfields if c in mapping]


# --- MARC21 → CNMARC ---

_DATE_TYPE_TO_UNIMARC = {
    "s": "d",
    "m": "g",
    "r": "e",
    "t": "h",
    "e": "j",
    "n": "f",
    "q": "f",
    "c": "a",
    "u": "c",
    "d": "b",
    "i": "i",
    "k": "i",
}
_SUBJECT_TAGS_TO_CNMARC = {
    "600": "600",
    "610": "601",
    "611": "601",
    "630": "605",
    "650": "606",
    "651": "607",
    "653": "610",
    "655": "608",
}
_MARC21_SUBDIVISIONS_TO_CNMARC = {"v": "j", "x": "x", "y": "z", "z": "y"}
_NOTES_TO_CNMARC = {"500": "300", "504": "320", "505": "327", "520": "330"}
_SECONDARY_RELATORS = ("trl", "ill", "译", "绘", "translator", "illustrator")


def _linked_880(record: MarcRecord) -> dict[tuple[str, str], Field]:
    linked: dict[tuple[str, str], Field] = {}
    for f in record.get_fields("880"):
        link = f.get("6") or ""
        if link[4:6] and link[4:6] != "00":
            linked.setdefault((link[:3], link[4:6]), f)
    return linked


def _vernacular_of(f: Field, linked: dict[tuple[str, str], Field]) -> Field | None:
    link = f.get("6") or ""
    return linked.get((f.tag, link[4:6])) if link.startswith("880") else None


def _two_digit_year(yy: str) -> str:
    if not yy.isdigit():
        return "    "
    now = datetime.now(UTC).year % 100
    return ("20" if int(yy) <= now else "19") + yy


def to_cnmarc(record: MarcRecord) -> MarcRecord:
    linked = _linked_880(record)
    leader = record.leader
    status = leader[5] if leader[5:6].strip() else "n"
    kind = leader[6] if leader[6:7].strip() else "a"
    level = leader[7] if leader[7:8].strip() else "m"
    encoding = " " if leader[17:18] == " " else "1"
    new_leader = f"00000{status}{kind}{level}0 22000000{encoding}  450 "
    fields: list[Field] = []
    for tag in ("001", "005"):
        value = record.control(tag)
        if value is not None:
            fields.append(Field(tag, data=value))

    for f in record.get_fields("020"):
        isbn, _, rest = (f.get("a") or "").partition(" ")
        qualifier = clean(f.get("q")) or clean(rest).strip("()") or None
        _add(
            fields,
            "010",
            " ",
            " ",
            [
                ("a", isbn.strip()),
                ("b", qualifier),
                ("d", clean(f.get("c"))),
                ("z", clean(f.get("z"))),
            ],
        )

    fixed = record.control("008") or ""
    title_field = record.first("245")
    title_text = " ".join(v for _, v in title_field.subfields) if title_field else ""
    vernacular_title = _vernacular_of(title_field, linked) if title_field else None
    script = "ea" if has_cjk(title_text) or vernacular_title is not None else "ba"
    entered = f"{_two_digit_year(fixed[0:2])}{fixed[2:6]}" if fixed[0:6].isdigit() else "        "
    date_type = _DATE_TYPE_TO_UNIMARC.get(fixed[6:7], "d")
    date1 = (fixed[7:11] + "    ")[:4].replace("u", " ").replace("|", " ")
    date2 = (fixed[11:15] + "    ")[:4].replace("u", " ").replace("|", " ")
    cataloguing = clean((record.first("040") or Field("040")).get("b")) or (
        "chi" if script == "ea" else "eng"
    )
    # 100 $a: dates (0-16), audience (17-19), government publication (20), modified
    # record (21), cataloguing language (22-24), transliteration (25), character sets
    # (26-33: 50 = Unicode), script of the title (34-35: ea = Han, ba = Latin).
    general = f"{entered}{date_type}{date1}{date2}   y0{cataloguing[:3]:3}y50      {script}"
    fields.append(Field("100", " ", " ", [("a", general)]))

    languages = [clean(v)[:3] for f in record.get_fields("041") for v in f.values("a")]
    originals = [clean(v)[:3] for f in record.get_fields("041") for v in f.values("h")]
    if not languages and fixed[35:38].strip(" |"):
        languages = [fixed[35:38]]
    translated = "1" if originals else "0"
    _add(
        fields,
        "101",
        translated,
        " ",
        [("a", lang) for lang in languages] + [("c", lang) for lang in originals],
    )

    if title_field is not None:
        source = vernacular_title or title_field
        pairs = _map(source, {"a": "a", "h": "b", "b": "e", "n": "h", "p": "i", "c": "f"})
        pairs = [(c, v.strip("[]") if c == "b" else v) for c, v in pairs]  # GMD brackets
        if vernacular_title is not None:
            pairs.insert(1, ("A", clean(title_field.get("a"))))
        _add(fields, "200", "1", " ", pairs)

    edition = record.first("250")
    if edition is not None:
        source = _vernacular_of(edition, linked) or edition
        _add(fields, "205", " ", " ", _map(source, {"a": "a", "b": "b"}))

    for f in record.get_fields("260", "264")[:1]:
        source = _vernacular_of(f, linked) or f
        _add(fields, "210", " ", " ", _map(source, {"a": "a", "b": "c", "c": "d"}))
    for f in record.get_fields("300"):
        _add(fields, "215", " ", " ", _map(f, {"a": "a", "b": "c", "c": "d", "e": "e"}))
    for f in record.get_fields("490", "440"):
        _add(fields, "225", "2", " ", _map(f, {"a": "a", "v": "v", "x": "x"}))

    for f in record.fields:
        if f.data is None and f.tag.startswith("5") and f.tag != "580":
            target = _NOTES_TO_CNMARC.get(f.tag, "300")
            text = " ".join(clean(v) for c, v in f.subfields if c.isalpha() and c.islower())
            _add(fields, target, " ", " ", [("a", text)])

    for f in record.get_fields("830"):
        _add(fields, "410", " ", "0", [("1", "2001 "), *_map(f, {"a": "a", "v": "v"})])
    for f in record.get_fields("246", "242"):
        target = "510" if f.tag == "242" or f.ind2 == "1" else "517"
        _add(fields, target, "1", " ", _map(f, {"a": "a", "b": "e"}))

    for f in record.fields:
        subject_tag = _SUBJECT_TAGS_TO_CNMARC.get(f.tag)
        if subject_tag is None or f.data is not None:
            continue
        subject: list[tuple[str, str | None]] = []
        for code, value in f.subfields:
            if code in _MARC21_SUBDIVISIONS_TO_CNMARC:
                subject.append((_MARC21_SUBDIVISIONS_TO_CNMARC[code], clean(value)))
            elif code == "a" and f.tag == "600" and "," in value:
                surname, _, forename = clean(value).partition(",")
                subject += [("a", surname.strip()), ("b", forename.strip())]
            elif code in "abcdt" and code.islower():
                subject.append(("a" if code == "a" else code, clean(value)))
            elif code == "2":
                subject.append(("2", clean(value)))
        _add(fields, subject_tag, " ", "0" if f.tag == "600" else " ", subject)

    classes = {"050": "680", "080": "675", "082": "676"}
    for f in record.get_fields("050", "080", "082", "084"):
        if f.tag == "084":
            scheme = clean(f.get("2")).lower()
            if scheme.startswith("clc"):
                _add(fields, "690", " ", " ", [("a", clean(f.get("a")))])
            elif scheme == "kt":
                _add(fields, "692", " ", " ", [("a", clean(f.get("a")))])
            else:
                _add(fields, "686", " ", " ", [("a", clean(f.get("a"))), ("2", scheme or None)])
        else:
            number = " ".join(clean(v) for c, v in f.subfields if c in "ab")
            _add(fields, classes[f.tag], " ", " ", [("a", number)])

    for f in record.get_fields("100", "110", "111", "700", "710", "711"):
        fields.append(_name_to_cnmarc(f, _vernacular_of(f, linked)))
    for f in record.get_fields("856"):
        fields.append(Field("856", f.ind1, f.ind2, list(f.subfields)))
    org = record.control("003") or clean((record.first("040") or Field("040")).get("a"))
    if org:
        fields.append(Field("801", " ", "0", [("b", org)]))
    fields.sort(key=lambda f: f.tag)
    return MarcRecord(new_leader, fields)


def _name_to_cnmarc(f: Field, vernacular: Field | None) -> Field:
    source = vernacular or f
    relator = clean(f.get("e")) or clean(f.get("4"))
    if f.tag in ("100", "700"):
        if f.tag == "100":
            tag = "700"
        elif any(r in relator.lower() for r in _SECONDARY_RELATORS):
            tag = "702"
        else:
            tag = "701"
        name = clean(source.get("a"))
        surname, comma, forename = name.partition(",")
        pairs: list[tuple[str, str | None]] = [("a", surname.strip() if comma else name)]
        if comma:
            pairs.append(("b", forename.strip()))
        if vernacular is not None:
            pairs.append(("A", clean(f.get("a"))))
        pairs += [
            ("c", clean(source.get("c"))),
            ("f", clean(source.get("d"))),
            ("g", clean(source.get("q")).strip("()")),
            ("4", relator),
        ]
        ind2 = "1" if f.ind1 == "1" else "0"
        return Field(tag, " ", ind2, _subs(pairs))
    tag = {"110": "710", "111": "710", "710": "711", "711": "711"}[f.tag]
    ind1 = "1" if f.tag.endswith("11") else "0"
    pairs = [("a", clean(source.get("a"))), *[("b", clean(v)) for v in source.values("b")]]
    if relator:
        pairs.append(("4", relator))
    return Field(tag, ind1, "2", _subs(pairs))


# --- CNMARC → MARC21 ---

_DATE_TYPE_TO_MARC21 = {v: k for k, v in _DATE_TYPE_TO_UNIMARC.items() if k not in "qkud"}
_SUBJECT_TAGS_TO_MARC21 = {
    "600": "600",
    "601": "610",
    "605": "630",
    "606": "650",
    "607": "651",
    "608": "655",
    "610": "653",
}
_CNMARC_SUBDIVISIONS_TO_MARC21 = {"j": "v", "x": "x", "y": "z", "z": "y"}
_NOTES_TO_MARC21 = {"300": "500", "320": "504", "327": "505", "330": "520"}
_BOOK_FIXED_DATA = "    " + "  " + "    " + " 000 0 "  # 008/18-34 for books, unknown


class _Linker:
    """Hands out 880 occurrence numbers: 245 $6 880-01 ↔ 880 $6 245-01/$1."""

    def __init__(self) -> None:
        self.count = 0
        self.vernaculars: list[Field] = []

    def link(self, romanised: Field, vernacular: Field) -> None:
        self.count += 1
        occurrence = f"{self.count:02d}"
        romanised.subfields.insert(0, ("6", f"880-{occurrence}"))
        vernacular.subfields.insert(0, ("6", f"{romanised.tag}-{occurrence}/$1"))
        self.vernaculars.append(
            Field("880", vernacular.ind1, vernacular.ind2, vernacular.subfields)
        )


def to_marc21(record: MarcRecord) -> MarcRecord:
    leader = record.leader
    status = leader[5] if leader[5:6].strip() else "n"
    kind = leader[6] if leader[6:7].strip() else "a"
    level = leader[7] if leader[7:8].strip() else "m"
    new_leader = f"00000{status}{kind}{level} a2200000 c 4500"
    fields: list[Field] = []
    linker = _Linker()
    for tag in ("001", "005"):
        value = record.control(tag)
        if value is not None:
            fields.append(Field(tag, data=value))

    general_field = record.first("100")
    general = ((general_field.get("a") if general_field else None) or "").ljust(36)
    languages_field = record.first("101")
    languages = [clean(v)[:3] for v in languages_field.values("a")] if languages_field else []
    originals = [clean(v)[:3] for v in languages_field.values("c")] if languages_field else []
    country = clean((record.first("102") or Field("102")).get("a")).upper()
    place = "cc " if country == "CN" else "xx "
    entered = general[2:8] if general[0:8].isdigit() else "      "
    date_type = _DATE_TYPE_TO_MARC21.get(general[8], "s")
    language = (languages[0] if languages else "   ").ljust(3)[:3]
    fixed = (
        f"{entered}{date_type}{general[9:13]}{general[13:17]}{place}{_BOOK_FIXED_DATA}{language} d"
    )
    fields.append(Field("008", data=fixed))

    for f in record.get_fields("010"):
        _add(fields, "020", " ", " ", _map(f, {"a": "a", "b": "q", "d": "c", "z": "z"}))
    if len(languages) > 1 or originals:
        _add(
            fields,
            "041",
            "1" if originals else "0",
            " ",
            [("a", lang) for lang in languages] + [("h", lang) for lang in originals],
        )
    for f in record.get_fields("801")[:1]:
        _add(fields, "040", " ", " ", [("a", clean(f.get("b"))), ("c", clean(f.get("b")))])

    classes = {"675": "080", "676": "082", "680": "050"}
    for f in record.get_fields("675", "676", "680", "686", "690", "692"):
        number = clean(f.get("a"))
        if f.tag == "690":
            _add(fields, "084", " ", " ", [("a", number), ("2", "clc")])
        elif f.tag == "692":
            _add(fields, "084", " ", " ", [("a", number), ("2", "kt")])
        elif f.tag == "686":
            _add(fields, "084", " ", " ", [("a", number), ("2", clean(f.get("2")) or None)])
        else:
            _add(fields, classes[f.tag], " ", " ", [("a", number)])

    names = record.get_fields("700", "701", "702", "710", "711", "712")
    main_entry = next((f for f in names if f.tag in ("700", "710")), None)
    for f in names:
        block = "1" if f is main_entry else "7"
        _name_to_marc21(f, block + ("00" if f.tag.startswith("70") else "10"), fields, linker)
    main_done = main_entry is not None

    title_field = record.first("200")
    if title_field is not None:
        pairs = _map(title_field, {"a": "a", "e": "b", "h": "n", "i": "p", "b": "h"})
        responsibility = " ; ".join(clean(v) for c, v in title_field.subfields if c in "fg")
        pairs.append(("c", responsibility))
        vernacular = Field("245", "1" if main_done else "0", "0", _subs(pairs))
        pinyin = " ".join(clean(v) for c, v in title_field.subfields if c == "A")
        if pinyin:
            romanised = Field("245", vernacular.ind1, "0", [("a", pinyin)])
            fields.append(romanised)
            linker.link(romanised, vernacular)
        else:
            fields.append(vernacular)
        for value in title_field.values("d"):
            _add(fields, "246", "3", "1", [("a", clean(value))])

    for f in record.get_fields("205"):
        _add(fields, "250", " ", " ", _map(f, {"a": "a", "b": "b"}))
    for f in record.get_fields("210")[:1]:
        _add(fields, "260", " ", " ", _map(f, {"a": "a", "c": "b", "d": "c"}))
    for f in record.get_fields("215"):
        _add(fields, "300", " ", " ", _map(f, {"a": "a", "c": "b", "d": "c", "e": "e"}))
    for f in record.get_fields("225"):
        _add(
            fields,
            "490",
            "1" if "410" in record else "0",
            " ",
            _map(f, {"a": "a", "v": "v", "x": "x"}),
        )
    for f in record.fields:
        if f.data is None and f.tag.startswith("3"):
            text = " ".join(clean(v) for c, v in f.subfields if c.isalpha() and c.islower())
            _add(fields, _NOTES_TO_MARC21.get(f.tag, "500"), " ", " ", [("a", text)])
    for f in record.get_fields("510", "517"):
        _add(fields, "246", "3", "1" if f.tag == "510" else " ", _map(f, {"a": "a", "e": "b"}))
    for f in record.fields:
        target = _SUBJECT_TAGS_TO_MARC21.get(f.tag)
        if target is None or f.data is not None:
            continue
        pairs = []
        surname, forename = clean(f.get("a")), clean(f.get("b"))
        for code, value in f.subfields:
            if code in _CNMARC_SUBDIVISIONS_TO_MARC21:
                pairs.append((_CNMARC_SUBDIVISIONS_TO_MARC21[code], clean(value)))
            elif code == "a":
                name = f"{surname}, {forename}" if f.tag == "600" and forename else clean(value)
                pairs.append(("a", name))
            elif code == "2":
                pairs.append(("2", clean(value)))
        ind2 = "7" if f.get("2") else "4"
        _add(fields, target, "1" if f.tag == "600" else " ", ind2, pairs)
    for f in record.get_fields("410"):
        _add(fields, "830", " ", "0", _map(f, {"a": "a", "v": "v"}))
    for f in record.get_fields("856"):
        fields.append(Field("856", f.ind1, f.ind2, list(f.subfields)))
    fields.extend(linker.vernaculars)
    fields.sort(key=lambda f: f.tag)
    return MarcRecord(new_leader, fields)


def _name_to_marc21(f: Field, tag: str, fields: list[Field], linker: _Linker) -> None:
    relator = clean(f.get("4"))
    relator_pair = ("e", relator) if relator and not relator.isdigit() else ("4", None)
    if f.tag.startswith("70"):
        surname, forename = clean(f.get("a")), clean(f.get("b"))
        name = f"{surname}, {forename}" if surname and forename else surname or forename
        ind1 = "1" if f.ind2 == "1" or forename else "0"
        pairs: list[tuple[str, str | None]] = [
            ("a", name),
            ("c", clean(f.get("c"))),
            ("d", clean(f.get("f"))),
            relator_pair,
        ]
    else:
        name = clean(f.get("a"))
        ind1 = "1" if f.ind1 == "1" else "2"
        pairs = [("a", name), *[("b", clean(v)) for v in f.values("b")], relator_pair]
    vernacular = Field(tag, ind1, " ", _subs(pairs))
    if not vernacular.subfields:
        return
    pinyin = clean(f.get("A"))
    if pinyin and has_cjk(name):
        romanised = Field(tag, ind1, " ", [("a", pinyin)])
        fields.append(romanised)
        linker.link(romanised, vernacular)
    else:
        fields.append(vernacular)
