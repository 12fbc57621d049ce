"""A day at the desk in a real browser (Debian's chromium), keyboard only: register a
reader, lend three items, return one at another point and see it go in transit, take
back an overdue book and take the fine. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

STAFF_PASSWORD = "诸城图书馆借还书2026"
NEW_CARD = "ZC00088888"
ID_NUMBER = "370782199003070045"  # a valid check digit (GB 11643)


def _scan(page: Page, label: str, value: str) -> None:
    """What a barcode scanner does: type the code into the focused field, then Enter."""
    field = page.get_by_label(label)
    expect(field).to_be_focused()
    field.fill(value)
    field.press("Enter")


def test_a_librarian_runs_the_desk_flow_without_the_cli(
    desktop: Page, lending_server: dict[str, Any], screenshots: Path
) -> None:
    base = lending_server["url"]
    page = desktop
    page.goto(base + "/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login\?next=/staff/"))
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_label("密码").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")

    # register a reader, with a resident ID number that passes the checksum
    page.get_by_role("link", name="读者", exact=True).click()
    page.get_by_role("link", name="办证", exact=True).click()
    page.get_by_label("读者证号").fill(NEW_CARD)
    page.get_by_label("姓名").fill("赵小红")
    page.get_by_label("身份证号").fill(ID_NUMBER)
    page.get_by_label("手机号").fill("13805361234")
    page.get_by_label("所属馆（代码）").fill("ZC")
    page.get_by_label("初始密码").fill("135246")
    page.get_by_role("button", name="办理读者证").click()
    expect(page.locator("#flash")).to_contain_text("已为 赵小红 办证")
    expect(page.get_by_text("3707**********0045")).to_be_visible()

    # lend three items at the central library, scanning
    page.get_by_role("link", name="到借还台").click()
    page.get_by_label("本台服务点").select_option("ZC")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("#reader-card")).to_contain_text("赵小红")
    for barcode, title in (
        ("ZC01000002", "三体"),
        ("ZC01000005", "白鹿原"),
        ("ZC01000006", "红高粱家族"),
    ):
        _scan(page, "扫描图书条码借出", barcode)
        expect(page.locator("#flash")).to_contain_text(f"借出《{title}》")
    expect(page.get_by_role("heading", name="在借（3）")).to_be_visible()
    page.screenshot(path=str(screenshots / "staff-desk-desktop.png"), full_page=True)

    # a refusal is red and says why: the same copy again
    _scan(page, "扫描图书条码借出", "ZC01000002")
    expect(page.locator("#flash")).to_have_attribute("role", "alert")

    # return one at another point: it goes in transit home
    page.get_by_label("本台服务点").select_option("ZC-CC")
    page.get_by_role("button", name="切换").click()
    page.get_by_label("扫描图书条码还书").fill("ZC01000002")
    page.get_by_label("扫描图书条码还书").press("Enter")
    expect(page.locator("#flash")).to_contain_text("已还《三体》")
    expect(page.locator("#flash")).to_contain_text("诸城市图书馆")
    page.goto(base + "/search?q=三体")
    page.locator("a.record-list__title").first.click()
    expect(page.get_by_text("在途", exact=True)).to_be_visible()

    # an overdue book comes back with a fine; the reader pays it and gets a receipt
    page.goto(base + "/staff/desk?at=ZC")
    page.get_by_label("扫描图书条码还书").fill("ZC01000003")
    page.get_by_label("扫描图书条码还书").press("Enter")
    expect(page.locator("#flash")).to_contain_text("逾期罚款")
    _scan(page, "扫描读者证", "ZC00020001")
    expect(page.locator("#reader-card")).to_contain_text("张华")
    page.get_by_role("button", name="收款").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("收款收据")
    expect(page.get_by_text("尚欠")).to_be_visible()
    page.screenshot(path=str(screenshots / "staff-receipt-desktop.png"), full_page=True)
