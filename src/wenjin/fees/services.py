"""Use cases of the fees domain. Keyword-only arguments, a session in, never a commit.

Every change to money (a charge, a payment, a waiver, a cancellation, a refund)
writes its entry in the circulation log in the same transaction, through
:func:`wenjin.circulation.log.record_event`. The caller's unit of work commits.

Rows of a reader's open fees are locked (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite writers are serialised by ``BEGIN IMMEDIATE``) before money is spread over
them, so two desks taking money from the same reader at once cannot both pay
the same fine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wenjin.catalog.models import Item
from wenjin.circulation.log import record_event
from wenjin.circulation.models import Loan
from wenjin.config import get_settings
from wenjin.db.types import utcnow
from wenjin.fees.errors import (
    FeeNotFound,
    FeeNotOpen,
    LostItemAlreadyCharged,
    WaiverReasonMissing,
    yuan,
)
from wenjin.fees.models import (
    AmnestyWindow,
    Fee,
    Payment,
    PaymentAllocation,
    ReceiptCounter,
    Refund,
    Waiver,
)
from wenjin.fees.queries import amnesty_for_return, get_amnesty_window
from wenjin.fees.rules import (
    RECEIPT_PREFIX,
    REFUND_PREFIX,
    OpenFee,
    allocate_payment,
    check_amnesty_window,
    check_amount,
    check_waiver,
    found_item_outcome,
    lost_item_charge,
    overdue_fine_fen,
    payment_method,
    receipt_number,
    refund_method,
    settled_status,
    tidy_text,
)
from wenjin.fees.states import FeeAction, FeeKind, FeeStatus, PaymentMethod, check_fee_transition
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron

PointRef = ServicePoint | int


def _point_id(point: PointRef | None) -> int | None:
    if point is None:
        return None
    return point.id if isinstance(point, ServicePoint) else point


def _network_date(moment: datetime) -> date:
    return moment.astimezone(get_settings().tz).date()


def _money(fee: Fee) -> dict[str, Any]:
    """The part of a fee the log records before and after a change."""
    return {
        "fee_id": fee.id,
        "kind": fee.kind,
        "status": fee.status,
        "amount_fen": fee.amount_fen,
        "paid_fen": fee.paid_fen,
        "waived_fen": fee.waived_fen,
        "cancelled_fen": fee.cancelled_fen,
        "refunded_fen": fee.refunded_fen,
        "balance_fen": fee.balance_fen,
    }


def _log(
    session: Session,
    fee: Fee,
    action: FeeAction,
    *,
    point: PointRef | None,
    actor: str | None,
    at: datetime,
    before: dict[str, Any] | None,
    **extra: Any,
) -> None:
    record_event(
        session,
        action=action.value,
        point=_point_id(point),
        actor=actor,
        patron_id=fee.patron_id,
        item_id=fee.item_id,
        loan_id=fee.loan_id,
        before=before,
        after={**_money(fee), **extra},
        at=at,
    )


def _set_status(fee: Fee, new: FeeStatus, at: datetime) -> None:
    if fee.status is new:
        return
    check_fee_transition(fee.status, new)
    fee.status = new
    fee.settled_at = at


def _lock_fees(session: Session, *conditions: Any) -> list[Fee]:
    """Fees matching ``conditions``, locked for this transaction and read afresh (a row the
    session already held may have been paid by another desk meanwhile)."""
    return list(
        session.scalars(
            select(Fee)
            .where(*conditions)
            .order_by(Fee.created_at, Fee.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _locked_fee(session: Session, fee: Fee | int) -> Fee:
    fee_id = fee.id if isinstance(fee, Fee) else fee
    found = _lock_fees(session, Fee.id == fee_id)
    if not found:
        raise FeeNotFound(fee_id)
    return found[0]


# --- charges ---


def charge_fee(
    session: Session,
    *,
    patron: Patron | int,
    kind: FeeKind | str,
    amount_fen: int,
    point: PointRef | None,
    actor: str | None = None,
    loan_id: int | None = None,
    item_id: int | None = None,
    note: str | None = None,
    at: datetime | None = None,
    parent_fee: Fee | None = None,
) -> Fee:
    """Charge a reader: a damaged item (损坏赔偿), a replacement card (补证工本费), or other.

    The amount must be positive. The charge is logged and counts in the reader's
    outstanding balance at once.
    """
    check_amount(amount_fen)
    at = at or utcnow()
    fee = Fee(
        patron_id=patron.id if isinstance(patron, Patron) else patron,
        kind=FeeKind(kind),
        status=FeeStatus.OPEN,
        amount_fen=amount_fen,
        paid_fen=0,
        waived_fen=0,
        cancelled_fen=0,
        refunded_fen=0,
        loan_id=loan_id,
        item_id=item_id,
        point_id=_point_id(point),
        parent_fee=parent_fee,
        created_at=at,
        created_by=actor,
        note=tidy_text(note) or None,
    )
    session.add(fee)
    session.flush()
    _log(session, fee, FeeAction.CHARGED, point=point, actor=actor, at=at, before=None)
    return fee


def charge_overdue(
    session: Session,
    *,
    loan: Loan,
    returned_at_point: PointRef,
    returned_on: date,
    open_days_late: int,
    per_day_fen: int,
    max_fen: int,
    actor: str | None,
    at: datetime | None = None,
) -> Fee | None:
    """The overdue fine (逾期滞纳金) of a loan being returned, charged to its reader.

    Returns ``None`` when the item is not late enough to owe anything, and when an
    amnesty window (特别还书日) covers ``returned_on`` at ``returned_at_point``: that
    fine is still recorded, already waived in full, with a waiver naming the
    window, and logged, so the amnesty's cost can be reported. ``at`` (when the
    fine was charged) defaults to the loan's ``returned_at``, else now.
    """
    fine = overdue_fine_fen(open_days_late, per_day_fen=per_day_fen, max_fen=max_fen)
    if fine == 0:
        return None
    at = at or loan.returned_at or utcnow()
    point_id = (
        returned_at_point.id if isinstance(returned_at_point, ServicePoint) else returned_at_point
    )
    capped = "（已达上限）" if fine == max_fen and open_days_late * per_day_fen > max_fen else ""
    note = (
        f"逾期{open_days_late}个开馆日 × {yuan(per_day_fen)}/日，上限 {yuan(max_fen)}{capped}；"
        f"应还日期 {loan.due_on.isoformat()}，归还日期 {returned_on.isoformat()}"
    )
    amnesty = amnesty_for_return(session, point_id=point_id, returned_on=returned_on)
    if amnesty is None:
        return charge_fee(
            session,
            patron=loan.patron_id,
            kind=FeeKind.OVERDUE,
            amount_fen=fine,
            point=point_id,
            actor=actor,
            loan_id=loan.id,
            item_id=loan.item_id,
            note=note,
            at=at,
        )
    fee = Fee(
        patron_id=loan.patron_id,
        kind=FeeKind.OVERDUE,
        status=FeeStatus.WAIVED,
        amount_fen=fine,
        paid_fen=0,
        waived_fen=fine,
        cancelled_fen=0,
        refunded_fen=0,
        loan_id=loan.id,
        item_id=loan.item_id,
        point_id=point_id,
        created_at=at,
        created_by=actor,
        settled_at=at,
        note=note,
    )
    fee.waivers.append(
        Waiver(
            amount_fen=fine,
            reason=f"特别还书日：{amnesty.name}",
            actor=actor,
            at=at,
            point_id=point_id,
            amnesty_window_id=amnesty.window_id,
        )
    )
    session.add(fee)
    session.flush()
    _log(
        session,
        fee,
        FeeAction.AMNESTY_WAIVED,
        point=point_id,
        actor=actor,
        at=at,
        before=None,
        amnesty_window_id=amnesty.window_id,
        amnesty_name=amnesty.name,
    )
    return None


def charge_lost_item(
    session: Session,
    *,
    loan_or_none: Loan | None,
    item: Item,
    patron: Patron | int,
    point: PointRef,
    actor: str | None,
    at: datetime | None = None,
) -> Fee:
    """丢失赔偿: charge the replacement price of a lost item, plus the processing fee (加工费).

    The price is the item's, else its record's, else the default
    (:func:`wenjin.fees.rules.lost_item_charge`). The processing fee
    (:data:`wenjin.fees.rules.PROCESSING_FEE_FEN`, ¥5.00) is a fee of its own,
    linked to the price (``fee.linked_fees``), because the two are refunded
    differently when the item turns up. Returns the price fee. Refuses to charge
    an item whose loss is already charged and not yet settled by its return.
    """
    standing = session.scalars(
        select(Fee.id)
        .where(
            Fee.item_id == item.id,
            Fee.kind == FeeKind.LOST_ITEM,
            Fee.status.in_((FeeStatus.OPEN, FeeStatus.PAID)),
        )
        .limit(1)
    ).first()
    if standing is not None:
        raise LostItemAlreadyCharged(item.barcode, standing)
    at = at or utcnow()
    charge = lost_item_charge(item.price_fen, item.bib.price_fen if item.bib else None)
    loan_id = loan_or_none.id if loan_or_none is not None else None
    title = item.bib.title if item.bib else ""
    price = charge_fee(
        session,
        patron=patron,
        kind=FeeKind.LOST_ITEM,
        amount_fen=charge.price_fen,
        point=point,
        actor=actor,
        loan_id=loan_id,
        item_id=item.id,
        note=f"《{title}》{item.barcode} 丢失：{charge.price_note_zh} {yuan(charge.price_fen)}",
        at=at,
    )
    if charge.processing_fen > 0:
        charge_fee(
            session,
            patron=patron,
            kind=FeeKind.PROCESSING,
            amount_fen=charge.processing_fen,
            point=point,
            actor=actor,
            loan_id=loan_id,
            item_id=item.id,
            note=f"{item.barcode} 丢失补购加工费",
            at=at,
            parent_fee=price,
        )
    return price


# --- payments ---


def next_receipt_number(session: Session, *, prefix: str, day: date) -> str:
    """The next printed number of the day for ``prefix`` (``JF-20261124-000123``)."""
    counters = cast(Table, ReceiptCounter.__table__)
    dialect = session.get_bind().dialect.name
    insert_new = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert_new(counters)
        .values(prefix=prefix, day=day, last_number=0)
        .on_conflict_do_nothing(index_elements=["prefix", "day"])
    )
    sequence = session.execute(
        update(counters)
        .where(counters.c.prefix == prefix, counters.c.day == day)
        .values(last_number=counters.c.last_number + 1)
        .returning(counters.c.last_number)
    ).scalar_one()
    return receipt_number(prefix, day, sequence)


def pay_fees(
    session: Session,
    *,
    patron: Patron,
    amount_fen: int,
    method: PaymentMethod | str,
    point: PointRef,
    actor: str | None = None,
    at: datetime | None = None,
    note: str | None = None,
) -> Payment:
    """缴费: take money from a reader and pay their oldest open fees first.

    A partial payment leaves the rest of the last fee it reaches open. Refuses a
    payment larger than everything owed (the library keeps no credit balance) and a
    payment from a reader who owes nothing. The payment gets a printed receipt
    number; each fee it reaches is logged.
    """
    the_method = payment_method(method)
    check_amount(amount_fen)
    at = at or utcnow()
    fees = _lock_fees(session, Fee.patron_id == patron.id, Fee.status == FeeStatus.OPEN)
    allocations = allocate_payment(
        amount_fen,
        [OpenFee(f.id, f.created_at, f.balance_fen) for f in fees],
        patron_name=patron.name,
    )
    payment = Payment(
        receipt_number=next_receipt_number(session, prefix=RECEIPT_PREFIX, day=_network_date(at)),
        patron_id=patron.id,
        amount_fen=amount_fen,
        method=the_method,
        point_id=_point_id(point),
        at=at,
        actor=actor,
        note=note,
    )
    session.add(payment)
    by_id = {f.id: f for f in fees}
    for allocation in allocations:
        fee = by_id[allocation.fee_id]
        before = _money(fee)
        fee.paid_fen += allocation.amount_fen
        if fee.balance_fen == 0:
            _set_status(fee, settled_status(fee.paid_fen), at)
        payment.allocations.append(PaymentAllocation(fee=fee, amount_fen=allocation.amount_fen))
        _log(
            session,
            fee,
            FeeAction.PAID,
            point=point,
            actor=actor,
            at=at,
            before=before,
            receipt_number=payment.receipt_number,
            payment_fen=allocation.amount_fen,
            method=the_method,
        )
    session.flush()
    return payment


# --- waivers ---


def waive_fee(
    session: Session,
    *,
    fee: Fee | int,
    reason: str,
    actor: str | None,
    amount_fen: int | None = None,
    point: PointRef | None = None,
    at: datetime | None = None,
) -> Waiver:
    """减免: forgive all that is left of a fee, or ``amount_fen`` of it. A reason is required.

    ``point`` is where the waiver was granted (``None``: centrally, e.g. by the
    finance office).
    """
    if not (reason or "").strip():
        raise WaiverReasonMissing()
    the_fee = _locked_fee(session, fee)
    if not the_fee.is_open:
        raise FeeNotOpen(the_fee.id, the_fee.status.label_zh, the_fee.status.label_en)
    amount = the_fee.balance_fen if amount_fen is None else amount_fen
    cleaned = check_waiver(the_fee.id, reason, amount, the_fee.balance_fen)
    at = at or utcnow()
    before = _money(the_fee)
    waiver = Waiver(
        amount_fen=amount, reason=cleaned, actor=actor, at=at, point_id=_point_id(point)
    )
    the_fee.waivers.append(waiver)
    the_fee.waived_fen += amount
    if the_fee.balance_fen == 0:
        _set_status(the_fee, settled_status(the_fee.paid_fen), at)
    session.flush()
    _log(
        session,
        the_fee,
        FeeAction.WAIVED,
        point=point,
        actor=actor,
        at=at,
        before=before,
        waiver_fen=amount,
        reason=cleaned,
    )
    return waiver


# --- cancellations and refunds ---


def _paid_with(fee: Fee) -> list[PaymentMethod]:
    """The methods of the payments that reached a fee, oldest first."""
    return [a.payment.method for a in sorted(fee.allocations, key=lambda a: a.payment.at)]


def _refund(
    session: Session,
    fee: Fee,
    amount_fen: int,
    *,
    point: PointRef,
    actor: str | None,
    reason: str,
    at: datetime,
    method: PaymentMethod | str | None,
) -> Refund:
    refund = Refund(
        receipt_number=next_receipt_number(session, prefix=REFUND_PREFIX, day=_network_date(at)),
        patron_id=fee.patron_id,
        amount_fen=amount_fen,
        method=payment_method(method) if method else refund_method(_paid_with(fee)),
        point_id=_point_id(point),
        at=at,
        actor=actor,
        reason=reason,
    )
    fee.refunds.append(refund)
    fee.refunded_fen += amount_fen
    return refund


def cancel_fee(
    session: Session,
    *,
    fee: Fee | int,
    reason: str,
    point: PointRef,
    actor: str | None,
    method: PaymentMethod | str | None = None,
    at: datetime | None = None,
) -> Refund | None:
    """撤销: a charge made in error. What is unpaid falls away; what was paid goes back to
    the reader (by ``method``, else the way it was paid) and the refund is returned.

    Unlike a waiver, a cancelled charge was never owed; reports count it apart.
    """
    cleaned = tidy_text(reason)
    if not cleaned:
        raise WaiverReasonMissing()
    the_fee = _locked_fee(session, fee)
    if the_fee.status not in (FeeStatus.OPEN, FeeStatus.PAID):
        raise FeeNotOpen(the_fee.id, the_fee.status.label_zh, the_fee.status.label_en)
    at = at or utcnow()
    before = _money(the_fee)
    to_refund = the_fee.paid_fen - the_fee.refunded_fen
    the_fee.cancelled_fen += the_fee.balance_fen
    refund = None
    if to_refund > 0:
        refund = _refund(
            session,
            the_fee,
            to_refund,
            point=point,
            actor=actor,
            reason=cleaned,
            at=at,
            method=method,
        )
        _set_status(the_fee, FeeStatus.REFUNDED, at)
    else:
        _set_status(the_fee, FeeStatus.CANCELLED, at)
    session.flush()
    _log(
        session,
        the_fee,
        FeeAction.REFUNDED if refund else FeeAction.CANCELLED,
        point=point,
        actor=actor,
        at=at,
        before=before,
        reason=cleaned,
        **(
            {"refund_fen": refund.amount_fen, "receipt_number": refund.receipt_number}
            if refund
            else {}
        ),
    )
    return refund


def refund_lost_item(
    session: Session,
    *,
    item: Item,
    point: PointRef,
    actor: str | None,
    at: datetime | None = None,
) -> list[Fee]:
    """A lost item was found (找回): settle its loss charges by the refund rule.

    Unpaid charges are cancelled; money paid toward the replacement price is
    refunded (a :class:`Refund` with its slip number, by the way it was paid);
    money paid toward the processing fee is kept, only its unpaid rest is
    cancelled (:func:`wenjin.fees.rules.found_item_outcome`). Returns the fees
    that changed; an item whose loss was never charged returns an empty list.
    """
    at = at or utcnow()
    fees = _lock_fees(
        session,
        Fee.item_id == item.id,
        Fee.kind.in_((FeeKind.LOST_ITEM, FeeKind.PROCESSING)),
        Fee.status.in_((FeeStatus.OPEN, FeeStatus.PAID)),
    )
    reason = f"图书 {item.barcode} 已找回"
    changed: list[Fee] = []
    for fee in fees:
        outcome = found_item_outcome(
            fee.kind, fee.status, paid_fen=fee.paid_fen - fee.refunded_fen, balance=fee.balance_fen
        )
        if outcome is None:
            continue
        before = _money(fee)
        fee.cancelled_fen += outcome.cancel_fen
        extra: dict[str, Any] = {"reason": reason}
        if outcome.refund_fen:
            refund = _refund(
                session,
                fee,
                outcome.refund_fen,
                point=point,
                actor=actor,
                reason=reason,
                at=at,
                method=None,
            )
            extra |= {"refund_fen": refund.amount_fen, "receipt_number": refund.receipt_number}
        _set_status(fee, outcome.new_status, at)
        action = {
            FeeStatus.REFUNDED: FeeAction.REFUNDED,
            FeeStatus.CANCELLED: FeeAction.CANCELLED,
            FeeStatus.PAID: FeeAction.KEPT,
        }[outcome.new_status]
        session.flush()
        _log(session, fee, action, point=point, actor=actor, at=at, before=before, **extra)
        changed.append(fee)
    return changed


# --- amnesty windows (特别还书日) ---


def add_amnesty_window(
    session: Session,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    points: Sequence[ServicePoint] = (),
    actor: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> AmnestyWindow:
    """特别还书日: waive overdue fines for returns from ``starts_on`` to ``ends_on`` (both
    included, network time zone) at ``points`` and every point under them; no point
    means the whole network. Applies to returns made while it is active, not to
    fines already charged."""
    cleaned = check_amnesty_window(name, starts_on, ends_on)
    window = AmnestyWindow(
        name=cleaned,
        starts_on=starts_on,
        ends_on=ends_on,
        active=True,
        created_at=at or utcnow(),
        created_by=actor,
        note=note,
    )
    window.points.extend(_unique_points(points))
    session.add(window)
    session.flush()
    return window


def _unique_points(points: Iterable[ServicePoint]) -> list[ServicePoint]:
    seen: dict[int, ServicePoint] = {}
    for point in points:
        seen.setdefault(point.id, point)
    return list(seen.values())


def end_amnesty_window(session: Session, *, window_id: int) -> AmnestyWindow:
    """Withdraw a window: returns from now on are fined again. Fines it already waived stay
    waived."""
    window = get_amnesty_window(session, window_id)
    window.active = False
    session.flush()
    return window
