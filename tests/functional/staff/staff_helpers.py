"""Helpers for staff client tests: the shared password and the CSRF token of a page."""

from __future__ import annotations

import re

STAFF_PASSWORD = "诸城图书馆借还书2026"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page_html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = _CSRF.search(page_html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)
