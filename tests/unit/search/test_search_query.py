"""The query parser: fields, phrases, operators, and never a refusal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wenjin.search.engine import rank_key
from wenjin.search.query import And, Not, Or, Term, YearRange, keyword_text, parse


def test_words_are_keywords_joined_by_and() -> None:
    assert parse("红楼梦 曹雪芹") == And((Term("红楼梦"), Term("曹雪芹")))


def test_a_field_prefix_searches_that_field() -> None:
    assert parse("title:红楼梦") == Term("红楼梦", "title")
    assert parse("作者：曹雪芹") == Term("曹雪芹", "author")
    assert parse("isbn:7-02-000220-X") == Term("7-02-000220-X", "isbn")
    assert parse("clc:I24*") == Term("I24*", "clc")


def test_an_unknown_field_is_searched_as_text() -> None:
    assert parse("colour:red") == Term("colour:red")


def test_year_ranges() -> None:
    assert parse("year:2018-2020") == YearRange(2018, 2020)
    assert parse("year:2018") == YearRange(2018, 2018)
    assert parse("year:2018-") == YearRange(2018, None)
    assert parse("year:-2020") == YearRange(None, 2020)
    assert parse("year:2020-2018") == YearRange(2018, 2020)
    assert parse("year:soon") == Term("soon")


def test_quotes_make_a_phrase() -> None:
    assert parse('"the old man" sea') == And((Term("the old man", phrase=True), Term("sea")))
    assert parse("“老人与海”") == Term("老人与海", phrase=True)
    assert parse('title:"old man"') == Term("old man", "title", phrase=True)


def test_operators_in_english_and_chinese() -> None:
    assert parse("红楼梦 OR 石头记") == Or((Term("红楼梦"), Term("石头记")))
    assert parse("红楼梦 或 石头记") == Or((Term("红楼梦"), Term("石头记")))
    assert parse("红楼梦 NOT 续书") == And((Term("红楼梦"), Not(Term("续书"))))
    assert parse("红楼梦 非 续书") == And((Term("红楼梦"), Not(Term("续书"))))
    assert parse("红楼梦 与 曹雪芹") == And((Term("红楼梦"), Term("曹雪芹")))
    assert parse("红楼梦 -续书") == And((Term("红楼梦"), Not(Term("续书"))))


def test_lower_case_and_or_not_are_words_of_a_title() -> None:
    assert parse("war and peace") == And((Term("war"), Term("and"), Term("peace")))


def test_brackets_group() -> None:
    assert parse("(鲁迅 OR 周树人) 小说") == And((Or((Term("鲁迅"), Term("周树人"))), Term("小说")))


def test_stray_quotes_brackets_and_operators_are_searched_as_text_or_dropped() -> None:
    assert parse('红楼梦 "') == Term("红楼梦")
    assert parse("((红楼梦") == Term("红楼梦")
    assert parse("红楼梦 )") == Term("红楼梦")
    assert parse("AND") is None
    assert parse("红楼梦 OR") == Term("红楼梦")
    assert parse("NOT") is None
    assert parse("") is None


@given(st.text(max_size=60))
def test_no_text_makes_the_parser_fail(text: str) -> None:
    parse(text)


def test_only_keyword_queries_can_match_a_whole_title() -> None:
    assert keyword_text(parse("红楼梦")) == "红楼梦"
    assert keyword_text(parse("the old man")) == "the old man"
    assert keyword_text(parse("title:红楼梦")) is None
    assert keyword_text(parse("红楼梦 OR 石头记")) is None


def test_more_borrowed_ranks_first_then_newer() -> None:
    assert rank_key(40, 1996) > rank_key(0, 2020)
    assert rank_key(3, 2020) > rank_key(2, 2019)  # the same order of magnitude: newer
    assert rank_key(0, 2020) > rank_key(0, 2019)
    assert rank_key(0, None) < rank_key(0, 1900)
