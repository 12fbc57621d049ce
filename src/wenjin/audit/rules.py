"""Which tables the audit trail follows, and how a row is shown there.

Circulation state (loans, transits, holds, fees, an item's status and whereabouts)
is in the circulation log already; the audit trail follows the rest: the network,
the catalogue, readers and their cards, blocks and deposits, staff accounts and
tokens, kiosks, rotating collections. Bookkeeping columns (timestamps, counters of
failed sign-ins) are left out; secrets (hashes of PINs, passwords, ID numbers,
tokens) are never copied: a change shows as ``"***"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

SECRET = "***"


@dataclass(frozen=True)
class Followed:
    label: str | None = None  # the column that names the row for a reader of the trail
    ignore: frozenset[str] = field(default_factory=frozenset)
    secret: frozenset[str] = field(default_factory=frozenset)


_TIMESTAMPS = frozenset({"created_at", "updated_at"})

FOLLOWED: dict[str, Followed] = {
    "service_points": Followed("code", _TIMESTAMPS),
    "closed_days": Followed("day"),
    "courier_routes": Followed(),
    "bib_records": Followed("title", _TIMESTAMPS),
    "items": Followed(
        "barcode",
        _TIMESTAMPS
        | {
            # the circulation log follows these
            "status",
            "status_changed_at",
            "current_point_id",
            "stationed_point_id",
            "sip_properties",
            "version",
        },
    ),
    "catalog_imports": Followed("filename"),  # the run; its records are written in bulk
    "item_types": Followed("code"),
    "patron_categories": Followed("code"),
    "patrons": Followed(
        None,
        _TIMESTAMPS | {"failed_pins", "pin_locked_until", "version"},
        frozenset({"pin_hash", "id_hash"}),
    ),
    "patron_cards": Followed("number"),
    "patron_blocks": Followed(),
    "deposits": Followed(),
    "staff_accounts": Followed(
        "username",
        frozenset({"last_login_at", "failed_logins", "locked_until"}),
        frozenset({"password_hash"}),
    ),
    "api_tokens": Followed("prefix", frozenset({"last_used_at"}), frozenset({"token_hash"})),
    "sip2_accounts": Followed("login", frozenset({"last_login_at"}), frozenset({"password_hash"})),
    "rotation_plans": Followed("code", _TIMESTAMPS),
    "rotation_stops": Followed(),
    "rotating_collections": Followed("code", _TIMESTAMPS | {"version"}),
}


def plain(value: Any) -> Any:
    """A column value as JSON can hold it: dates as ISO strings, enums as their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def shown(followed: Followed, column: str, value: Any) -> Any:
    """What the trail keeps of one value."""
    if column in followed.secret:
        return None if value is None else SECRET
    return plain(value)
