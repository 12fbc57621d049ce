"""A reader in a real browser (Debian's chromium): search by Chinese, pinyin and ISBN,
narrow with a facet, sign in, renew, place a hold. One screenshot per main page is kept
in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def _search(page: Page, base: str, query: str) -> None:
    page.goto(base + "/")
    page.get_by_label("检索馆藏").fill(query)
    page.get_by_label("检索馆藏").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))


def _first_title(page: Page) -> str:
    return page.locator("a.record-list__title").first.inner_text()


def test_chinese_pinyin_initials_and_isbn_all_find_the_book(
    phone: Page, lending_server: dict[str, Any], screenshots: Path
) -> None:
    base = lending_server["url"]
    phone.goto(base + "/")
    phone.screenshot(path=str(screenshots / "opac-home-phone.png"), full_page=True)
    for query in ("围城", "weicheng", "wc", "978-7-02-009000-6", "9787020090006"):
        _search(phone, base, query)
        assert _first_title(phone) == "围城", query
    phone.screenshot(path=str(screenshots / "opac-results-phone.png"), full_page=True)


def test_a_facet_narrows_the_results_and_its_chip_undoes_it(
    desktop: Page, lending_server: dict[str, Any], screenshots: Path
) -> None:
    base = lending_server["url"]
    _search(desktop, base, "平凡的世界 OR 围城 OR 额尔古纳河右岸")
    expect(desktop.locator("a.record-list__title")).to_have_count(3)
    desktop.locator("aside.facets").get_by_role("link", name="可借", exact=True).click()
    # 平凡的世界 and 围城 are on loan: only 额尔古纳河右岸 is on a shelf
    expect(desktop.locator("a.record-list__title")).to_have_count(1)
    expect(desktop.locator("a.record-list__title")).to_have_text("额尔古纳河右岸")
    desktop.screenshot(path=str(screenshots / "opac-results-facet-desktop.png"), full_page=True)
    desktop.locator("a.filter-chip").click()
    expect(desktop.locator("a.record-list__title")).to_have_count(3)


def test_a_reader_signs_in_and_renews_a_loan(
    phone: Page, lending_server: dict[str, Any], screenshots: Path
) -> None:
    base, kiosks = lending_server["url"], lending_server["kiosks"]
    phone.goto(base + "/account")
    expect(phone).to_have_url(re.compile(r"/login\?next=/account$"))
    phone.screenshot(path=str(screenshots / "opac-login-phone.png"), full_page=True)
    phone.get_by_label("读者证号").fill(kiosks.ADULT)
    phone.get_by_label("密码").fill(kiosks.ADULT_PIN)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的图书馆")
    expect(phone.get_by_text("平凡的世界")).to_be_visible()
    phone.get_by_role("button", name="续借《平凡的世界》").click()
    expect(phone.locator("#flash")).to_contain_text("已续借")
    phone.screenshot(path=str(screenshots / "opac-account-phone.png"), full_page=True)
    phone.get_by_role("button", name="退出登录").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("诸城市图书馆")


def test_a_reader_places_a_hold_from_the_record_page_choosing_the_pickup_point(
    desktop: Page, lending_server: dict[str, Any], screenshots: Path
) -> None:
    base, kiosks = lending_server["url"], lending_server["kiosks"]
    _search(desktop, base, "平凡的世界")
    desktop.locator("a.record-list__title").first.click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("平凡的世界")
    expect(desktop.get_by_text("到期").first).to_be_visible()  # on loan until …
    desktop.get_by_role("link", name="登录后预约").click()
    desktop.get_by_label("读者证号").fill(kiosks.SENIOR)
    desktop.get_by_label("密码").fill(kiosks.SENIOR_PIN)
    desktop.get_by_role("button", name="登录").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("平凡的世界")
    desktop.screenshot(path=str(screenshots / "opac-record-desktop.png"), full_page=True)
    desktop.get_by_label("取书地点").select_option("ZC")
    desktop.get_by_role("button", name="预约这本书").click()
    expect(desktop.locator("#flash")).to_contain_text("预约成功")
    expect(desktop.locator("#flash")).to_contain_text("排第 1 位")
    expect(desktop.get_by_text("排第 1 位").last).to_be_visible()
