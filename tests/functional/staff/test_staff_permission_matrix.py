"""Who may do what in the staff client: each role × each page or action × its own point
(相州镇图书馆 ZC-XZ) and another (诸城市图书馆 ZC-CEN). A scoped account works at its point
and the points below it; network settings need a network-wide account.

Allowed means the page or action gets past the permission check (a refusal for a
reason of the library's rules is fine, a 403 or a 5xx is not); refused means the
403 page naming the missing permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from staff_helpers import STAFF_PASSWORD, csrf_of

from wenjin.accounts.rules import NETWORK_PERMISSIONS, PERMISSION_LABELS, ROLE_PERMISSIONS
from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.db.uow import UnitOfWork

OWN, OTHER = "ZC-XZ", "ZC-CEN"

ROLES: dict[str, tuple[Role, str | None]] = {
    "m.admin": (Role.ADMIN, None),
    "m.cataloguer": (Role.CATALOGUER, None),
    "m.desk": (Role.DESK, OWN),
    "m.branch": (Role.BRANCH_LIBRARIAN, OWN),
    "m.reports": (Role.REPORTS, OWN),
}


@dataclass(frozen=True)
class Page:
    name: str
    permission: str
    where: str  # "point" | "network" | "any"
    method: str
    path: str
    form: dict[str, str] | None = None


def pages(point: str) -> list[Page]:
    return [
        Page("the desk", "circulation.lend", "point", "GET", f"/staff/desk?at={point}"),
        Page(
            "lend",
            "circulation.lend",
            "point",
            "POST",
            "/staff/desk/checkout",
            {"at": point, "card": "ZC00099999", "barcode": "ZC00000101"},
        ),
        Page("the hold shelf", "circulation.read", "point", "GET", f"/staff/holds?at={point}"),
        Page("transits", "circulation.read", "point", "GET", f"/staff/transits?at={point}"),
        Page(
            "the courier's manifest",
            "circulation.read",
            "point",
            "GET",
            f"/staff/transits/manifest?at={point}",
        ),
        Page(
            "send a copy",
            "transfers.send",
            "point",
            "POST",
            "/staff/transits/send",
            {"at": point, "barcode": "ZC00000101", "to": "XZ-WJZ"},
        ),
        Page("the day's takings", "fees.read", "point", "GET", f"/staff/fees/takings?at={point}"),
        Page("find readers", "patrons.read", "any", "GET", "/staff/readers?q=王"),
        Page("register a reader", "patrons.write", "any", "GET", "/staff/readers/new"),
        Page("amnesty days", "fees.waive", "any", "GET", "/staff/fees/amnesty"),
        Page("rotating collections", "circulation.read", "any", "GET", "/staff/rotation"),
        Page("records", "catalog.write", "any", "GET", "/staff/catalogue/records"),
        Page("spine labels", "catalog.write", "any", "GET", "/staff/catalogue/labels"),
        Page("catalogue import", "catalog.write", "any", "GET", "/staff/catalogue/import"),
        Page("staff accounts", "accounts.manage", "network", "GET", "/staff/accounts"),
        Page(
            "change the loan policy",
            "policy.write",
            "network",
            "POST",
            "/staff/policy/rules",
            {"category": "ADULT", "item_type": "BOOK", "loan_days": "30"},
        ),
        Page("a new point", "network.write", "network", "GET", "/staff/network/new-point"),
        Page(
            "change a courier route",
            "network.write",
            "network",
            "POST",
            "/staff/network/routes",
            {"from": "ZC-CEN", "to": "ZC-XZ", "days": "1", "both_ways": "on"},
        ),
        Page(
            "close a point for a day",
            "network.write",
            "network",
            "POST",
            f"/staff/network/points/{point}/closed-days",
            {"start": "2026-12-31", "reason": "盘点"},
        ),
    ]


def allowed(role: str, permission: str, where: str, at_own_point: bool) -> bool:
    kind, scope = ROLES[role]
    if permission not in ROLE_PERMISSIONS[kind]:
        return False
    if permission in NETWORK_PERMISSIONS or where == "network":
        return scope is None
    if where == "any" or scope is None:
        return True
    return at_own_point


@pytest.fixture
def matrix_accounts(engine: Engine, library: Any) -> None:
    with UnitOfWork(engine) as uow:
        for username, (role, scope) in ROLES.items():
            create_account(
                uow.session,
                username=username,
                display_name=username,
                password=STAFF_PASSWORD,
                role=role,
                scope=scope,
            )
        uow.commit()


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_and_does_exactly_what_its_permissions_allow_here_and_elsewhere(
    matrix_accounts: None, signed_in_as: Callable[[str], TestClient], role: str
) -> None:
    client = signed_in_as(role)
    token = csrf_of(client.get("/staff/me/password").text)
    wrong: list[str] = []
    for point in (OWN, OTHER):
        for page in pages(point):
            expected = allowed(role, page.permission, page.where, point == OWN)
            if page.method == "GET":
                response = client.get(page.path, follow_redirects=False)
            else:
                response = client.post(
                    page.path,
                    data={**(page.form or {}), "csrf_token": token},
                    follow_redirects=False,
                )
            status = response.status_code
            where = f"{page.name} at {point}"
            if status >= 500:
                wrong.append(f"{where}: {status}")
            elif status == 303 and "/staff/login" in response.headers.get("location", ""):
                wrong.append(f"{where}: sent to the login page")
            elif expected and status == 403:
                wrong.append(f"{where}: refused but should be allowed")
            elif not expected and status != 403:
                wrong.append(f"{where}: {status}, should be refused with 403")
            elif not expected and PERMISSION_LABELS[page.permission][0] not in response.text:
                wrong.append(f"{where}: the refusal does not name {page.permission}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
