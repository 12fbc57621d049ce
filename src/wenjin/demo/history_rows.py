"""Writing the simulated year (:mod:`wenjin.demo.history`) in bulk, ids first.

The rows go through the catalogue's bulk helpers (:mod:`wenjin.catalog.bulk`:
``executemany`` on SQLite, COPY on PostgreSQL) inside the caller's transaction,
in the shapes the services write them: loans carrying their rule's terms, fees
with their notes, receipts numbered per day, and the circulation log's entries
with the ``before`` and ``after`` each service records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wenjin.catalog.bulk import DbValues, allocate_ids, bulk_insert, bulk_update
from wenjin.catalog.models import BibRecord, Item
from wenjin.circulation.states import TransitReason
from wenjin.demo.history import AMNESTY_NAME, History, as_date
from wenjin.demo.patrons import DEMO_ACTOR, local_moment
from wenjin.fees.errors import yuan
from wenjin.fees.models import AmnestyWindow
from wenjin.fees.rules import RECEIPT_PREFIX
from wenjin.fees.states import FeeKind


def history_is_saved(session: Session) -> bool:
    """The year is in when its 特别还书日 is: both are written in one transaction."""
    found = session.scalar(
        select(AmnestyWindow.id).where(
            AmnestyWindow.name == AMNESTY_NAME, AmnestyWindow.created_by == DEMO_ACTOR
        )
    )
    return found is not None


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def save_history(
    session: Session,
    history: History,
    *,
    on_rows: Callable[[int], None] | None = None,
    chunk: int = 20_000,
) -> None:
    """Write the simulated year in bulk, in the session's transaction, ids first."""
    values = DbValues(session)
    ts = values.timestamp

    def report(count: int) -> None:
        if on_rows is not None:
            on_rows(count)

    def opt_ts(moment: datetime | None) -> Any:
        return ts(moment) if moment is not None else None

    [window_id] = allocate_ids(session, "amnesty_windows", 1)
    history.window.id = window_id
    created = local_moment(history.amnesty_start - timedelta(days=14), 10 * 60)
    bulk_insert(
        session,
        "amnesty_windows",
        ("id", "name", "starts_on", "ends_on", "active", "created_at", "created_by", "note"),
        [
            (
                window_id,
                AMNESTY_NAME,
                values.date(history.amnesty_start),
                values.date(history.amnesty_end),
                True,
                ts(created),
                DEMO_ACTOR,
                "世界读书日期间全馆通还，逾期图书免收滞纳金",
            )
        ],
    )

    for loan, loan_id in zip(
        history.loans, allocate_ids(session, "loans", len(history.loans)), strict=True
    ):
        loan.id = loan_id
    loan_rows = [
        (
            loan.id,
            loan.item.id,
            loan.patron.id,
            loan.card,
            loan.item.type_id,
            loan.point,
            ts(loan.out_at),
            values.date(loan.due),
            loan.renewals,
            opt_ts(loan.renewed_at),
            opt_ts(loan.returned_at),
            loan.return_point,
            loan.status.value,
            ts(loan.status_at),
            loan.rule.id,
            loan.rule.loan_days,
            loan.rule.renewals,
            loan.rule.renewal_days,
            loan.rule.fine_per_day_fen,
            loan.max_fine,
            loan.fine,
            loan.version,
        )
        for loan in history.loans
    ]
    for rows in _chunks(loan_rows, chunk):
        bulk_insert(session, "loans", LOAN_COLUMNS, rows)
        report(len(rows))

    transit_ids = allocate_ids(session, "transits", len(history.transits))
    for transit, transit_id in zip(history.transits, transit_ids, strict=True):
        transit.id = transit_id
    transit_rows = [
        (
            t.id,
            t.item.id,
            t.source,
            t.target,
            TransitReason.RETURN_HOME.value,
            t.status.value,
            t.loan.id,
            ts(t.created_at),
            DEMO_ACTOR,
            opt_ts(t.sent_at),
            opt_ts(t.received_at),
            DEMO_ACTOR if t.received_at else None,
            t.target if t.received_at else None,
        )
        for t in history.transits
    ]
    for rows in _chunks(transit_rows, chunk):
        bulk_insert(session, "transits", TRANSIT_COLUMNS, rows)
        report(len(rows))

    _lost_notes(session, history)
    for fee, fee_id in zip(
        history.fees, allocate_ids(session, "fees", len(history.fees)), strict=True
    ):
        fee.id = fee_id
    fee_rows = [
        (
            f.id,
            f.patron.id,
            f.kind.value,
            f.status.value,
            f.amount,
            f.paid,
            f.waived,
            0,
            0,
            f.loan.id,
            f.item.id,
            f.point,
            f.parent.id if f.parent else None,
            ts(f.created_at),
            DEMO_ACTOR,
            opt_ts(f.settled_at),
            f.note,
        )
        for f in history.fees
    ]
    for rows in _chunks(fee_rows, chunk):
        bulk_insert(session, "fees", FEE_COLUMNS, rows)
        report(len(rows))

    payment_ids = allocate_ids(session, "payments", len(history.payments))
    for payment, payment_id in zip(history.payments, payment_ids, strict=True):
        payment.id = payment_id
    bulk_insert(
        session,
        "payments",
        ("id", "receipt_number", "patron_id", "amount_fen", "method", "point_id", "at", "actor"),
        [
            (p.id, p.receipt, p.patron.id, p.amount, p.method.value, p.point, ts(p.at), DEMO_ACTOR)
            for p in history.payments
        ],
    )
    allocation_ids = allocate_ids(session, "payment_allocations", len(history.allocations))
    bulk_insert(
        session,
        "payment_allocations",
        ("id", "payment_id", "fee_id", "amount_fen"),
        [
            (allocation_id, payment.id, fee.id, amount)
            for allocation_id, (payment, fee, amount) in zip(
                allocation_ids, history.allocations, strict=True
            )
        ],
    )
    waiver_ids = allocate_ids(session, "waivers", len(history.waivers))
    bulk_insert(
        session,
        "waivers",
        ("id", "fee_id", "amount_fen", "reason", "actor", "at", "point_id", "amnesty_window_id"),
        [
            (
                waiver_id,
                w.fee.id,
                w.amount,
                w.reason,
                DEMO_ACTOR,
                ts(w.at),
                w.point,
                window_id if w.amnesty else None,
            )
            for waiver_id, w in zip(waiver_ids, history.waivers, strict=True)
        ],
    )
    report(len(history.payments) + len(history.allocations) + len(history.waivers))
    _save_receipt_counters(session, history, values)

    def encode(state: dict[str, Any] | None) -> str:
        if state is None:
            return "null"
        return json.dumps(state, default=lambda ref: ref.id)

    event_ids = allocate_ids(session, "circulation_events", len(history.events))
    for start in range(0, len(history.events), chunk):
        rows = [
            (
                event_id,
                ts(e.at),
                str(e.action),
                e.point,
                DEMO_ACTOR,
                e.patron.id if e.patron else None,
                e.item.id if e.item else None,
                e.loan.id if e.loan else None,
                encode(e.before),
                encode(e.after),
            )
            for event_id, e in zip(
                event_ids[start : start + chunk], history.events[start : start + chunk], strict=True
            )
        ]
        bulk_insert(session, "circulation_events", EVENT_COLUMNS, rows)
        report(len(rows))

    item_rows = [
        (
            item.id,
            item.status.value,
            opt_ts(item.changed_at),
            item.current,
            item.owning,
        )
        for item in history.items
    ]
    for rows in _chunks(item_rows, chunk):
        bulk_update(
            session,
            "items",
            ("status", "status_changed_at", "current_point_id", "owning_point_id"),
            rows,
            versioned=True,
        )
        report(len(rows))


def _lost_notes(session: Session, history: History) -> None:
    """The notes charge_lost_item writes name the title and barcode: read them for the few."""
    lost = [f for f in history.fees if f.kind in (FeeKind.LOST_ITEM, FeeKind.PROCESSING)]
    if not lost:
        return
    ids = sorted({f.item.id for f in lost})
    found = {
        item_id: (barcode, title)
        for item_id, barcode, title in session.execute(
            select(Item.id, Item.barcode, BibRecord.title)
            .join(BibRecord, BibRecord.id == Item.bib_id)
            .where(Item.id.in_(ids))
        )
    }
    for fee in lost:
        barcode, title = found[fee.item.id]
        if fee.kind is FeeKind.PROCESSING:
            fee.note = f"{barcode} 丢失补购加工费"
        else:
            source = fee.note.removeprefix("lost:")
            fee.note = f"《{title}》{barcode} 丢失：{source} {yuan(fee.amount)}"


def _save_receipt_counters(session: Session, history: History, values: DbValues) -> None:
    existing = {
        as_date(day)
        for (day,) in session.execute(
            text("SELECT day FROM receipt_counters WHERE prefix = :prefix"),
            {"prefix": RECEIPT_PREFIX},
        )
    }
    new = [
        (RECEIPT_PREFIX, values.date(d), n)
        for d, n in history.receipts.items()
        if d not in existing
    ]
    bulk_insert(session, "receipt_counters", ("prefix", "day", "last_number"), new)
    for day, number in history.receipts.items():
        if day in existing:
            session.execute(
                text(
                    "UPDATE receipt_counters SET last_number = :number "
                    "WHERE prefix = :prefix AND day = :day"
                ),
                {"number": number, "prefix": RECEIPT_PREFIX, "day": values.date(day)},
            )


LOAN_COLUMNS = (
    "id", "item_id", "patron_id", "card_number", "item_type_id", "checkout_point_id",
    "checked_out_at", "due_on", "renewals", "last_renewed_at", "returned_at", "return_point_id",
    "status", "status_changed_at", "rule_id", "loan_days", "renewals_allowed", "renewal_days",
    "fine_per_day_fen", "max_fine_fen", "fine_fen", "version",
)  # fmt: skip
TRANSIT_COLUMNS = (
    "id", "item_id", "from_point_id", "to_point_id", "reason", "status", "loan_id", "created_at",
    "created_by", "sent_at", "received_at", "received_by", "received_point_id",
)  # fmt: skip
FEE_COLUMNS = (
    "id", "patron_id", "kind", "status", "amount_fen", "paid_fen", "waived_fen", "cancelled_fen",
    "refunded_fen", "loan_id", "item_id", "point_id", "parent_fee_id", "created_at", "created_by",
    "settled_at", "note",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "at", "action", "point_id", "actor", "patron_id", "item_id", "loan_id", "before", "after",
)  # fmt: skip
