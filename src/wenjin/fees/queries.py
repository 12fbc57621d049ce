"""Read side of the fees domain: what a reader owes, their fees and payments, the day's
takings per service point, amnesty windows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.orm import Session, selectinload

from wenjin.catalog.models import BibRecord, Item
from wenjin.config import get_settings
from wenjin.db.fastsql import Prepared
from wenjin.fees.errors import AmnestyNotFound, FeeNotFound
from wenjin.fees.models import AmnestyWindow, Fee, Payment, PaymentAllocation, Refund, Waiver
from wenjin.fees.rules import AmnestyTerms, matching_amnesty
from wenjin.fees.states import FeeKind, FeeStatus, PaymentMethod
from wenjin.network.models import ServicePoint
from wenjin.network.queries import descendant_ids

_fees = Fee.__table__
# Built once on the table's columns with a bound patron id: SQLAlchemy reuses its compiled
# form, and the SUM costs a few hundredths of a millisecond on every checkout. The status
# is a literal, not a parameter, so that both databases see the partial index's condition
# (ix_fees_open_by_patron) in the query and use the index.
_OUTSTANDING = Prepared(
    select(
        func.coalesce(
            func.sum(
                _fees.c.amount_fen - _fees.c.paid_fen - _fees.c.waived_fen - _fees.c.cancelled_fen
            ),
            0,
        )
    ).where(
        _fees.c.status == literal_column(f"'{FeeStatus.OPEN.value}'"),
        _fees.c.patron_id == bindparam("patron_id"),
    )
)


def outstanding_fen(session: Session, patron_id: int) -> int:
    """What a reader owes now, in fen: one indexed SUM over their open fees (every checkout)."""
    session.flush()  # fees added in this unit of work count (returns at once when none are)
    return int(_OUTSTANDING.scalar(session, {"patron_id": patron_id}) or 0)


def get_fee(session: Session, fee_id: int) -> Fee:
    fee = session.get(Fee, fee_id)
    if fee is None:
        raise FeeNotFound(fee_id)
    return fee


def fees_for_patron(session: Session, patron_id: int, *, open_only: bool = False) -> list[Fee]:
    """A reader's fees, oldest first (the order payments settle them)."""
    stmt = select(Fee).where(Fee.patron_id == patron_id)
    if open_only:
        stmt = stmt.where(Fee.status == FeeStatus.OPEN)
    return list(session.scalars(stmt.order_by(Fee.created_at, Fee.id)))


def payments_for_patron(
    session: Session, patron_id: int, *, limit: int | None = None
) -> list[Payment]:
    """A reader's payments, newest first, with how each was spread over fees."""
    stmt = (
        select(Payment)
        .where(Payment.patron_id == patron_id)
        .options(selectinload(Payment.allocations), selectinload(Payment.point))
        .order_by(Payment.at.desc(), Payment.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


# --- a reader's account, as the desk shows it ---


@dataclass(frozen=True)
class FeeLine:
    fee_id: int
    kind: FeeKind
    kind_zh: str
    status: FeeStatus
    status_zh: str
    amount_fen: int
    paid_fen: int
    waived_fen: int
    cancelled_fen: int
    refunded_fen: int
    balance_fen: int
    charged_at: datetime
    point: str | None
    barcode: str | None
    title: str | None
    loan_id: int | None
    note: str | None


@dataclass(frozen=True)
class PaymentLine:
    receipt_number: str
    amount_fen: int
    method: PaymentMethod
    method_zh: str
    at: datetime
    point: str
    actor: str | None
    fees: dict[int, int]  # fee id → fen paid toward it


@dataclass(frozen=True)
class FeeAccount:
    patron_id: int
    outstanding_fen: int
    fees: list[FeeLine]
    payments: list[PaymentLine]


_FEE_LINES = (
    select(Fee, Item.barcode, BibRecord.title, ServicePoint.code)
    .outerjoin(Item, Item.id == Fee.item_id)
    .outerjoin(BibRecord, BibRecord.id == Item.bib_id)
    .outerjoin(ServicePoint, ServicePoint.id == Fee.point_id)
    .order_by(Fee.created_at, Fee.id)
)


def fee_lines(session: Session, patron_id: int, *, open_only: bool = False) -> list[FeeLine]:
    """A reader's fees with the item's barcode and title and the charging point's code."""
    stmt = _FEE_LINES.where(Fee.patron_id == patron_id)
    if open_only:
        stmt = stmt.where(Fee.status == FeeStatus.OPEN)
    return _lines(session, stmt)


def fee_line(session: Session, fee_id: int) -> FeeLine:
    """One fee as the desk shows it; raises :class:`FeeNotFound`."""
    lines = _lines(session, _FEE_LINES.where(Fee.id == fee_id))
    if not lines:
        raise FeeNotFound(fee_id)
    return lines[0]


def _lines(session: Session, stmt: Any) -> list[FeeLine]:
    return [
        FeeLine(
            fee_id=fee.id,
            kind=fee.kind,
            kind_zh=fee.kind.label_zh,
            status=fee.status,
            status_zh=fee.status.label_zh,
            amount_fen=fee.amount_fen,
            paid_fen=fee.paid_fen,
            waived_fen=fee.waived_fen,
            cancelled_fen=fee.cancelled_fen,
            refunded_fen=fee.refunded_fen,
            balance_fen=fee.balance_fen,
            charged_at=fee.created_at,
            point=point_code,
            barcode=barcode,
            title=title,
            loan_id=fee.loan_id,
            note=fee.note,
        )
        for fee, barcode, title, point_code in session.execute(stmt)
    ]


def payment_line(payment: Payment) -> PaymentLine:
    return PaymentLine(
        receipt_number=payment.receipt_number,
        amount_fen=payment.amount_fen,
        method=payment.method,
        method_zh=payment.method.label_zh,
        at=payment.at,
        point=payment.point.code,
        actor=payment.actor,
        fees={a.fee_id: a.amount_fen for a in payment.allocations},
    )


def fee_account(
    session: Session, patron_id: int, *, open_only: bool = True, payments: int = 10
) -> FeeAccount:
    """What the desk shows: the balance, the fees (open ones, or all), the latest payments."""
    return FeeAccount(
        patron_id=patron_id,
        outstanding_fen=outstanding_fen(session, patron_id),
        fees=fee_lines(session, patron_id, open_only=open_only),
        payments=[payment_line(p) for p in payments_for_patron(session, patron_id, limit=payments)],
    )


# --- takings (收费日报) ---


@dataclass
class MethodTakings:
    taken_fen: int = 0
    payments: int = 0
    refunded_fen: int = 0
    refunds: int = 0

    @property
    def net_fen(self) -> int:
        return self.taken_fen - self.refunded_fen


@dataclass
class PointTakings:
    """What one service point took and paid back on one day: the figure its cash-up checks."""

    point_id: int
    point_code: str
    point_name: str
    by_method: dict[PaymentMethod, MethodTakings] = field(default_factory=dict)

    @property
    def taken_fen(self) -> int:
        return sum(m.taken_fen for m in self.by_method.values())

    @property
    def refunded_fen(self) -> int:
        return sum(m.refunded_fen for m in self.by_method.values())

    @property
    def net_fen(self) -> int:
        return self.taken_fen - self.refunded_fen

    @property
    def payments(self) -> int:
        return sum(m.payments for m in self.by_method.values())

    @property
    def refunds(self) -> int:
        return sum(m.refunds for m in self.by_method.values())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a day of the network's time zone starts and ends."""
    start = datetime.combine(day, time.min, tzinfo=get_settings().tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=get_settings().tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def daily_takings(
    session: Session, *, day: date, point_ids: Iterable[int] | None = None
) -> list[PointTakings]:
    """Money taken and refunded per service point and payment method on ``day`` (network
    time zone), for the points given (``None``: every point that took or paid out money),
    in point-code order."""
    start, end = day_bounds(day)
    wanted = set(point_ids) if point_ids is not None else None
    rows: dict[int, PointTakings] = {}

    def point_row(point_id: int, code: str, name: str) -> PointTakings:
        return rows.setdefault(point_id, PointTakings(point_id, code, name))

    for table, is_refund in ((Payment, False), (Refund, True)):
        stmt = (
            select(
                table.point_id,
                ServicePoint.code,
                ServicePoint.name,
                table.method,
                func.count(table.id),
                func.sum(table.amount_fen),
            )
            .join(ServicePoint, ServicePoint.id == table.point_id)
            .where(table.at >= start, table.at < end)
            .group_by(table.point_id, ServicePoint.code, ServicePoint.name, table.method)
        )
        if wanted is not None:
            stmt = stmt.where(table.point_id.in_(wanted))
        for point_id, code, name, method, count, total in session.execute(stmt):
            method_row = point_row(point_id, code, name).by_method.setdefault(
                method, MethodTakings()
            )
            if is_refund:
                method_row.refunds += count
                method_row.refunded_fen += int(total)
            else:
                method_row.payments += count
                method_row.taken_fen += int(total)
    if wanted is not None:
        for point in session.scalars(select(ServicePoint).where(ServicePoint.id.in_(wanted))):
            point_row(point.id, point.code, point.name)
    return sorted(rows.values(), key=lambda r: r.point_code)


# --- amnesty windows (特别还书日) ---


def get_amnesty_window(session: Session, window_id: int) -> AmnestyWindow:
    window = session.get(AmnestyWindow, window_id)
    if window is None:
        raise AmnestyNotFound(window_id)
    return window


def list_amnesty_windows(session: Session, *, active_only: bool = False) -> list[AmnestyWindow]:
    """Amnesty windows, latest first, with their points."""
    stmt = select(AmnestyWindow).options(selectinload(AmnestyWindow.points))
    if active_only:
        stmt = stmt.where(AmnestyWindow.active.is_(True))
    return list(session.scalars(stmt.order_by(AmnestyWindow.starts_on.desc(), AmnestyWindow.id)))


@dataclass(frozen=True)
class AmnestyEffect:
    fines: int
    waived_fen: int


def amnesty_effects(session: Session, window_ids: Iterable[int]) -> dict[int, AmnestyEffect]:
    """How many fines each window waived, and how much: what the amnesty gave back."""
    ids = list(window_ids)
    if not ids:
        return {}
    stmt = (
        select(Waiver.amnesty_window_id, func.count(Waiver.id), func.sum(Waiver.amount_fen))
        .where(Waiver.amnesty_window_id.in_(ids))
        .group_by(Waiver.amnesty_window_id)
    )
    found = {wid: AmnestyEffect(int(n), int(total)) for wid, n, total in session.execute(stmt)}
    return {wid: found.get(wid, AmnestyEffect(0, 0)) for wid in ids}


_windows = AmnestyWindow.__table__
_WINDOWS_RUNNING = select(_windows.c.id).where(
    _windows.c.active.is_(True),
    _windows.c.starts_on <= bindparam("day"),
    _windows.c.ends_on >= bindparam("day"),
)


def amnesty_for_return(
    session: Session, *, point_id: int, returned_on: date
) -> AmnestyTerms | None:
    """The amnesty window that waives the fine of a return at ``point_id`` on ``returned_on``.

    One small indexed query on the checkin path of a late item; the windows and
    their points' subtrees are only loaded on the days a window is running.
    """
    running = session.scalars(_WINDOWS_RUNNING, {"day": returned_on}).all()
    if not running:
        return None
    windows = session.scalars(
        select(AmnestyWindow)
        .where(AmnestyWindow.id.in_(running))
        .options(selectinload(AmnestyWindow.points))
    ).all()
    terms = [
        AmnestyTerms(
            window_id=w.id,
            name=w.name,
            starts_on=w.starts_on,
            ends_on=w.ends_on,
            active=w.active,
            covered_point_ids=frozenset().union(*(descendant_ids(session, p.id) for p in w.points))
            if w.points
            else None,
        )
        for w in windows
    ]
    return matching_amnesty(terms, returned_on=returned_on, point_id=point_id)


def allocations_for_fee(session: Session, fee_id: int) -> list[PaymentAllocation]:
    """The payments that reached a fee, oldest first, with their receipts."""
    return list(
        session.scalars(
            select(PaymentAllocation)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.fee_id == fee_id)
            .options(selectinload(PaymentAllocation.payment))
            .order_by(Payment.at, Payment.id)
        )
    )
