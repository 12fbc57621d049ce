"""Who may do what where, the form of API tokens, and the login lockout: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wenjin.accounts.rules import (
    LOCKOUT,
    NETWORK_PERMISSIONS,
    PERMISSIONS,
    ROLE_PERMISSIONS,
    WHOLE_NETWORK,
    Actor,
    Place,
    after_failed_login,
    is_locked,
    looks_like_token,
    may,
    new_token,
    password_problem,
    token_display,
    token_hash,
    token_usable,
)
from wenjin.accounts.states import Role

# 诸城市图书馆 (1) > 辛兴镇图书馆 (2) > 王家庄农家书屋 (3); 昌城镇图书馆 (4) beside 辛兴.
CENTRAL = Place(point_id=1, code="ZC", ancestor_ids=frozenset())
XINXING = Place(point_id=2, code="ZC-XX", ancestor_ids=frozenset({1}))
VILLAGE = Place(point_id=3, code="ZC-V01", ancestor_ids=frozenset({2, 1}))
CHANGCHENG = Place(point_id=4, code="ZC-CC", ancestor_ids=frozenset({1}))
NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)

EXPECTED: dict[Role, set[str]] = {
    Role.ADMIN: set(PERMISSIONS),
    Role.CATALOGUER: {"catalog.write", "circulation.read"},
    Role.DESK: {
        "patrons.read",
        "patrons.write",
        "circulation.read",
        "circulation.lend",
        "fees.read",
        "fees.collect",
        "holds.place",
        "transfers.send",
        "notices.read",
    },
    Role.BRANCH_LIBRARIAN: {
        "patrons.read",
        "patrons.write",
        "patrons.read_personal",
        "circulation.read",
        "circulation.lend",
        "fees.read",
        "fees.collect",
        "fees.waive",
        "reports.read",
        "holds.place",
        "holds.manage",
        "transfers.send",
        "rotation.manage",
        "notices.read",
    },
    Role.REPORTS: {"reports.read", "fees.read", "circulation.read"},
}


def _actor(role: Role, scope: int | None) -> Actor:
    return Actor(1, "wang.li", "王丽", role, scope)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_a_role_may_do_its_permissions_in_its_own_subtree_and_nowhere_else(
    role: Role, permission: str
) -> None:
    scoped = _actor(role, XINXING.point_id)
    granted = permission in EXPECTED[role]
    network_wide = permission in NETWORK_PERMISSIONS
    assert may(scoped, permission, XINXING) is (granted and not network_wide)
    assert may(scoped, permission, VILLAGE) is (granted and not network_wide)
    assert may(scoped, permission, CHANGCHENG) is False
    assert may(scoped, permission, CENTRAL) is False
    whole = _actor(role, None)
    assert may(whole, permission, CHANGCHENG) is granted
    assert may(whole, permission, WHOLE_NETWORK) is granted


def test_the_role_table_is_the_declared_one() -> None:
    assert {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()} == EXPECTED


def test_network_permissions_need_an_account_for_the_whole_network() -> None:
    scoped_admin = _actor(Role.ADMIN, CENTRAL.point_id)
    assert not may(scoped_admin, "policy.write", CENTRAL)
    assert may(scoped_admin, "circulation.lend", VILLAGE)


def test_asking_without_a_place_checks_the_role_only() -> None:
    assert may(_actor(Role.DESK, VILLAGE.point_id), "patrons.read")
    assert not may(_actor(Role.CATALOGUER, None), "patrons.read")


def test_an_unknown_permission_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown permission"):
        may(_actor(Role.ADMIN, None), "patrons.delete", None)


def test_a_token_is_wj_and_43_url_safe_characters_and_only_its_hash_is_kept() -> None:
    token = new_token()
    assert token.startswith("wj_")
    assert len(token) == 46
    assert looks_like_token(token)
    assert not looks_like_token("wj_short")
    assert not looks_like_token("Bearer " + token)
    digest = token_hash(token)
    assert len(digest) == 64
    assert token not in digest
    assert token_display(token) == token[:10]
    assert new_token() != token


def test_a_token_works_until_it_expires_is_revoked_or_its_account_is_disabled() -> None:
    later = NOW + timedelta(days=1)
    assert token_usable(expires_at=None, revoked_at=None, account_active=True, now=NOW)
    assert token_usable(expires_at=later, revoked_at=None, account_active=True, now=NOW)
    assert not token_usable(expires_at=NOW, revoked_at=None, account_active=True, now=NOW)
    assert not token_usable(expires_at=None, revoked_at=NOW, account_active=True, now=NOW)
    assert not token_usable(expires_at=None, revoked_at=None, account_active=False, now=NOW)


def test_the_fifth_wrong_password_in_a_row_locks_the_account_for_fifteen_minutes() -> None:
    failed, locked = 0, None
    for _ in range(4):
        failed, locked = after_failed_login(failed, NOW)
        assert locked is None
    assert failed == 4
    failed, locked = after_failed_login(failed, NOW)
    assert locked == NOW + LOCKOUT == NOW + timedelta(minutes=15)
    assert failed == 0
    assert is_locked(locked, NOW + timedelta(minutes=14))
    assert not is_locked(locked, NOW + timedelta(minutes=15))
    assert not is_locked(None, NOW)


def test_a_short_or_guessable_password_is_refused_with_the_reason() -> None:
    assert password_problem("abc", "wang.li") is not None
    assert password_problem("wang.li.wang", "wang.li.wang") is not None
    assert password_problem("aaaaaaaaaaaa", "wang.li") is not None
    assert password_problem("诸城图书馆借还书2026", "wang.li") is None
