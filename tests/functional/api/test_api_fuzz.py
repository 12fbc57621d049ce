"""Schemathesis against the served OpenAPI document: no generated request gets a 5xx.

SQLite only (the same code runs on PostgreSQL in the other API tests), a few
examples per operation to stay within about a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from api_tokens import Tokens
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from wenjin.config import Settings
from wenjin.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:schemathesis.*")


def test_no_generated_request_gets_a_server_error(
    database_url: str, settings: Settings, tokens: Tokens
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("fuzzed on SQLite only")
    app: FastAPI = create_app(settings)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis_settings(
            max_examples=4,
            phases=[Phase.explicit, Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=tokens.header(tokens.admin))
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        check()
    assert not failures, "\n".join(failures)
