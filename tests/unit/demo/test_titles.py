"""The demo's titles: real publishers and ISBN ranges, CLC classes, call numbers, prices, pinyin."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from stdnum import isbn

from wenjin.demo.titles import (
    ISBN13_SINCE,
    ISBN_SINCE,
    Title,
    TitleStream,
    name_syllables,
    pinyin_words,
    romanised,
    romanised_name,
    title_profile,
)
from wenjin.demo.vocabulary import CLASSICS, PUBLISHERS, SECTIONS

COUNT = 3_000


@pytest.fixture(scope="module")
def titles() -> list[Title]:
    return list(TitleStream(2020).titles(COUNT))


def test_every_publisher_prefix_is_a_registrant_in_the_isbn_agencys_ranges() -> None:
    for publisher in PUBLISHERS.values():
        for prefix, _ in publisher.prefixes:
            group, registrant = prefix.split("-")
            body = f"978{group}{registrant}".ljust(12, "0")
            number = body + str(
                (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
            )
            assert isbn.split(number)[1:3] == (group, registrant), publisher.name


def test_every_generated_isbn_is_valid_and_printed_as_the_book_prints_it(
    titles: list[Title],
) -> None:
    with_isbn = [t for t in titles if t.isbn13]
    assert len(with_isbn) > COUNT * 0.85
    for title in with_isbn:
        assert isbn.is_valid(title.isbn13), title
        assert title.isbn_printed is not None
        assert isbn.compact(title.isbn_printed) == (
            isbn.to_isbn10(title.isbn13) if title.year < ISBN13_SINCE else title.isbn13
        )
        assert title.isbn_printed == isbn.format(title.isbn_printed)


def test_isbns_are_unique_and_carry_their_publishers_prefix(titles: list[Title]) -> None:
    numbers = [t.isbn13 for t in titles if t.isbn13]
    assert len(numbers) == len(set(numbers))
    for title in titles:
        if title.isbn13 and title.publisher and title.index >= len(CLASSICS):
            prefix = title.publisher.prefix_for(title.year).replace("-", "")
            assert title.isbn13.startswith("978" + prefix)


def test_books_before_1987_have_a_unified_book_number_instead_of_an_isbn(
    titles: list[Title],
) -> None:
    old = [t for t in titles if t.year < ISBN_SINCE and t.index >= len(CLASSICS)]
    assert old
    for title in old:
        assert title.isbn13 is None
        if title.publisher is not None:
            assert title.unified_number
            assert re.fullmatch(r"\d{4,5}·\d{4,}", title.unified_number)


def test_the_classics_come_first_with_their_real_isbns(titles: list[Title]) -> None:
    by_title = {t.title: t for t in titles[: len(CLASSICS)]}
    assert {"红楼梦", "三国演义", "平凡的世界", "活着"} <= set(by_title)
    assert by_title["活着"].isbn_printed == "978-7-5063-6543-7"
    assert by_title["活着"].publisher_name == "作家出版社"
    assert by_title["平凡的世界"].contributors[0].name == "路遥"
    assert by_title["三国演义"].profile.popularity > 20


def test_call_numbers_are_class_and_a_running_number_per_class(titles: list[Title]) -> None:
    numbers: dict[str, list[int]] = {}
    for title in titles:
        assert title.call_number == f"{title.clc}/{title.book_number}"
        assert re.fullmatch(r"[A-Z][A-Z0-9.\-]*", title.clc), title.clc
        numbers.setdefault(title.clc, []).append(title.book_number)
    for sequence in numbers.values():
        assert sequence == list(range(1, len(sequence) + 1))


def test_a_slot_word_with_its_own_class_decides_the_class(titles: list[Title]) -> None:
    wheat = [t for t in titles if t.title.startswith("小麦") and "病虫害" not in t.title]
    assert wheat
    assert all(t.clc == "S512.1" for t in wheat)


def test_the_catalogue_covers_the_clc_classes_a_county_library_holds(titles: list[Title]) -> None:
    main_classes = Counter(t.clc[0] for t in titles)
    assert set("IKBDFGHJRSTZ") <= set(main_classes)
    assert main_classes["I"] == max(main_classes.values())  # literature is the biggest
    groups = Counter(t.profile.group for t in titles)
    assert groups["farming"] > COUNT * 0.05
    assert groups["local"] > 0
    assert len({s.group for s in SECTIONS}) > 15


def test_prices_are_in_fen_and_follow_the_years(titles: list[Title]) -> None:
    def median(values: list[int]) -> int:
        return sorted(values)[len(values) // 2]

    old = [t.price_fen for t in titles if t.year < 1990 and not t.english]
    new = [t.price_fen for t in titles if t.year >= 2015 and not t.english]
    assert all(isinstance(t.price_fen, int) and t.price_fen > 0 for t in titles)
    assert median(old) < 800 < 2000 < median(new)


def test_translated_books_name_the_country_and_a_translator(titles: list[Title]) -> None:
    translated = [t for t in titles if t.country and t.index >= len(CLASSICS)]
    assert translated
    for title in translated:
        roles = [c.role for c in title.contributors]
        assert roles == ["著", "译"]
        assert title.contributors[0].display.startswith(f"[{title.country}]")


def test_english_books_and_some_chinese_ones_are_marc21(titles: list[Title]) -> None:
    english = [t for t in titles if t.english]
    chinese_marc21 = [t for t in titles if t.marc21 and not t.english]
    assert english
    assert chinese_marc21
    assert all(t.marc21 for t in english)
    assert len(english) + len(chinese_marc21) < COUNT * 0.12


def test_the_stream_is_the_same_for_the_same_seed_and_another_for_another_seed() -> None:
    first = [(t.title, t.isbn13, t.price_fen) for t in TitleStream(2020).titles(300)]
    again = [(t.title, t.isbn13, t.price_fen) for t in TitleStream(2020).titles(300)]
    other = [(t.title, t.isbn13, t.price_fen) for t in TitleStream(2021).titles(300)]
    assert first == again
    assert first[len(CLASSICS) :] != other[len(CLASSICS) :]


def test_a_titles_profile_is_known_without_building_the_title(titles: list[Title]) -> None:
    for title in titles[::97]:
        assert title_profile(2020, title.index) == title.profile


def test_pinyin_is_one_capitalised_syllable_per_character() -> None:
    assert pinyin_words("平凡的世界") == "Ping Fan De Shi Jie"
    assert pinyin_words("Python程序设计") == "Python Cheng Xu She Ji"
    assert " ".join(name_syllables("王建国")) == "wang jian guo"
    assert romanised("平凡的世界") == "Ping fan de shi jie"
    assert romanised_name("路遥") == "Lu, Yao"
    assert romanised_name("王建国") == "Wang, Jianguo"


def test_titles_carry_their_pinyin(titles: list[Title]) -> None:
    for title in titles:
        if not title.english:
            assert len(title.title_syllables) >= len(re.findall(r"[\u4e00-\u9fff]", title.title))


def test_a_publisher_whose_isbn_range_is_used_up_passes_the_book_to_a_larger_house() -> None:
    stream = TitleStream(2020)
    list(stream.titles(len(CLASSICS)))
    small_ranges = [
        prefix
        for publisher in PUBLISHERS.values()
        for prefix, _ in publisher.prefixes
        if len(prefix.replace("-", "")) >= 5  # a 4-digit registrant: 10,000 numbers
    ]
    for prefix in small_ranges:
        stream._isbn_counters[prefix] = 10_000
    titles = list(stream.titles(len(CLASSICS) + 600))
    numbered = [t for t in titles if t.isbn13 and t.publisher]
    assert numbered
    for title in numbered:
        assert isbn.is_valid(title.isbn13)
        assert len(title.publisher.prefix_for(title.year).replace("-", "")) <= 4
    children = [t for t in numbered if t.clc.startswith("I287")]
    assert children
    assert {t.publisher_name for t in children} == {"人民文学出版社"}
