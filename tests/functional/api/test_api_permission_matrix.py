"""Who may do what through the API: each role × each operation × its own point and
another point. A scoped account acts only at its point and the points below it; the
network-wide settings (policy, accounts, the network) need a network-wide account.

Allowed means the request gets past the permission check (it may still be refused
for a reason of the library's rules, never with 401, 403 or a 5xx); refused means
403 naming the missing permission.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from wenjin.accounts.rules import NETWORK_PERMISSIONS, ROLE_PERMISSIONS
from wenjin.accounts.services import create_account, issue_token
from wenjin.accounts.states import Role
from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app

PASSWORD = "诸城图书馆借还书2026"
ADULT = "ZC00012345"
OWN, OTHER = "ZC-CC", "ZC-XX"  # a scoped account works at 昌城镇图书馆

ROLES: dict[str, tuple[Role, str | None]] = {
    "admin": (Role.ADMIN, None),
    "cataloguer": (Role.CATALOGUER, None),
    "desk": (Role.DESK, OWN),
    "branch": (Role.BRANCH_LIBRARIAN, OWN),
    "reports": (Role.REPORTS, OWN),
}


@dataclass(frozen=True)
class Operation:
    name: str
    permission: str
    where: str  # "point": at the point given; "network": the whole network; "any": role only
    method: str
    path: str
    body: Any = None


def operations(point: str, n: int) -> list[Operation]:
    """The operations done at ``point``; ``n`` keeps created codes and cards apart."""
    return [
        Operation(
            "lend",
            "circulation.lend",
            "point",
            "POST",
            "/api/v1/circulation/checkout",
            {"point": point, "patron": ADULT, "item": "ZC01000002"},
        ),
        Operation(
            "take back",
            "circulation.lend",
            "point",
            "POST",
            "/api/v1/circulation/checkin",
            {"point": point, "item": "ZC01000003"},
        ),
        Operation(
            "loans at a point", "circulation.read", "point", "GET", f"/api/v1/loans?point={point}"
        ),
        Operation(
            "hold shelf", "circulation.read", "point", "GET", f"/api/v1/points/{point}/hold-shelf"
        ),
        Operation(
            "register a reader",
            "patrons.write",
            "point",
            "POST",
            "/api/v1/patrons",
            {"card": f"ZC0009{n:04d}", "name": "周晓梅", "category": "ADULT", "home": point},
        ),
        Operation("find a reader", "patrons.read", "any", "GET", "/api/v1/patrons?q=王"),
        Operation("a reader's fees", "fees.read", "any", "GET", f"/api/v1/fees/patron/{ADULT}"),
        Operation(
            "take a payment",
            "fees.collect",
            "point",
            "POST",
            "/api/v1/fees/pay",
            {"patron": ADULT, "amount_fen": 100, "method": "cash", "point": point},
        ),
        Operation(
            "amnesty days",
            "fees.waive",
            "point",
            "POST",
            "/api/v1/fees/amnesty",
            {
                "name": "世界读书日特别还书日",
                "starts_on": "2026-04-20",
                "ends_on": "2026-04-26",
                "points": [point],
            },
        ),
        Operation(
            "place a hold",
            "holds.place",
            "point",
            "POST",
            "/api/v1/holds",
            {"patron": ADULT, "pickup": point, "item": "ZC01000004"},
        ),
        Operation("target holds", "holds.manage", "network", "POST", "/api/v1/holds/target"),
        Operation("notices", "notices.read", "any", "GET", "/api/v1/notices"),
        Operation(
            "make a rotating collection",
            "rotation.manage",
            "point",
            "POST",
            "/api/v1/rotation/collections",
            {"code": f"BOX-{n}", "name": "流动书箱", "home": point},
        ),
        Operation(
            "send a copy",
            "transfers.send",
            "point",
            "POST",
            "/api/v1/transits/send",
            {"at": point, "item": "ZC01000005", "to": "ZC"},
        ),
        Operation(
            "change the loan policy",
            "policy.write",
            "network",
            "PUT",
            "/api/v1/policy/rules",
            {"category": "ADULT", "item_type": "BOOK", "loan_days": 30},
        ),
        Operation("read the audit trail", "accounts.manage", "network", "GET", "/api/v1/audit"),
        Operation(
            "charge a fee by hand",
            "fees.collect",
            "point",
            "POST",
            "/api/v1/fees/charge",
            {"patron": ADULT, "kind": "damaged", "amount_fen": 500, "point": point},
        ),
        Operation(
            "add a copy",
            "catalog.write",
            "point",
            "POST",
            "/api/v1/items",
            {"record_id": 1, "point": point, "call_number": "I247.5/99"},
        ),
        Operation(
            "create a record",
            "catalog.write",
            "any",
            "POST",
            "/api/v1/records",
            {"marc": f"001 MATRIX{n}\n200 1#$a流动的图书馆{n}"},
        ),
        Operation(
            "create a point",
            "network.write",
            "network",
            "POST",
            "/api/v1/network/points",
            {"code": f"ZC-N{n}", "name": "新设服务点", "kind": "station", "parent": point},
        ),
        Operation(
            "close a point for a day",
            "network.write",
            "network",
            "POST",
            f"/api/v1/network/points/{point}/closed-days",
            {"start": "2026-12-31", "reason": "盘点"},
        ),
        Operation(
            "set a courier route",
            "network.write",
            "network",
            "PUT",
            "/api/v1/network/courier-routes",
            {"from": "ZC", "to": point, "days": 1},
        ),
        Operation("list staff accounts", "accounts.manage", "network", "GET", "/api/v1/accounts"),
        Operation(
            "create a staff account",
            "accounts.manage",
            "network",
            "POST",
            "/api/v1/accounts",
            {
                "username": f"new.staff{n}",
                "display_name": "新馆员",
                "role": "desk",
                "scope": point,
                "password": PASSWORD,
            },
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
def clients(engine: Engine, library: Any, settings: Settings) -> Iterator[dict[str, TestClient]]:
    tokens: dict[str, str] = {}
    with UnitOfWork(engine) as uow:
        for username, (role, scope) in ROLES.items():
            account = create_account(
                uow.session,
                username=f"{username}.matrix",
                display_name=username,
                password=PASSWORD,
                role=role,
                scope=scope,
            )
            tokens[username] = issue_token(uow.session, account=account, name="matrix").token
        uow.commit()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield {username: _as(client, token) for username, token in tokens.items()}


class _as:
    """The one client, sending one account's token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, body: Any) -> Any:
        return self.client.request(method, path, json=body, headers=self.headers)


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_may_do_exactly_what_its_permissions_allow_at_its_own_and_other_points(
    clients: dict[str, Any], role: str
) -> None:
    wrong: list[str] = []
    n = 0
    for point in (OWN, OTHER):
        for op in operations(point, n := n + 100):
            n += 1
            expected = allowed(role, op.permission, op.where, point == OWN)
            response = clients[role].request(op.method, op.path, op.body)
            status = response.status_code
            if status >= 500:
                wrong.append(f"{op.name} at {point}: {status} {response.text[:200]}")
            elif expected and status in (401, 403):
                wrong.append(f"{op.name} at {point}: refused ({status}) but should be allowed")
            elif not expected:
                if status != 403:
                    wrong.append(f"{op.name} at {point}: {status}, should be refused with 403")
                elif response.json()["error"]["details"]["permission"] != op.permission:
                    wrong.append(f"{op.name} at {point}: refused for the wrong permission")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
