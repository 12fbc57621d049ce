"""The roles a staff account can hold."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # 系统管理员
    CATALOGUER = "cataloguer"  # 编目员
    DESK = "desk"  # 流通台
    BRANCH_LIBRARIAN = "branch_librarian"  # 分馆馆员
    REPORTS = "reports"  # 报表查看

    @property
    def label_zh(self) -> str:
        return _ROLE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _ROLE_LABELS[self][1]


_ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.ADMIN: ("系统管理员", "Administrator"),
    Role.CATALOGUER: ("编目员", "Cataloguer"),
    Role.DESK: ("流通台", "Circulation desk"),
    Role.BRANCH_LIBRARIAN: ("分馆馆员", "Branch librarian"),
    Role.REPORTS: ("报表查看", "Reports viewer"),
}
