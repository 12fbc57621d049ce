"""Chinese by default; ``?lang=`` switches and is remembered in the ``lang`` cookie."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sample_library import SampleLibrary


def test_pages_are_in_simplified_chinese_by_default(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/network").text
    assert '<html lang="zh-CN">' in html
    assert "跳到正文" in html
    assert "lang" not in client.cookies


def test_lang_en_sets_a_cookie_that_later_pages_follow(
    client: TestClient, library: SampleLibrary
) -> None:
    first = client.get("/?lang=en")
    assert "lang=en" in first.headers["set-cookie"]
    assert "Max-Age=31536000" in first.headers["set-cookie"]
    assert client.cookies.get("lang") == "en"
    later = client.get(f"/records/{library.novel_id}")
    assert '<html lang="en">' in later.text
    assert "Copies" in later.text


def test_lang_zh_switches_back_to_chinese(client: TestClient, library: SampleLibrary) -> None:
    client.get("/?lang=en")
    back = client.get("/network?lang=zh")
    assert '<html lang="zh-CN">' in back.text
    assert client.cookies.get("lang") == "zh"
    assert '<html lang="zh-CN">' in client.get("/").text


@pytest.mark.parametrize("value", ["fr", "", "en'><script>"])
def test_an_unknown_language_is_ignored(
    client: TestClient, library: SampleLibrary, value: str
) -> None:
    page = client.get("/", params={"lang": value})
    assert '<html lang="zh-CN">' in page.text
    assert "set-cookie" not in page.headers


def test_a_region_tag_counts_as_its_language(client: TestClient, library: SampleLibrary) -> None:
    assert '<html lang="en">' in client.get("/?lang=en-GB").text


@pytest.mark.parametrize("path", ["/", "/network", "/network/ZC-CEN", "/records/{novel}", "/nope"])
def test_every_page_links_to_itself_in_the_other_language(
    client: TestClient, library: SampleLibrary, path: str
) -> None:
    path = path.format(novel=library.novel_id)
    zh = client.get(path).text
    assert f'<a href="{path}?lang=en" hreflang="en" lang="en" id="lang-switch">English</a>' in zh
    en = client.get(path, params={"lang": "en"}).text
    assert f'<a href="{path}?lang=zh" hreflang="zh-CN" lang="zh-CN" id="lang-switch">中文</a>' in en


def test_the_switch_link_keeps_the_other_query_parameters(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/network?from=home&lang=zh").text
    assert 'href="/network?from=home&amp;lang=en"' in html
