"""The checkout and checkin hot path reads by index, whatever the size of the library.

A reader with 500 loans behind them must wait no longer than one with none: every
query on the path is an index search (SQLite's plan says SEARCH, never a SCAN
of a table), and the number of statements does not grow with the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from circ_library import NOW, SENIOR, build_circ_library, local_time
from sqlalchemy import Engine, event, insert

from wenjin.circulation import lookups, services
from wenjin.circulation.models import Loan
from wenjin.circulation.policy import _SIGNATURE
from wenjin.circulation.services import checkin, checkout
from wenjin.circulation.states import LoanStatus
from wenjin.db.uow import UnitOfWork


@pytest.fixture
def library_with_history(sqlite_engine: Engine) -> Iterator[Engine]:
    """The lending network, and 500 returned loans of 李娜 (the senior reader) behind her."""
    with UnitOfWork(sqlite_engine) as uow:
        built = build_circ_library(uow.session)
        uow.commit()
    item_id, patron_id = built.items["ZC01000007"], built.patrons[SENIOR]
    rows = []
    for n in range(500):
        out = date(2024, 1, 1) + timedelta(days=n)
        rows.append(
            {
                "item_id": item_id,
                "patron_id": patron_id,
                "card_number": SENIOR,
                "item_type_id": 1,
                "checkout_point_id": built.points["ZC"],
                "checked_out_at": local_time(out),
                "due_on": out + timedelta(days=30),
                "renewals": 0,
                "returned_at": local_time(out + timedelta(days=10)),
                "return_point_id": built.points["ZC"],
                "status": LoanStatus.RETURNED,
                "loan_days": 30,
                "renewals_allowed": 1,
                "renewal_days": 30,
                "fine_per_day_fen": 10,
                "max_fine_fen": 2000,
                "fine_fen": 0,
                "version": 1,
            }
        )
    with UnitOfWork(sqlite_engine) as uow:
        uow.session.execute(insert(Loan), rows)
        uow.commit()
    return sqlite_engine


def _plan(engine: Engine, statement: Any, params: dict[str, Any]) -> str:
    statement = getattr(statement, "statement", statement)  # a fastsql.Prepared
    with engine.connect() as conn:
        compiled = statement.compile(dialect=conn.dialect)
        values = compiled.construct_params(params)
        args = tuple(values[name] for name in compiled.positiontup)
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args).all()
    return " | ".join(row[3] for row in rows)


HOT_QUERIES: list[tuple[str, Any, dict[str, Any]]] = [
    ("point by code", lookups._POINT_BY_CODE, {"code": "ZC"}),
    ("reader by card", lookups._BY_CARD, {"number": SENIOR}),
    ("item by barcode", services._ITEM, {"barcode": "ZC01000001"}),
    ("current loan", services._CURRENT_LOAN, {"item_id": 1}),
    (
        "loan counts",
        services._LOAN_COUNTS,
        {"patron_id": 2, "item_type_id": 1, "today": "2026-03-03"},
    ),
    (
        "calendar",
        lookups._CALENDAR_WINDOW,
        {"point_id": 1, "first": "2026-04-02", "last": "2027-04-03"},
    ),
]


@pytest.mark.parametrize(
    ("name", "statement", "params"), HOT_QUERIES, ids=[q[0] for q in HOT_QUERIES]
)
def test_every_query_on_the_hot_path_searches_an_index(
    library_with_history: Engine, name: str, statement: Any, params: dict[str, Any]
) -> None:
    plan = _plan(library_with_history, statement, params)
    scans = [
        step for step in plan.split(" | ") if step.startswith("SCAN") and "CONSTANT" not in step
    ]
    # The recursive calendar CTE scans its own working table (a handful of rows), nothing else.
    assert all("lending_chain" in step for step in scans), plan


def test_the_rule_cache_check_reads_only_the_small_rules_table(
    library_with_history: Engine,
) -> None:
    plan = _plan(library_with_history, _SIGNATURE, {})
    assert "loans" not in plan
    assert "items" not in plan


def _statements(engine: Engine, work: Callable[[], Any]) -> int:
    """Statements SQLite itself ran (the hot path bypasses SQLAlchemy's execute events)."""
    seen: list[str] = []

    def trace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    engine.dispose()
    event.listen(engine, "checkout", trace)
    try:
        work()
    finally:
        event.remove(engine, "checkout", trace)
        engine.dispose()
    # Not the statements of triggers ("-- TRIGGER …"), nor the commits.
    return len([sql for sql in seen if not sql.startswith("--") and sql not in ("COMMIT",)])


def test_a_reader_with_500_past_loans_costs_no_more_statements_than_one_with_none(
    library_with_history: Engine,
) -> None:
    engine = library_with_history

    def lend_and_return(card: str, barcode: str) -> Callable[[], Any]:
        def run() -> None:
            with UnitOfWork(engine) as uow:
                checkout(uow.session, at="ZC", card_number=card, barcode=barcode, now=NOW)
                uow.commit()
            with UnitOfWork(engine) as uow:
                checkin(uow.session, at="ZC", barcode=barcode, now=NOW)
                uow.commit()

        return run

    lend_and_return(SENIOR, "ZC01000001")()  # warm the rule cache
    with_history = _statements(engine, lend_and_return(SENIOR, "ZC01000002"))
    newcomer = _statements(engine, lend_and_return("ZC00020001", "ZC01000003"))
    assert with_history == newcomer
    assert with_history <= 26  # 18 before holds; holds look once per operation, search once more
