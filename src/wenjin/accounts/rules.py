"""Who may do what, where; API token form; the login lockout. Pure: no database.

Every role is a set of permissions (:data:`ROLE_PERMISSIONS`). An account is
scoped to a service point and everything under it (a town branch librarian to
the town branch and its village reading rooms); an account without a scope
point works for the whole network. :data:`NETWORK_PERMISSIONS` change the
whole network (the loan policy matrix, the tree of points, staff accounts) and
need an account scoped to the whole network whatever the role.

Reading the network, the catalogue and the loan policy needs no permission
beyond a valid account: the OPAC shows them to anyone.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from wenjin.accounts.states import Role

PATRONS_READ = "patrons.read"
PATRONS_WRITE = "patrons.write"
PATRONS_READ_PERSONAL = "patrons.read_personal"  # full phone number, reading history
CIRCULATION_READ = "circulation.read"
CIRCULATION_LEND = "circulation.lend"  # checkout, checkin, renew, transits, lost and found
FEES_READ = "fees.read"
FEES_COLLECT = "fees.collect"
FEES_WAIVE = "fees.waive"  # waive, cancel, amnesty days
POLICY_WRITE = "policy.write"
NETWORK_WRITE = "network.write"
CATALOG_WRITE = "catalog.write"
REPORTS_READ = "reports.read"
ACCOUNTS_MANAGE = "accounts.manage"
HOLDS_PLACE = "holds.place"  # place, cancel, suspend, resume, move a hold at its pickup point
HOLDS_MANAGE = "holds.manage"  # the network-wide runs: expire the hold shelves, target holds
TRANSFERS_SEND = "transfers.send"  # send, cancel, lose and hand over transits; receive boxes
ROTATION_MANAGE = "rotation.manage"  # rotating collections and their plans
NOTICES_READ = "notices.read"

PERMISSIONS: tuple[str, ...] = (
    PATRONS_READ,
    PATRONS_WRITE,
    PATRONS_READ_PERSONAL,
    CIRCULATION_READ,
    CIRCULATION_LEND,
    FEES_READ,
    FEES_COLLECT,
    FEES_WAIVE,
    POLICY_WRITE,
    NETWORK_WRITE,
    CATALOG_WRITE,
    REPORTS_READ,
    ACCOUNTS_MANAGE,
    HOLDS_PLACE,
    HOLDS_MANAGE,
    TRANSFERS_SEND,
    ROTATION_MANAGE,
    NOTICES_READ,
)

PERMISSION_LABELS: dict[str, tuple[str, str]] = {
    PATRONS_READ: ("查看读者", "look up readers"),
    PATRONS_WRITE: ("办证和修改读者", "register and change readers"),
    PATRONS_READ_PERSONAL: ("查看读者个人信息", "see readers' personal data"),
    CIRCULATION_READ: ("查看借阅", "see loans and transits"),
    CIRCULATION_LEND: ("借还书", "lend and take back items"),
    FEES_READ: ("查看费用", "see fees"),
    FEES_COLLECT: ("收费", "take payments"),
    FEES_WAIVE: ("减免和撤销费用", "waive and cancel fees"),
    POLICY_WRITE: ("修改借阅规则", "change the loan policy"),
    NETWORK_WRITE: ("修改服务网络", "change the network"),
    CATALOG_WRITE: ("编目", "catalogue"),
    REPORTS_READ: ("查看报表", "read reports"),
    ACCOUNTS_MANAGE: ("管理员工账户", "manage staff accounts"),
    HOLDS_PLACE: ("办理预约", "place and change holds"),
    HOLDS_MANAGE: ("处理预约过期和分配", "expire and target holds"),
    TRANSFERS_SEND: ("办理调拨", "send and receive transfers"),
    ROTATION_MANAGE: ("管理流动书箱", "manage rotating collections"),
    NOTICES_READ: ("查看读者通知", "see notices to readers"),
}

NETWORK_PERMISSIONS: frozenset[str] = frozenset({POLICY_WRITE, NETWORK_WRITE, ACCOUNTS_MANAGE})

_DESK = frozenset(
    {
        PATRONS_READ,
        PATRONS_WRITE,
        CIRCULATION_READ,
        CIRCULATION_LEND,
        FEES_READ,
        FEES_COLLECT,
        HOLDS_PLACE,
        TRANSFERS_SEND,
        NOTICES_READ,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(PERMISSIONS),
    Role.CATALOGUER: frozenset({CATALOG_WRITE, CIRCULATION_READ}),
    Role.DESK: _DESK,
    Role.BRANCH_LIBRARIAN: _DESK
    | {PATRONS_READ_PERSONAL, FEES_WAIVE, REPORTS_READ, HOLDS_MANAGE, ROTATION_MANAGE},
    Role.REPORTS: frozenset({REPORTS_READ, FEES_READ, CIRCULATION_READ}),
}


@dataclass(frozen=True)
class Place:
    """Where an action happens: a service point with the ids of the points above it,
    or the whole network (``point_id`` None)."""

    point_id: int | None
    code: str | None = None
    name: str | None = None
    ancestor_ids: frozenset[int] = frozenset()

    def within(self, scope_point_id: int | None) -> bool:
        """Whether this place lies in the subtree of ``scope_point_id`` (None: the network)."""
        if scope_point_id is None:
            return True
        if self.point_id is None:
            return False
        return scope_point_id == self.point_id or scope_point_id in self.ancestor_ids

    def label(self, lang: str = "zh") -> str:
        if self.point_id is None:
            return "全馆网络" if lang == "zh" else "the whole network"
        return f"{self.name or ''} {self.code}".strip()


WHOLE_NETWORK = Place(point_id=None)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff account, as a request or a command knows it."""

    account_id: int
    username: str
    display_name: str
    role: Role
    scope_point_id: int | None
    scope_point_code: str | None = None


def may(actor: Actor, permission: str, at: Place | None = None) -> bool:
    """Whether ``actor`` may do ``permission`` at ``at``.

    ``at=None`` asks about the role only (looking a reader up: readers borrow
    anywhere); a :class:`Place` also asks about the account's scope; network
    permissions need an account scoped to the whole network.
    """
    if permission not in PERMISSION_LABELS:
        raise ValueError(f"unknown permission {permission!r}")
    if permission not in ROLE_PERMISSIONS[actor.role]:
        return False
    if permission in NETWORK_PERMISSIONS:
        return actor.scope_point_id is None
    return at is None or at.within(actor.scope_point_id)


# --- API tokens ---

TOKEN_PREFIX = "wj_"
TOKEN_DISPLAY_LENGTH = 10  # "wj_" and 7 characters: enough to tell tokens apart in a list
_TOKEN = re.compile(r"wj_[A-Za-z0-9_-]{43}")


def new_token() -> str:
    """A fresh API token in clear: shown once, then only its hash is kept."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def looks_like_token(text: str) -> bool:
    return _TOKEN.fullmatch(text) is not None


def token_hash(token: str) -> str:
    """SHA-256 of the token: a random 256-bit secret needs no slow hash or salt."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_display(token: str) -> str:
    return token[:TOKEN_DISPLAY_LENGTH]


def token_usable(
    *, expires_at: datetime | None, revoked_at: datetime | None, account_active: bool, now: datetime
) -> bool:
    return account_active and revoked_at is None and (expires_at is None or now < expires_at)


# --- logins ---

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failed_login(failed_logins: int, now: datetime) -> tuple[int, datetime | None]:
    """The failure count after one more wrong password, and the lock it earns (if any).

    The fifth failure in a row locks the account for 15 minutes and starts the count again.
    """
    failed = failed_logins + 1
    if failed >= MAX_FAILED_LOGINS:
        return 0, now + LOCKOUT
    return failed, None


_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{2,39}")
MIN_PASSWORD_LENGTH = 10


def username_valid(username: str) -> bool:
    return _USERNAME.fullmatch(username) is not None


def password_problem(password: str, username: str) -> tuple[str, str] | None:
    """Why a password may not be used (zh, en), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"至少需要{MIN_PASSWORD_LENGTH}个字符",
            f"it needs at least {MIN_PASSWORD_LENGTH} characters",
        )
    if len(password) > 200:
        return "不能超过200个字符", "it may not exceed 200 characters"
    if password.strip().lower() == username.lower():
        return "不能与用户名相同", "it may not be the username"
    if len(set(password)) < 4:
        return "字符种类太少", "it uses too few different characters"
    return None
