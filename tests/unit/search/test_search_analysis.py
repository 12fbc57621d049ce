"""Text analysis: folding, characters, jieba words, pinyin, ISBNs and CLC classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenjin.search import analysis
from wenjin.search.documents import RecordText, analyse


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("紅樓夢", "红楼梦"),
        ("红楼梦", "红楼梦"),
        ("長安十二時辰", "长安十二时辰"),
        ("Brontë", "bronte"),
        ("Ｔｈｅ　Ｓｅａ", "the sea"),
        ("ÉCOLE", "ecole"),
        ("１９８４", "1984"),
    ],
)
def test_text_is_folded_to_simplified_half_width_lower_case_without_accents(
    text: str, folded: str
) -> None:
    assert analysis.fold(text) == folded


def test_chinese_is_indexed_character_by_character_and_latin_word_by_word() -> None:
    assert analysis.tokens("紅樓夢（Dream of the Red Chamber）") == [
        "红", "楼", "梦", "dream", "of", "the", "red", "chamber",
    ]  # fmt: skip


def test_punctuation_alone_has_no_tokens() -> None:
    assert analysis.tokens("《》（）——！") == []
    assert analysis.tokens(None) == []


def test_words_come_from_jieba_with_the_library_dictionary() -> None:
    words = analysis.words("中国图书馆分类法")
    assert "中国图书馆分类法" in words
    assert "图书馆" in words


def test_search_mode_keeps_a_long_word_and_its_parts() -> None:
    words = analysis.words("红楼梦研究")
    assert {"红楼梦", "红楼", "研究"} <= set(words)


def test_a_title_has_its_full_pinyin_and_initials() -> None:
    keys = analysis.pinyin_keys("红楼梦")
    assert {"hongloumeng", "hlm", "hong", "lou", "meng"} <= set(keys)


@pytest.mark.parametrize(
    ("text", "reading", "wrong"),
    [
        ("重庆", "chongqing", "zhongqing"),
        ("长安", "changan", "zhangan"),
        ("银行", "yinhang", "yinxing"),
    ],
)
def test_heteronyms_are_read_as_the_word_is_read(text: str, reading: str, wrong: str) -> None:
    keys = analysis.pinyin_keys(text)
    assert reading in keys
    assert keys.index(reading) < (keys.index(wrong) if wrong in keys else len(keys))


def test_pinyin_apostrophes_are_dropped() -> None:
    assert all("'" not in key for key in analysis.pinyin_keys("长安西安"))


def test_the_exact_title_keys_are_text_pinyin_and_initials() -> None:
    assert analysis.exact_keys("紅樓夢") == ["红楼梦", "hongloumeng", "hlm"]
    assert analysis.exact_keys("The Old Man and the Sea!") == ["theoldmanandthesea"]


@pytest.mark.parametrize(
    "given",
    ["7-02-000220-X", "702000220x", "978-7-02-000220-7", "9787020002207", "ISBN 7 02 000220 X"],
)
def test_an_isbn_in_any_form_gives_both_isbn_forms(given: str) -> None:
    assert set(analysis.isbn_forms(given)) >= {"9787020002207", "702000220x"}


def test_a_979_isbn_has_no_isbn10() -> None:
    forms = analysis.isbn_forms("979-10-90636-07-1")
    assert forms == ["9791090636071"]


def test_an_invalid_isbn_is_kept_as_given() -> None:
    assert analysis.isbn_forms("7-02-000220-1") == ["7020002201"]


@pytest.mark.parametrize(
    ("isbn13", "isbn10"),
    [
        ("9787020002207", "702000220x"),
        ("9787040247657", "7040247658"),
        ("9780140449136", "0140449132"),
        ("9787530248010", "7530248014"),
    ],
)
def test_a_978_isbn_gives_the_isbn10_with_its_own_check_digit(isbn13: str, isbn10: str) -> None:
    assert analysis.isbn_forms(isbn13) == [isbn13, isbn10]


def test_the_analysis_of_a_repeated_text_is_a_fresh_list_each_time() -> None:
    first = analysis.tokens("红楼梦研究")
    first.append("changed")
    analysis.pinyin_keys("红楼梦研究").clear()
    analysis.words("红楼梦研究").clear()
    analysis.exact_keys("红楼梦研究").clear()

    assert analysis.tokens("红楼梦研究") == ["红", "楼", "梦", "研", "究"]
    assert "hongloumeng" in analysis.pinyin_keys("红楼梦研究")
    assert "红楼梦" in analysis.words("红楼梦研究")
    assert analysis.exact_keys("红楼梦研究")[0] == "红楼梦研究"


def test_a_clc_class_is_found_by_every_class_above_it() -> None:
    assert analysis.clc_prefixes("I247.5") == ["i", "i2", "i24", "i247", "i247.5"]
    assert analysis.clc_normal("i24*") == "I24"
    assert analysis.clc_top("TP312") == "T"
    assert analysis.clc_top(None) is None


def test_an_isbn_is_recognised_in_a_query() -> None:
    assert analysis.looks_like_isbn("978-7-02-000220-7")
    assert analysis.looks_like_isbn("7-02-000220-X")
    assert not analysis.looks_like_isbn("红楼梦")
    assert not analysis.looks_like_isbn("2020")


def test_a_chinese_query_is_split_into_words_of_characters() -> None:
    assert analysis.chinese_words("红楼梦研究 hello") == [
        ["红", "楼", "梦"],
        ["研", "究"],
        ["hello"],
    ]


def test_a_record_is_analysed_into_its_search_fields() -> None:
    text = analyse(
        RecordText(
            bib_id=1,
            title="紅樓夢",
            title_parallel=["A dream of red mansions"],
            authors=["曹雪芹"],
            subjects=["章回小说"],
            publisher="人民文学出版社",
            isbns=["7-02-000220-X"],
            clc="I242.47",
            year=1996,
            language="CHI",
        )
    )
    assert text.title.split()[:3] == ["红", "楼", "梦"]
    assert "mansions" in text.title.split()
    assert {"hongloumeng", "hlm", "红楼梦"} <= set(text.title_words.split())
    assert "caoxueqin" in text.author.split()
    assert "9787020002207" in text.isbns.split()
    assert "i24" in text.clc.split()
    assert (text.clc_top, text.language, text.year) == ("I", "chi", 1996)


def test_words_added_to_the_dictionary_are_used_for_texts_analysed_before(tmp_path: Path) -> None:
    text = "津渡闻笛录"
    assert "津渡闻笛录" not in analysis.words(text)
    dictionary = tmp_path / "words.txt"
    dictionary.write_text("津渡闻笛录 100 n\n", encoding="utf-8")

    analysis.add_words(dictionary)

    assert "津渡闻笛录" in analysis.words(text)
    assert "jdwdl" in analysis.pinyin_keys(text)
