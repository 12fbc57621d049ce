"""The translation table and the language helpers, without a server or a database."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import wenjin.web
from wenjin.web.i18n import (
    TRANSLATIONS,
    format_date,
    format_yuan,
    html_lang,
    normalise_lang,
    other_lang,
    t,
)

TEMPLATES = Path(wenjin.web.__file__).parent / "templates"
# t("key") and t("key", n=…); computed keys (t("weekday." ~ day)) are checked separately.
_KEY_IN_TEMPLATE = re.compile(r"""\bt\(\s*["']([\w.]+)["']\s*[,)]""")


def _template_keys() -> set[str]:
    keys: set[str] = set()
    for template in TEMPLATES.rglob("*.html"):
        keys.update(_KEY_IN_TEMPLATE.findall(template.read_text(encoding="utf-8")))
    return keys


def test_every_key_a_template_uses_has_both_languages() -> None:
    used = _template_keys()
    assert used, "no t(...) calls found: the pattern no longer matches the templates"
    missing = sorted(used - TRANSLATIONS.keys())
    assert not missing, f"keys used in templates but missing from TRANSLATIONS: {missing}"
    for key in used:
        zh, en = TRANSLATIONS[key]
        assert zh.strip(), key
        assert en.strip(), key


def test_every_weekday_has_a_name() -> None:
    assert [t(f"weekday.{day}", "zh") for day in range(1, 8)] == [
        "周一",
        "周二",
        "周三",
        "周四",
        "周五",
        "周六",
        "周日",
    ]
    assert t("weekday.7", "en") == "Sunday"


def test_chinese_and_english_strings_take_the_same_placeholders() -> None:
    field = re.compile(r"{(\w+)}")
    for key, (zh, en) in TRANSLATIONS.items():
        assert set(field.findall(zh)) == set(field.findall(en)), key


def test_t_fills_placeholders_in_the_chosen_language() -> None:
    assert t("record.copies_summary", "zh", total=3, available=1) == "共 3 册，其中 1 册在架可借。"
    assert t("record.copies_summary", "en", total=3, available=1) == "3 copies, 1 on the shelf."


def test_an_unknown_key_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "zh")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh_Hans", "zh"),
        ("ZH-cn", "zh"),
        ("en", "en"),
        ("en-GB", "en"),
        (" en ", "en"),
        ("fr", None),
        ("", None),
        (None, None),
        ("english", None),
    ],
)
def test_language_tags_are_reduced_to_the_two_the_site_speaks(
    given: str | None, expected: str | None
) -> None:
    assert normalise_lang(given) == expected


def test_html_lang_and_the_other_language() -> None:
    assert html_lang("zh") == "zh-CN"
    assert html_lang("en") == "en"
    assert other_lang("zh") == "en"
    assert other_lang("en") == "zh"


def test_dates_read_naturally_in_each_language() -> None:
    labour_day = date(2026, 5, 1)
    assert format_date(labour_day, "zh") == "2026年5月1日 周五"
    assert format_date(labour_day, "en") == "Fri 1 May 2026"


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (3850, "¥38.50"),
        (10800, "¥108.00"),
        (5, "¥0.05"),
        (0, "¥0.00"),
        (123456789, "¥1,234,567.89"),
        (-250, "-¥2.50"),
        (None, ""),
    ],
)
def test_money_in_fen_is_shown_in_yuan(fen: int | None, shown: str) -> None:
    assert format_yuan(fen) == shown
