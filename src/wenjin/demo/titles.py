"""Bibliographic data of the demo catalogue, title by title, before it becomes MARC.

Title ``i`` depends only on the seed and on the titles before it (ISBNs and call
numbers are numbered per publisher and per class), never on the scale: the small
demo's titles are the first titles of the report-scale one.

:func:`title_profile` is the part of a title that decides where its copies go
(its shelf group, audience, year, popularity); it needs nothing but the seed and
the index, so the holdings planner can survey the catalogue without building it.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin
from stdnum import ean, isbn

from wenjin.demo.names import (
    ENGLISH_GIVEN_NAMES,
    ENGLISH_SURNAMES,
    FOREIGN_NAMES,
    GIVEN_NAME_CHARACTERS,
    SURNAME_WEIGHTS,
    SURNAMES,
)
from wenjin.demo.vocabulary import (
    CLASSICS,
    DEFAULT_FALLBACK_PUBLISHERS,
    ENGLISH_SECTIONS,
    FALLBACK_PUBLISHERS,
    FOREIGN_COUNTRIES,
    LOCAL_ISSUERS,
    PUBLISHERS,
    SECTIONS,
    Classic,
    EnglishSection,
    Publisher,
    Section,
)

FIRST_YEAR = 1980
LAST_YEAR = 2020  # the report's year: the demo catalogue is the collection at the end of 2020
ISBN_SINCE = 1987  # 中国标准书号 replaced the 统一书号 in 1987
ISBN13_SINCE = 2007

# Share of Chinese titles copy-catalogued in MARC21 with 880 vernacular fields
# (records taken over from CALIS or OCLC); the rest are CNMARC.
MARC21_CHINESE_SHARE = 0.04


def _year_weight(year: int) -> float:
    # Collections grow: a county library holds more of the last decade than of the
    # 1980s. 2020 is low: the year's purchases (56,000 volumes) are ~2% of the stock,
    # and books published late in 2019 are bought in 2020 as well.
    if year == LAST_YEAR:
        return 0.7
    return 1.0 + 0.08 * (year - FIRST_YEAR)


_YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))


@dataclass(frozen=True)
class _Choice:
    """Weighted choice among a fixed list with one uniform draw (bisect on the cumulative weights)."""

    values: tuple[object, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[object], weights: Sequence[float]) -> _Choice:
        return cls(tuple(values), tuple(itertools.accumulate(weights)))

    def pick(self, rng: random.Random) -> object:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


_ALL_SECTIONS: tuple[Section | EnglishSection, ...] = (*SECTIONS, *ENGLISH_SECTIONS)
_SECTION_CHOICE = _Choice.of(_ALL_SECTIONS, [s.weight for s in _ALL_SECTIONS])
_SURNAME_CHOICE = _Choice.of(SURNAMES, SURNAME_WEIGHTS)


@lru_cache(maxsize=64)
def _year_choice(first: int, last: int) -> _Choice:
    years = [y for y in _YEARS if first <= y <= last]
    return _Choice.of(years, [_year_weight(y) for y in years])


# ---------------------------------------------------------------------------
# What decides where a title's copies go


@dataclass(frozen=True)
class TitleProfile:
    group: str  # the shelf group: fiction, children, farming, health, local, english …
    audience: str  # adult, teen, child
    year: int
    popularity: float  # copies scale with it: 1 is an ordinary title, 40 a classic
    local: bool
    reference: bool
    english: bool


def _classic_profile(classic: Classic) -> TitleProfile:
    return TitleProfile(
        group=classic.group,
        audience=classic.audience,
        year=classic.year,
        popularity=classic.popularity,
        local=classic.local,
        reference=classic.reference,
        english=classic.english,
    )


def _rng(seed: int, index: int) -> random.Random:
    return random.Random(f"wenjin-demo:{seed}:{index}")


def _draw_profile(rng: random.Random) -> tuple[Section | EnglishSection, TitleProfile]:
    section = _SECTION_CHOICE.pick(rng)
    assert isinstance(section, Section | EnglishSection)
    first, last = section.years if isinstance(section, Section) else (1990, LAST_YEAR)
    year = _year_choice(first, last).pick(rng)
    assert isinstance(year, int)
    # Most titles sit on the shelf in one or two copies; a few are wanted everywhere.
    popularity = min(30.0, rng.paretovariate(1.7))
    if section.audience == "child":
        popularity *= 1.3
    profile = TitleProfile(
        group=section.group,
        audience=section.audience,
        year=year,
        popularity=popularity,
        local=isinstance(section, Section) and section.local,
        reference=isinstance(section, Section) and section.reference,
        english=isinstance(section, EnglishSection),
    )
    return section, profile


def title_profile(seed: int, index: int) -> TitleProfile:
    """Where title ``index`` belongs, without building it (same answer as :class:`TitleStream`)."""
    if index < len(CLASSICS):
        return _classic_profile(CLASSICS[index])
    return _draw_profile(_rng(seed, index))[1]


# ---------------------------------------------------------------------------
# The title itself


@dataclass(frozen=True)
class Contributor:
    """A name on the title page: ``路遥`` 著, ``[美]约翰·史密斯`` 著, ``李明`` 译, or a body."""

    name: str
    role: str
    corporate: bool = False
    country: str | None = None  # 美, 英 … for a translated author

    @property
    def display(self) -> str:
        return f"[{self.country}]{self.name}" if self.country else self.name


@dataclass
class Title:
    index: int
    control_number: str
    profile: TitleProfile
    title: str
    other_title: str | None
    title_syllables: tuple[str, ...]  # pinyin of ``title``, one syllable per character
    contributors: list[Contributor]
    publisher: Publisher | None  # None: published without an ISBN by a local body (内部资料)
    publisher_name: str
    place: str
    place_en: str
    year: int
    isbn13: str | None
    isbn_printed: str | None  # as on the back cover: ISBN-10 before 2007
    unified_number: str | None  # 统一书号, before 1987
    price_fen: int
    pages: int
    size_cm: int
    illustrated: bool
    clc: str
    book_number: int  # 种次号
    subjects: list[tuple[str, ...]] = field(default_factory=list)
    summary: str | None = None
    series: str | None = None
    edition: str | None = None
    country: str | None = None  # original country of a translated book (102$a)
    marc21: bool = False  # catalogued in MARC21 (English books; some Chinese ones with 880s)

    @property
    def call_number(self) -> str:
        """索书号: class / 种次号, e.g. ``I247.5/1234``."""
        return f"{self.clc}/{self.book_number}"

    @property
    def english(self) -> bool:
        return self.profile.english

    @property
    def audience(self) -> str:
        return self.profile.audience


def _format_slots(template: str, values: Mapping[str, str]) -> str:
    return template.format_map(values)


_FORMATTER = string.Formatter()


def _compose(template: str, values: Mapping[str, str]) -> tuple[str, str | None, tuple[str, ...]]:
    """The title (before a full-width colon), the other title information (after it),
    and the title's pinyin, assembled from the cached pinyin of the template's pieces."""
    title_parts: list[str] = []
    other_parts: list[str] = []
    syllables: list[str] = []
    target = title_parts
    for literal, slot, _, _ in _FORMATTER.parse(template):
        pieces = [literal, values[slot] if slot else ""]
        for piece in pieces:
            if not piece:
                continue
            if target is title_parts and "：" in piece:
                before, after = piece.split("：", 1)
                title_parts.append(before)
                syllables.extend(pinyin_syllables(before))
                target = other_parts
                other_parts.append(after)
                continue
            target.append(piece)
            if target is title_parts:
                syllables.extend(pinyin_syllables(piece))
    other = "".join(other_parts)
    return "".join(title_parts), (other or None), tuple(syllables)


def _split_class(value: str) -> tuple[str, str | None]:
    word, bar, clc = value.partition("|")
    return word, (clc if bar else None)


def _price_base(year: int) -> float:
    # Yuan for an ordinary 300-page book, by year: 1980s prices, the 1990s rise, today's.
    points = (
        (1980, 1.2),
        (1987, 3.0),
        (1995, 12.0),
        (2000, 18.0),
        (2005, 24.0),
        (2010, 30.0),
        (2015, 38.0),
        (2020, 46.0),
    )
    for (y0, p0), (y1, p1) in itertools.pairwise(points):
        if year <= y1:
            return p0 + (p1 - p0) * (year - y0) / (y1 - y0)
    return points[-1][1]


_PRICE_ENDINGS = (0.0, 0.8, 0.5, 0.9, 0.0, 0.6, 0.8, 0.0)


def _price_fen(rng: random.Random, year: int, pages: int, factor: float) -> int:
    yuan = _price_base(year) * factor * (pages / 300) ** 0.6 * rng.lognormvariate(0, 0.18)
    yuan = max(yuan, _price_base(year) * 0.35)
    whole = int(yuan)
    ending = rng.choice(_PRICE_ENDINGS) if whole >= 5 else round(yuan - whole, 1)
    return round((whole + ending) * 100)


def _chinese_name(rng: random.Random) -> str:
    surname = _SURNAME_CHOICE.pick(rng)
    assert isinstance(surname, str)
    given = rng.choice(GIVEN_NAME_CHARACTERS)
    if rng.random() < 0.65:
        given += rng.choice(GIVEN_NAME_CHARACTERS)
    return surname + given


def _foreign_name(rng: random.Random, country: str) -> str:
    given, family = FOREIGN_NAMES[country]
    return f"{rng.choice(given)}·{rng.choice(family)}"


def _pick_role(rng: random.Random, roles: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in roles)
    draw = rng.random() * total
    for role, weight in roles:
        draw -= weight
        if draw < 0:
            return role
    return roles[-1][0]


_EDITION_NUMBERS = "二三四五"


class TitleStream:
    """The demo catalogue's titles in order: ``for title in TitleStream(seed).titles(2000)``.

    ISBNs are numbered per registrant prefix and call numbers per class, so the
    stream must be read from the start; it is cheap (tens of thousands of titles a
    second) next to saving them.
    """

    def __init__(self, seed: int = 2020) -> None:
        self.seed = seed
        self._isbn_counters: dict[str, int] = {}
        self._book_numbers: dict[str, int] = {}
        self._unified_counters: dict[str, int] = {}
        self._reserved_isbns = frozenset(c.isbn for c in CLASSICS if c.isbn)
        self._next = 0

    def titles(self, count: int) -> Iterator[Title]:
        """Titles ``0 .. count-1`` (continuing where the last call stopped)."""
        while self._next < count:
            title = self._title(self._next)
            self._next += 1
            yield title

    # --- numbering -----------------------------------------------------------

    def _book_number(self, clc: str) -> int:
        number = self._book_numbers.get(clc, 0) + 1
        self._book_numbers[clc] = number
        return number

    def _isbn(self, publisher: Publisher, year: int) -> tuple[str, str] | None:
        """A fresh ISBN of ``publisher`` for a book of ``year``: (ISBN-13 digits, printed form)."""
        prefix = publisher.prefix_for(year)
        group, registrant = prefix.split("-")
        digits = 9 - len(group) - len(registrant)
        capacity = 10**digits
        while True:
            counter = self._isbn_counters.get(prefix, 0)
            if counter >= capacity:
                return None
            self._isbn_counters[prefix] = counter + 1
            # A fixed odd multiplier not divisible by 5 walks every number of the
            # range once, so successive titles do not get neighbouring numbers.
            number = (counter * 7919 + 4801) % capacity
            body = f"978{group}{registrant}{number:0{digits}d}"
            isbn13 = body + ean.calc_check_digit(body)
            if isbn13 not in self._reserved_isbns:
                break
        if year < ISBN13_SINCE:
            body10 = f"{group}{registrant}{number:0{digits}d}"
            printed = f"{group}-{registrant}-{number:0{digits}d}-{_isbn10_check_digit(body10)}"
        else:
            printed = f"978-{group}-{registrant}-{number:0{digits}d}-{isbn13[-1]}"
        return isbn13, printed

    def _unified_number(self, publisher_name: str, category: str) -> str:
        # 统一书号: subject category, publisher number, "·", sequence (e.g. 10019·3456)
        key = f"{category}:{publisher_name}"
        sequence = self._unified_counters.get(key, 0) + 1
        self._unified_counters[key] = sequence
        publisher_number = sum(ord(c) for c in publisher_name) % 900 + 1
        return f"{category}{publisher_number:03d}·{sequence + 1000}"

    # --- building a title ----------------------------------------------------

    def _title(self, index: int) -> Title:
        control_number = f"ZC{index + 1:08d}"
        if index < len(CLASSICS):
            return self._classic(index, control_number, CLASSICS[index])
        rng = _rng(self.seed, index)
        section, profile = _draw_profile(rng)
        if isinstance(section, EnglishSection):
            return self._english(index, control_number, rng, section, profile)
        return self._chinese(index, control_number, rng, section, profile)

    def _publish(
        self,
        rng: random.Random,
        keys: Sequence[str],
        year: int,
        *,
        local: bool,
        fallback: Sequence[str] = DEFAULT_FALLBACK_PUBLISHERS,
    ) -> tuple[Publisher | None, str, str, str, str | None, str | None]:
        """(publisher, its name, place, place in English, ISBN-13, printed ISBN) for a new book.

        Large houses publish more: a section's publishers are chosen in proportion to
        the square root of their ISBN range; a house whose range is used up passes the
        book to the next, and finally to ``fallback``.
        """
        if local and rng.random() < 0.35:
            issuer, place = rng.choice(LOCAL_ISSUERS)
            return None, issuer, place, "Zhucheng", None, None
        weights = [PUBLISHERS[key].capacity(year) ** 0.5 for key in keys]
        first = rng.choices(range(len(keys)), weights)[0]
        others = sorted(
            (key for i, key in enumerate(keys) if i != first),
            key=lambda key: -PUBLISHERS[key].capacity(year),
        )
        for key in (keys[first], *others, *fallback):
            publisher = PUBLISHERS[key]
            if year < ISBN_SINCE:
                return publisher, publisher.name, publisher.place, publisher.place_en, None, None
            numbered = self._isbn(publisher, year)
            if numbered is not None:
                return publisher, publisher.name, publisher.place, publisher.place_en, *numbered
        # The fallbacks' ranges hold a million numbers each, more than a report-scale
        # catalogue has titles: reaching this means the vocabulary was changed.
        raise RuntimeError(f"ISBN ranges of {', '.join((*keys, *fallback))} exhausted")

    def _chinese(
        self,
        index: int,
        control_number: str,
        rng: random.Random,
        section: Section,
        profile: TitleProfile,
    ) -> Title:
        picked = {
            slot: _split_class(rng.choice(options)) for slot, options in section.slots.items()
        }
        values = {slot: word for slot, (word, _) in picked.items()}
        template = rng.choice(section.templates)
        # A slot value with its own class (小麦 → S512.1) decides the class of the
        # book when the title uses it; otherwise the section's classes do.
        used = [clc for slot, (_, clc) in picked.items() if clc and "{" + slot + "}" in template]
        country = None
        clc = used[0] if used else rng.choice(section.classes)
        if section.foreign:
            country, country_class, country_name = rng.choice(FOREIGN_COUNTRIES)
            clc = country_class
            values["country"] = country_name
        title, other_title, syllables = _compose(template, values)

        year = profile.year
        publisher, publisher_name, place, place_en, isbn13, printed = self._publish(
            rng,
            section.publishers,
            year,
            local=section.local,
            fallback=FALLBACK_PUBLISHERS.get(clc[0], DEFAULT_FALLBACK_PUBLISHERS),
        )
        unified = None
        if publisher is not None and isbn13 is None:
            unified = self._unified_number(publisher.name, _UNIFIED_CATEGORIES.get(clc[0], "17"))

        contributors = self._contributors(rng, section, country)
        pages = rng.randint(*section.pages)
        price = _price_fen(rng, year, pages, section.price)
        subjects = [
            tuple(_format_slots(part, values) for part in subject)
            for subject in rng.sample(section.subjects, k=min(len(section.subjects), 1))
        ]
        summary = (
            _format_slots(rng.choice(section.summaries), values)
            if section.summaries and rng.random() < 0.6
            else None
        )
        series = (
            _format_slots(rng.choice(section.series), values)
            if section.series and rng.random() < 0.25
            else None
        )
        edition = f"第{rng.choice(_EDITION_NUMBERS)}版" if rng.random() < 0.08 else None
        marc21 = (
            not section.local
            and not section.foreign
            and all(not c.corporate for c in contributors)
            and rng.random() < MARC21_CHINESE_SHARE
        )
        return Title(
            index=index,
            control_number=control_number,
            profile=profile,
            title=title,
            other_title=other_title,
            title_syllables=syllables,
            contributors=contributors,
            publisher=publisher,
            publisher_name=publisher_name,
            place=place,
            place_en=place_en,
            year=year,
            isbn13=isbn13,
            isbn_printed=printed,
            unified_number=unified,
            price_fen=price,
            pages=pages,
            size_cm=_size(rng, section.audience, pages),
            illustrated=section.group in _ILLUSTRATED_GROUPS,
            clc=clc,
            book_number=self._book_number(clc),
            subjects=subjects,
            summary=summary,
            series=series,
            edition=edition,
            country=country,
            marc21=marc21,
        )

    def _contributors(
        self, rng: random.Random, section: Section, country: str | None
    ) -> list[Contributor]:
        if country is not None:
            people = [Contributor(_foreign_name(rng, country), "著", country=country)]
            return [*people, Contributor(_chinese_name(rng), "译")]
        role = _pick_role(rng, section.roles)
        if role == "ORG":
            org = rng.choice(section.orgs) if section.orgs else "本书编写组"
            return [Contributor(org, "编", corporate=True)]
        count = 1
        if role in ("主编", "编著"):
            count = rng.choice((1, 1, 2, 2, 3))
        elif rng.random() < 0.1:
            count = 2
        return [Contributor(_chinese_name(rng), role) for _ in range(count)]

    def _english(
        self,
        index: int,
        control_number: str,
        rng: random.Random,
        section: EnglishSection,
        profile: TitleProfile,
    ) -> Title:
        values = {slot: rng.choice(options) for slot, options in section.slots.items()}
        template = rng.choice(section.templates)
        text = template.format_map(values)
        title, _, other = text.partition(": ")
        year = profile.year
        publisher, name, place, place_en, isbn13, printed = self._publish(
            rng, section.publishers, year, local=False, fallback=FALLBACK_PUBLISHERS["english"]
        )
        authors = [f"{rng.choice(ENGLISH_SURNAMES)}, {rng.choice(ENGLISH_GIVEN_NAMES)}"]
        if not section.fiction and rng.random() < 0.3:
            authors.append(f"{rng.choice(ENGLISH_SURNAMES)}, {rng.choice(ENGLISH_GIVEN_NAMES)}")
        pages = rng.randint(*section.pages)
        clc = rng.choice(section.clc)
        subject = section.subject.format_map(values)
        return Title(
            index=index,
            control_number=control_number,
            profile=profile,
            title=title,
            other_title=other or None,
            title_syllables=(),
            contributors=[Contributor(a, "author") for a in authors],
            publisher=publisher,
            publisher_name=name,
            place=place,
            place_en=place_en,
            year=year,
            isbn13=isbn13,
            isbn_printed=printed,
            unified_number=None,
            # imported books: priced in yuan at the import agent's rate
            price_fen=_price_fen(rng, year, pages, 2.6),
            pages=pages,
            size_cm=rng.choice((20, 22, 23, 24)),
            illustrated=False,
            clc=clc,
            book_number=self._book_number(clc),
            subjects=[(subject, "Fiction" if section.fiction else "")],
            marc21=True,
        )

    def _classic(self, index: int, control_number: str, classic: Classic) -> Title:
        publisher = PUBLISHERS[classic.publisher]
        if classic.isbn:
            isbn13: str | None = classic.isbn
            printed: str | None = _printed_isbn(classic.isbn, classic.year)
        elif classic.year >= ISBN_SINCE:
            numbered = self._isbn(publisher, classic.year)
            assert numbered is not None
            isbn13, printed = numbered
        else:
            isbn13 = printed = None
        contributors = []
        country = None
        for name, role in classic.responsibility:
            match = _COUNTRY_PREFIX.match(name)
            if match and match.group(1) not in ("汉", "清", "宋", "唐", "明"):
                country = match.group(1)
                contributors.append(Contributor(match.group(2), role, country=country))
            else:
                corporate = not classic.english and name.endswith(_BODY_ENDINGS)
                contributors.append(Contributor(name, role, corporate=corporate))
        title, other = classic.title, classic.other_title
        separator = " : " if classic.english else "："
        if other is None and separator in title:
            title, other = title.split(separator, 1)
        rng = _rng(self.seed, index)
        return Title(
            index=index,
            control_number=control_number,
            profile=_classic_profile(classic),
            title=title,
            other_title=other,
            title_syllables=() if classic.english else pinyin_syllables(title),
            contributors=contributors,
            publisher=publisher,
            publisher_name=publisher.name,
            place=publisher.place,
            place_en=publisher.place_en,
            year=classic.year,
            isbn13=isbn13,
            isbn_printed=printed,
            unified_number=None,
            price_fen=classic.price_fen or _price_fen(rng, classic.year, classic.pages, 1.0),
            pages=classic.pages,
            size_cm=21 if not classic.english else 20,
            illustrated=classic.audience == "child",
            clc=classic.clc,
            book_number=self._book_number(classic.clc),
            subjects=[classic.subject] if classic.subject else [],
            edition=classic.edition,
            country=country,
            marc21=classic.english,
        )


_BODY_ENDINGS = ("所", "室", "中心", "中央", "国务院", "大会", "委员会", "编委会", "编写组")
_COUNTRY_PREFIX = re.compile(r"^[\[(（]([^\])）]+)[\])）](.+)$")
_ILLUSTRATED_GROUPS = frozenset(
    {"children", "popsci", "farming", "cooking", "travel", "art", "craft"}
)
# 统一书号 subject categories (1956-1986 scheme): 10 文学, 11 历史, 14 医药, 15 工业, 16 农业 …
_UNIFIED_CATEGORIES = {
    "I": "10",
    "K": "11",
    "R": "14",
    "T": "15",
    "S": "16",
    "G": "7",
    "H": "9",
    "J": "8",
    "B": "2",
    "D": "3",
    "F": "4",
}


def _size(rng: random.Random, audience: str, pages: int) -> int:
    if audience == "child" and pages <= 48:
        return rng.choice((24, 25, 26))
    return rng.choice((21, 21, 21, 23, 24, 26))


def _isbn10_check_digit(body: str) -> str:
    remainder = (11 - sum((10 - i) * int(d) for i, d in enumerate(body)) % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def _printed_isbn(isbn13: str, year: int) -> str:
    """An ISBN as the book prints it: hyphenated ISBN-10 before 2007, ISBN-13 after."""
    if year < ISBN13_SINCE and isbn13.startswith("978"):
        return isbn.format(isbn.to_isbn10(isbn13))
    return isbn.format(isbn13)


# ---------------------------------------------------------------------------
# Pinyin


def _capitalise(syllable: str) -> str:
    return syllable[:1].upper() + syllable[1:]


@cache
def pinyin_syllables(text: str) -> tuple[str, ...]:
    """Pinyin of ``text``, one entry per character (letters and digits kept as they are)."""
    return tuple(
        token
        for token in (t.strip() for t in lazy_pinyin(text, style=Style.NORMAL, errors="default"))
        if token and any(ch.isalnum() for ch in token)
    )


def name_syllables(name: str) -> tuple[str, ...]:
    """Pinyin of a personal name, character by character (the demo's names have one reading)."""
    return tuple(s for ch in name for s in pinyin_syllables(ch))


def capitalised_pinyin(syllables: Sequence[str]) -> str:
    """Pinyin as CNMARC $A carries it: ``Ping Fan De Shi Jie``."""
    return " ".join(_capitalise(s) if s.isascii() else s for s in syllables)


def pinyin_words(text: str) -> str:
    return capitalised_pinyin(pinyin_syllables(text))


def romanised(text: str, syllables: Sequence[str] | None = None) -> str:
    """ALA-LC romanisation for MARC21: syllables spaced, the first capitalised (``Ping fan de shi jie``)."""
    return _capitalise(" ".join(pinyin_syllables(text) if syllables is None else syllables))


def romanised_name(name: str) -> str:
    """A Chinese personal name as ALA-LC writes it in a heading: ``Lu, Yao``, ``Wang, Jianguo``."""
    syllables = name_syllables(name)
    return f"{_capitalise(syllables[0])}, {_capitalise(''.join(syllables[1:]))}"
