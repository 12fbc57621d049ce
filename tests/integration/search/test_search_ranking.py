"""The search test table: for each query, the record that must come first (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from wenjin.db.uow import UnitOfWork
from wenjin.search.engine import SearchIndex
from wenjin.search.queries import search

UoW = Callable[..., UnitOfWork]

# query → control number of the record that must come first
FIRST = [
    ("红楼梦", "HL2005"),  # exact title; of two editions, the newer
    ("紅樓夢", "HL2005"),  # traditional characters
    ("hongloumeng", "HL2005"),  # full pinyin
    ("hlm", "HL2005"),  # pinyin initials
    ("HongLouMeng", "HL2005"),  # pinyin in any case
    ("红楼梦研究", "HLYJ"),
    ("研究", "HLYJ"),
    ("曹雪芹", "CXQZ"),  # a title word beats the same word as author
    ("caoxueqin", "CXQZ"),
    ("俞平伯", "HLYJ"),  # author
    ("重庆", "CQLY"),
    ("chongqing", "CQLY"),  # heteronym 重: chong, not zhong
    ("changan", "CASE"),  # heteronym 长: chang, not zhang
    ("chang'an", "CASE"),
    ("长安", "CASE"),
    ("9787020002207", "HL1996"),  # ISBN-13 for an ISBN-10 record
    ("7-02-000220-X", "HL1996"),
    ("702000220x", "HL1996"),
    ("isbn:978-7-5404-7967-1", "CASE"),
    ("9780684801223", "OMS1"),
    ("clc:I247.5", "CASE"),
    ("clc:I24*", "CASE"),  # the newest record of the classes under I24
    ("I247.5", "CASE"),  # a bare CLC class
    ("the old man and the sea", "OMS1"),  # exact English title
    ("The Old Man and the Sea", "OMS1"),
    ("sea", "OMS1"),  # both titles: the newer one
    ('"the sea"', "OMS1"),
    ("hemingway", "OMS1"),
    ("bronte", "BRON"),  # diacritics folded: Brontë
    ("Brontë", "BRON"),
    ("图书馆分类法", "ZGTS"),  # a word of the library-domain dictionary
    ("分类 图书馆", "ZGTS"),
    ("title:研究", "HLYJ"),
    ("author:曹雪芹", "HL2005"),
    ("publisher:国家图书馆出版社", "ZGTS"),
    ("subject:章回小说", "HL1996"),
    ("year:2017-2018", "CQLY"),
    ("红楼梦 NOT 研究", "HL2005"),
    ("红楼梦 非 研究", "HL2005"),
    ("西游记 OR 长安", "CASE"),
    ("(吴承恩 OR 马伯庸) 西游", "XYJ"),
    ("梦楼红", "HLYJ"),  # no such words: the characters are searched
]


@pytest.mark.parametrize(("query", "first"), FIRST, ids=[q for q, _ in FIRST])
def test_the_obvious_record_comes_first(
    uow: UoW, library: Any, index: SearchIndex, query: str, first: str
) -> None:
    with uow(readonly=True) as work:
        results = search(work.session, index=index, query=query)
    assert results.hits, f"{query!r} found nothing"
    assert results.hits[0].control_number == first, [h.title for h in results.hits]


def test_more_borrowed_editions_come_before_newer_ones(
    uow: UoW, library: Any, builders: ModuleType, index: SearchIndex
) -> None:
    with uow() as work:
        builders.set_loan_counts(work.session, {library.records["HL1996"]: 40})
        work.commit()
    with uow(readonly=True) as work:
        results = search(work.session, index=index, query="红楼梦")
    assert [h.control_number for h in results.hits[:3]] == ["HL1996", "HL2005", "HLYJ"]


@pytest.mark.parametrize(
    "query", ['"', "(", "((红楼梦", 'title:"', "AND", "NOT", "year:", ":", "）（", "isbn:", "clc:"]
)
def test_a_query_of_stray_characters_never_fails(
    uow: UoW, library: Any, index: SearchIndex, query: str
) -> None:
    with uow(readonly=True) as work:
        results = search(work.session, index=index, query=query)
    assert results.total >= 0


def test_a_word_missing_from_the_catalogue_finds_nothing(
    uow: UoW, library: Any, index: SearchIndex
) -> None:
    with uow(readonly=True) as work:
        assert search(work.session, index=index, query="量子力学").total == 0
        assert search(work.session, index=index, query="zzzqqq").total == 0
