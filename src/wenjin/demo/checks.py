"""``wenjin demo check``: is the circulation state of the database consistent?

Written for the demo (whose year of circulation is generated in bulk, around the
services) but true of any Wenjin database: each rule below is one the services
keep by construction. An empty list means all is well.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.models import CirculationEvent, Loan, Transit
from wenjin.circulation.policy import policy_snapshot
from wenjin.circulation.rules import LoanContext, resolve_rule
from wenjin.circulation.states import (
    CURRENT_LOAN_STATUSES,
    CirculationAction,
    LoanStatus,
    TransitStatus,
)
from wenjin.fees.models import Fee, Payment, PaymentAllocation, Waiver
from wenjin.fees.states import FeeStatus
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import network_date


@dataclass(frozen=True)
class Problem:
    """One inconsistency, said for a librarian and for a developer."""

    rule: str
    message_zh: str
    message_en: str


def circulation_problems(session: Session, *, today: date, limit: int = 20) -> list[Problem]:
    """Every inconsistency found (at most ``limit`` of each kind)."""
    problems: list[Problem] = []
    problems += _items_and_loans(session, limit)
    problems += _items_and_transits(session, limit)
    problems += _limits(session, today, limit)
    problems += _money(session, limit)
    problems += _log(session)
    return problems


def _items_and_loans(session: Session, limit: int) -> list[Problem]:
    found: list[Problem] = []
    current = {s.value for s in CURRENT_LOAN_STATUSES}
    rows = session.execute(
        select(Item.barcode, Item.status, func.count(Loan.id))
        .outerjoin(Loan, (Loan.item_id == Item.id) & Loan.returned_at.is_(None))
        .where(Item.status == ItemStatus.ON_LOAN)
        .group_by(Item.id, Item.barcode, Item.status)
        .having(func.count(Loan.id) != 1)
        .limit(limit)
    ).all()
    for barcode, _status, count in rows:
        found.append(
            Problem(
                "on_loan_has_one_loan",
                f"册 {barcode} 状态为借出，却有 {count} 笔未还借阅",
                f"item {barcode} is on loan with {count} current loans",
            )
        )
    mismatched = session.execute(
        select(Item.barcode, Item.status, Loan.status)
        .join(Loan, Loan.item_id == Item.id)
        .where(Loan.returned_at.is_(None))
        .where(
            ((Loan.status == LoanStatus.LOST) & (Item.status != ItemStatus.LOST))
            | ((Loan.status != LoanStatus.LOST) & (Item.status != ItemStatus.ON_LOAN))
        )
        .limit(limit)
    ).all()
    for barcode, item_status, loan_status in mismatched:
        found.append(
            Problem(
                "loan_matches_item",
                f"册 {barcode} 有未还借阅（{loan_status.value}），册状态却是 {item_status.value}",
                f"item {barcode} has a current {loan_status.value} loan but is {item_status.value}",
            )
        )
    wrong = session.scalar(
        select(func.count(Loan.id)).where(
            (Loan.returned_at.is_(None) & Loan.status.not_in(current))
            | (Loan.returned_at.is_not(None) & (Loan.status != LoanStatus.RETURNED))
        )
    )
    if wrong:
        found.append(
            Problem(
                "loan_status_matches_return",
                f"{wrong} 笔借阅的状态与归还时间不符",
                f"{wrong} loans have a status that contradicts their return time",
            )
        )
    return found


def _items_and_transits(session: Session, limit: int) -> list[Problem]:
    found: list[Problem] = []
    rows = session.execute(
        select(Item.barcode, func.count(Transit.id))
        .outerjoin(
            Transit,
            (Transit.item_id == Item.id) & (Transit.status == TransitStatus.IN_TRANSIT),
        )
        .where(Item.status == ItemStatus.IN_TRANSIT)
        .group_by(Item.id, Item.barcode)
        .having(func.count(Transit.id) != 1)
        .limit(limit)
    ).all()
    for barcode, count in rows:
        found.append(
            Problem(
                "in_transit_has_one_transit",
                f"册 {barcode} 状态为在途，却有 {count} 笔在途调拨",
                f"item {barcode} is in transit with {count} active transits",
            )
        )
    stray = session.execute(
        select(Item.barcode, Item.status)
        .join(Transit, Transit.item_id == Item.id)
        .where(Transit.status == TransitStatus.IN_TRANSIT)
        .where(
            (Item.status != ItemStatus.IN_TRANSIT) | (Item.current_point_id != Transit.to_point_id)
        )
        .limit(limit)
    ).all()
    for barcode, status in stray:
        found.append(
            Problem(
                "transit_matches_item",
                f"册 {barcode} 有在途调拨，但状态为 {status.value} 或不在目的地名下",
                f"item {barcode} has an active transit but is {status.value} or not bound for it",
            )
        )
    return found


def _limits(session: Session, today: date, limit: int) -> list[Problem]:
    """Nobody holds more open loans than a rule lets them borrow, and nobody borrowed while
    owing more overdue items than their rule allows."""
    snapshot = policy_snapshot(session)
    kinds = dict(session.execute(select(ServicePoint.id, ServicePoint.kind)).all())
    categories = dict(session.execute(select(Patron.id, Patron.category_id)).all())
    # A loan stops counting as overdue when it is returned, or declared lost.
    loans: dict[int, list[tuple[int, int, datetime, date, datetime | None, LoanStatus]]]
    loans = defaultdict(list)
    for (
        patron_id,
        point_id,
        type_id,
        out_at,
        due_on,
        returned_at,
        status,
        changed,
    ) in session.execute(
        select(
            Loan.patron_id,
            Loan.checkout_point_id,
            Loan.item_type_id,
            Loan.checked_out_at,
            Loan.due_on,
            Loan.returned_at,
            Loan.status,
            Loan.status_changed_at,
        )
    ):
        ended = changed if status is LoanStatus.LOST else returned_at
        loans[patron_id].append((point_id, type_id, out_at, due_on, ended, status))
    found: list[Problem] = []
    for patron_id, held in loans.items():
        category = categories[patron_id]
        open_now = [loan for loan in held if loan[5] is LoanStatus.OPEN]
        rules = [
            resolve_rule(snapshot.rules, LoanContext(point, kinds[point], category, type_id))
            for point, type_id, *_ in open_now
        ]
        most = max((rule.max_items for rule in rules if rule is not None), default=0)
        if len(open_now) > most:
            found.append(
                Problem(
                    "within_limits",
                    f"读者 #{patron_id} 有 {len(open_now)} 册未还，超过规则上限 {most} 册",
                    f"reader #{patron_id} holds {len(open_now)} items, over the limit of {most}",
                )
            )
        for point, type_id, out_at, _due, _returned, _status in held:
            day = network_date(out_at)
            overdue = sum(
                1
                for other in held
                if other[3] < day and other[2] < out_at and (other[4] is None or other[4] > out_at)
            )
            rule = resolve_rule(snapshot.rules, LoanContext(point, kinds[point], category, type_id))
            allowed = rule.max_overdue_items if rule is not None else 0
            if overdue > allowed:
                found.append(
                    Problem(
                        "no_loan_while_overdue",
                        f"读者 #{patron_id} 于 {day} 借书时已有 {overdue} 册超期",
                        f"reader #{patron_id} borrowed on {day} with {overdue} items overdue",
                    )
                )
                break
        if len(found) >= limit:
            break
    return found


def _money(session: Session, limit: int) -> list[Problem]:
    found: list[Problem] = []
    allocated = (
        select(PaymentAllocation.fee_id, func.sum(PaymentAllocation.amount_fen).label("paid"))
        .group_by(PaymentAllocation.fee_id)
        .subquery()
    )
    waived = (
        select(Waiver.fee_id, func.sum(Waiver.amount_fen).label("waived"))
        .group_by(Waiver.fee_id)
        .subquery()
    )
    rows = session.execute(
        select(Fee.id, Fee.paid_fen, Fee.waived_fen, allocated.c.paid, waived.c.waived)
        .outerjoin(allocated, allocated.c.fee_id == Fee.id)
        .outerjoin(waived, waived.c.fee_id == Fee.id)
        .where(
            (Fee.paid_fen != func.coalesce(allocated.c.paid, 0))
            | (Fee.waived_fen != func.coalesce(waived.c.waived, 0))
        )
        .limit(limit)
    ).all()
    for fee_id, paid, waived_fen, by_payments, by_waivers in rows:
        found.append(
            Problem(
                "fee_parts_recorded",
                f"费用 #{fee_id}：已缴 {paid} 分、减免 {waived_fen} 分，与缴费 "
                f"{by_payments or 0} 分、减免记录 {by_waivers or 0} 分不符",
                f"fee #{fee_id}: paid {paid} and waived {waived_fen} fen, but payments say "
                f"{by_payments or 0} and waivers {by_waivers or 0}",
            )
        )
    charged, paid, waived_total, cancelled, open_balance = session.execute(
        select(
            func.coalesce(func.sum(Fee.amount_fen), 0),
            func.coalesce(func.sum(Fee.paid_fen), 0),
            func.coalesce(func.sum(Fee.waived_fen), 0),
            func.coalesce(func.sum(Fee.cancelled_fen), 0),
            func.coalesce(
                func.sum(Fee.amount_fen - Fee.paid_fen - Fee.waived_fen - Fee.cancelled_fen).filter(
                    Fee.status == FeeStatus.OPEN
                ),
                0,
            ),
        )
    ).one()
    if charged != paid + waived_total + cancelled + open_balance:
        found.append(
            Problem(
                "fees_add_up",
                f"费用合计 {charged} 分 ≠ 已缴 {paid} + 减免 {waived_total} + 撤销 {cancelled} "
                f"+ 未缴 {open_balance}",
                f"fees of {charged} fen ≠ paid {paid} + waived {waived_total} + cancelled "
                f"{cancelled} + outstanding {open_balance}",
            )
        )
    taken = session.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0)))
    spread = session.scalar(select(func.coalesce(func.sum(PaymentAllocation.amount_fen), 0)))
    if taken != spread:
        found.append(
            Problem(
                "payments_spread",
                f"缴费合计 {taken} 分，分摊到费用的却是 {spread} 分",
                f"payments of {taken} fen, but {spread} fen spread over fees",
            )
        )
    return found


def _log(session: Session) -> list[Problem]:
    """Every loan's checkout is in the log, and every return's checkin."""
    found: list[Problem] = []
    for action, loans_filter, what_zh, what_en in (
        (CirculationAction.CHECKOUT, Loan.id.is_not(None), "借出", "checkout"),
        (
            CirculationAction.CHECKIN,
            Loan.status == LoanStatus.RETURNED,
            "归还",
            "checkin",
        ),
    ):
        loans = session.scalar(select(func.count(Loan.id)).where(loans_filter))
        logged = session.scalar(
            select(func.count(func.distinct(CirculationEvent.loan_id))).where(
                CirculationEvent.action == action.value
            )
        )
        if loans != logged:
            found.append(
                Problem(
                    "logged",
                    f"{loans} 笔借阅应有{what_zh}记录，流通日志中只有 {logged} 笔",
                    f"{loans} loans should have a {what_en} in the log; it holds {logged}",
                )
            )
    return found
