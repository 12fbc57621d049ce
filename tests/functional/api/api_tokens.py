"""The API tests' bearer tokens (a module of its own: test files cannot import a conftest)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tokens:
    admin: str
    village_desk: str

    def header(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}
