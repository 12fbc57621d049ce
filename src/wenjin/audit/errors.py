"""Errors of the audit trail."""

from __future__ import annotations

from wenjin.errors import WenjinError


class AuditTrailIsAppendOnly(WenjinError):
    """Somebody tried to change or delete an entry of the audit trail."""

    code = "audit_append_only"

    def __init__(self) -> None:
        super().__init__(
            "操作日志只能追加，不能修改或删除",
            "The audit trail is append-only; it cannot be changed or deleted",
        )
