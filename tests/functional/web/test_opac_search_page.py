"""The OPAC results page: Chinese, pinyin and ISBN find the book; facets narrow; no JS needed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def _titles(html: str) -> list[str]:
    return re.findall(r'class="record-list__title" href="[^"]+">([^<]+)</a>', html)


def test_a_chinese_title_finds_the_book_first(client: TestClient) -> None:
    page = client.get("/search", params={"q": "平凡的世界"})
    assert page.status_code == 200
    assert _titles(page.text)[0] == "平凡的世界"
    assert 'id="results-summary"' in page.text


def test_pinyin_initials_and_traditional_characters_find_it_too(client: TestClient) -> None:
    assert _titles(client.get("/search", params={"q": "pingfandeshijie"}).text)[0] == "平凡的世界"
    assert _titles(client.get("/search", params={"q": "pfdsj"}).text)[0] == "平凡的世界"
    assert _titles(client.get("/search", params={"q": "平凡的世界"}).text)[0] == "平凡的世界"
    assert "三体" in _titles(client.get("/search", params={"q": "三體"}).text)


def test_an_isbn_with_or_without_hyphens_finds_the_book(client: TestClient) -> None:
    record = client.get("/search", params={"q": "平凡的世界"})
    isbn = re.search(r'ISBN <span class="isbn">([0-9X-]+)</span>', record.text)
    assert isbn, "the sample book shows its ISBN"
    bare = isbn.group(1).replace("-", "")
    assert _titles(client.get("/search", params={"q": bare}).text)[0] == "平凡的世界"


def test_a_facet_link_narrows_the_results_and_a_chip_removes_it(client: TestClient) -> None:
    page = client.get("/search", params={"q": "三体 OR 平凡的世界"})
    before = _titles(page.text)
    assert len(before) >= 2
    facet = re.search(r'<a href="(/search\?[^"]*available=available[^"]*)"', page.text)
    assert facet, "the availability facet offers 'available'"
    narrowed = client.get(facet.group(1).replace("&amp;", "&"))
    assert "filter-chip" in narrowed.text
    chip = re.search(r'class="filter-chip" href="([^"]+)"', narrowed.text)
    assert chip
    again = client.get(chip.group(1).replace("&amp;", "&"))
    assert "filter-chip" not in again.text


def test_nothing_found_gives_advice_not_an_error(client: TestClient) -> None:
    page = client.get("/search", params={"q": '"《未闭合的引号 (括号'})
    assert page.status_code == 200
    assert "检索建议" in page.text


def test_the_results_page_speaks_english_on_request(client: TestClient) -> None:
    page = client.get("/search", params={"q": "三体", "lang": "en"})
    assert "results, page" in page.text or "Nothing matches" in page.text
