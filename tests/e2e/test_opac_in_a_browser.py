"""A reader's walk through the public pages in a real browser (Debian's chromium)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}  # the viewports of the conftest's page fixtures
DESKTOP = {"width": 1280, "height": 900}

PHONE_SCREENSHOT = "/tmp/wenjin-record.png"
DESKTOP_SCREENSHOT = "/tmp/wenjin-record-desktop.png"


def test_a_reader_follows_a_new_title_from_home_to_its_copies_per_point(
    phone: Page, live_server: dict[str, Any]
) -> None:
    phone.goto(live_server["url"] + "/")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(phone.get_by_role("heading", level=1)).to_have_text("诸城市图书馆")
    phone.get_by_role("link", name="平凡的世界").click()
    expect(phone).to_have_url(re.compile(rf"/records/{live_server['library'].novel_id}$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("平凡的世界")
    central = phone.locator(
        "section.holding", has=phone.get_by_role("link", name="诸城市图书馆", exact=True)
    )
    expect(central.get_by_text("在架", exact=True)).to_be_visible()
    expect(central.get_by_text("借出", exact=True)).to_be_visible()
    town = phone.locator("section.holding", has=phone.get_by_role("link", name="相州镇图书馆"))
    expect(town.get_by_text("在途", exact=True)).to_be_visible()
    # the point's name leads to its page
    town.get_by_role("link", name="相州镇图书馆").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("相州镇图书馆")
    expect(phone.get_by_text("今日闭馆")).to_be_visible()


def test_switching_to_english_shows_english_labels_and_is_remembered(
    phone: Page, live_server: dict[str, Any]
) -> None:
    phone.goto(f"{live_server['url']}/records/{live_server['library'].novel_id}")
    phone.get_by_role("link", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", name="Copies", exact=True)).to_be_visible()
    expect(phone.get_by_text("On shelf", exact=True).first).to_be_visible()
    expect(phone.get_by_role("link", name="Zhucheng City Library")).to_be_visible()
    phone.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Service points"
    ).click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Service points")
    phone.get_by_role("link", name="中文").click()
    expect(phone.locator("html")).to_have_attribute("lang", "zh-CN")


def test_the_keyboard_reaches_the_skip_link_and_the_language_switch(
    desktop: Page, live_server: dict[str, Any]
) -> None:
    desktop.goto(live_server["url"] + "/")
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    for _ in range(10):
        if desktop.evaluate("document.activeElement.id") == "lang-switch":
            break
        desktop.keyboard.press("Tab")
    switch = desktop.locator("#lang-switch")
    expect(switch).to_be_focused()
    # the focus ring is drawn
    outline = desktop.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    desktop.keyboard.press("Enter")
    expect(desktop.locator("html")).to_have_attribute("lang", "en")
    expect(desktop.get_by_role("heading", name="New arrivals")).to_be_visible()


def test_the_marc_view_opens_without_javascript(
    browser: Browser, live_server: dict[str, Any]
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server['url']}/records/{live_server['library'].novel_id}")
    marc = page.locator("details.marc")
    expect(marc.get_by_text("路遥著").first).to_be_hidden()
    marc.locator("summary").click()
    expect(marc.get_by_role("rowheader", name="200")).to_be_visible()
    expect(marc.get_by_text("平凡的世界").first).to_be_visible()
    context.close()


def test_the_record_page_fits_a_phone_and_uses_a_table_on_a_desktop(
    phone: Page, desktop: Page, live_server: dict[str, Any]
) -> None:
    path = f"{live_server['url']}/records/{live_server['library'].novel_id}"

    phone.goto(path)
    phone.screenshot(path=PHONE_SCREENSHOT, full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # copies are cards: the column headings are for screen readers only
    header = phone.locator("table.copies thead").first
    assert header.bounding_box() is None or header.bounding_box()["height"] <= 1
    expect(phone.locator(".cover")).to_be_visible()

    desktop.goto(path)
    desktop.screenshot(path=DESKTOP_SCREENSHOT, full_page=True)
    assert desktop.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    expect(desktop.get_by_role("columnheader", name="索书号").first).to_be_visible()
