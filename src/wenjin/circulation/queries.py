"""Read side of circulation: a reader's loans, an item's loan, transit lists, the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session, aliased

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import BibRecord, Item
from wenjin.circulation.models import CirculationEvent, Loan, Transit
from wenjin.circulation.rules import is_overdue, renewals_left
from wenjin.circulation.states import (
    CURRENT_LOAN_STATUSES,
    LoanStatus,
    TransitReason,
    TransitStatus,
)
from wenjin.fees.queries import outstanding_fen
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron


def item_by_barcode(session: Session, barcode: str) -> Item:
    """An item by its barcode; :class:`ItemNotFound` (with what to check) if there is none."""
    code = barcode.strip()
    item = session.scalars(select(Item).where(Item.barcode == code)).one_or_none()
    if item is None:
        raise ItemNotFound(code or barcode)
    return item


def current_loan(session: Session, item_id: int) -> Loan | None:
    """The loan an item is out on (open, claimed returned or declared lost), if any."""
    return session.scalars(
        select(Loan).where(Loan.item_id == item_id, Loan.returned_at.is_(None))
    ).one_or_none()


class ReaderObligations:
    """What a reader still owes (``patrons.services.AccountObligations``): items not yet back
    (on loan, claimed returned or declared lost) and unpaid fees. Pass an instance to
    ``close_account``."""

    def open_loans(self, session: Session, patron: Patron) -> int:
        return int(
            session.scalar(
                select(func.count(Loan.id)).where(
                    Loan.patron_id == patron.id, Loan.returned_at.is_(None)
                )
            )
            or 0
        )

    def unpaid_fines_fen(self, session: Session, patron: Patron) -> int:
        return outstanding_fen(session, patron.id)


@dataclass(frozen=True)
class LoanLine:
    """A loan as a desk or a reader sees it."""

    loan_id: int
    barcode: str
    title: str
    call_number: str | None
    status: LoanStatus
    checked_out_at: datetime
    checkout_point: str
    due_on: date
    overdue: bool
    renewals: int
    renewals_left: int
    returned_at: datetime | None
    return_point: str | None
    fine_fen: int | None


_CHECKOUT_POINT = aliased(ServicePoint)
_RETURN_POINT = aliased(ServicePoint)


def _loan_lines_statement() -> Any:
    return (
        select(
            Loan,
            Item.barcode,
            Item.call_number,
            BibRecord.title,
            _CHECKOUT_POINT.code,
            _RETURN_POINT.code,
        )
        .join(Item, Item.id == Loan.item_id)
        .join(BibRecord, BibRecord.id == Item.bib_id)
        .join(_CHECKOUT_POINT, _CHECKOUT_POINT.id == Loan.checkout_point_id)
        .outerjoin(_RETURN_POINT, _RETURN_POINT.id == Loan.return_point_id)
    )


def _loan_lines(session: Session, stmt: Any, today: date) -> list[LoanLine]:
    return [
        LoanLine(
            loan_id=loan.id,
            barcode=barcode,
            title=title,
            call_number=call_number,
            status=loan.status,
            checked_out_at=loan.checked_out_at,
            checkout_point=out_at,
            due_on=loan.due_on,
            overdue=loan.status is LoanStatus.OPEN and is_overdue(loan.due_on, today),
            renewals=loan.renewals,
            renewals_left=renewals_left(loan.renewals_allowed, loan.renewals),
            returned_at=loan.returned_at,
            return_point=back_at,
            fine_fen=loan.fine_fen,
        )
        for loan, barcode, call_number, title, out_at, back_at in session.execute(stmt)
    ]


def loans_of_patron(
    session: Session, patron_id: int, *, today: date, current_only: bool = True, limit: int = 200
) -> list[LoanLine]:
    """A reader's loans: the current ones by due date, or all of them newest first."""
    stmt = _loan_lines_statement().where(Loan.patron_id == patron_id)
    if current_only:
        stmt = stmt.where(Loan.status.in_(CURRENT_LOAN_STATUSES)).order_by(Loan.due_on, Loan.id)
    else:
        stmt = stmt.order_by(Loan.checked_out_at.desc(), Loan.id.desc())
    return _loan_lines(session, stmt.limit(limit), today)


def current_loans(
    session: Session,
    *,
    today: date,
    patron_id: int | None = None,
    point_ids: set[int] | None = None,
    overdue_only: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[LoanLine], int]:
    """Loans still out, by due date: of a reader, lent at some points, only the overdue
    ones; with how many there are in all (for paging)."""
    conditions: list[Any] = [Loan.status.in_(CURRENT_LOAN_STATUSES)]
    if patron_id is not None:
        conditions.append(Loan.patron_id == patron_id)
    if point_ids is not None:
        conditions.append(Loan.checkout_point_id.in_(point_ids))
    if overdue_only:
        conditions += [Loan.status == LoanStatus.OPEN, Loan.due_on < today]
    total = session.scalar(select(func.count(Loan.id)).where(*conditions)) or 0
    stmt = (
        _loan_lines_statement()
        .where(*conditions)
        .order_by(Loan.due_on, Loan.id)
        .offset(offset)
        .limit(limit)
    )
    return _loan_lines(session, stmt, today), total


@dataclass(frozen=True)
class TransitLine:
    """One item in a transit list: what to put in which box, or what to expect from where."""

    transit_id: int
    barcode: str
    title: str
    call_number: str | None
    reason: TransitReason
    from_point: str
    from_point_name: str
    to_point: str
    to_point_name: str
    created_at: datetime
    sent_at: datetime | None


_FROM = aliased(ServicePoint)
_TO = aliased(ServicePoint)
_TRANSIT_LINES = (
    select(
        Transit,
        Item.barcode,
        Item.call_number,
        BibRecord.title,
        _FROM.code,
        _FROM.name,
        _TO.code,
        _TO.name,
    )
    .join(Item, Item.id == Transit.item_id)
    .join(BibRecord, BibRecord.id == Item.bib_id)
    .join(_FROM, _FROM.id == Transit.from_point_id)
    .join(_TO, _TO.id == Transit.to_point_id)
    .where(Transit.status == literal_column(f"'{TransitStatus.IN_TRANSIT.value}'"))
)


def _transit_lines(session: Session, stmt: Any) -> list[TransitLine]:
    return [
        TransitLine(
            transit_id=transit.id,
            barcode=barcode,
            title=title,
            call_number=call_number,
            reason=transit.reason,
            from_point=from_code,
            from_point_name=from_name,
            to_point=to_code,
            to_point_name=to_name,
            created_at=transit.created_at,
            sent_at=transit.sent_at,
        )
        for transit, barcode, call_number, title, from_code, from_name, to_code, to_name in (
            session.execute(stmt)
        )
    ]


def transits_to_send(session: Session, point: ServicePoint) -> list[TransitLine]:
    """Items waiting at ``point`` for the courier, by destination (one box per destination)."""
    return _transit_lines(
        session,
        _TRANSIT_LINES.where(Transit.from_point_id == point.id, Transit.sent_at.is_(None)).order_by(
            _TO.code, Transit.created_at, Transit.id
        ),
    )


def transits_leaving(session: Session, point: ServicePoint) -> list[TransitLine]:
    """Items in transit from ``point``, sent or still waiting for the courier, by destination."""
    return _transit_lines(
        session,
        _TRANSIT_LINES.where(Transit.from_point_id == point.id).order_by(
            _TO.code, Transit.created_at, Transit.id
        ),
    )


def transits_expected(session: Session, point: ServicePoint) -> list[TransitLine]:
    """Items on their way to ``point``, oldest first (sent or still waiting at their origin)."""
    return _transit_lines(
        session,
        _TRANSIT_LINES.where(Transit.to_point_id == point.id).order_by(
            Transit.created_at, Transit.id
        ),
    )


@dataclass(frozen=True)
class EventLine:
    id: int
    at: datetime
    action: str
    point: str | None
    actor: str | None
    patron_id: int | None
    item_id: int | None
    barcode: str | None
    loan_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def events(
    session: Session,
    *,
    item_id: int | None = None,
    patron_id: int | None = None,
    point_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[EventLine]:
    """The circulation log for an item, a reader or a point (or all of it), newest first."""
    stmt = (
        select(CirculationEvent, ServicePoint.code, Item.barcode)
        .outerjoin(ServicePoint, ServicePoint.id == CirculationEvent.point_id)
        .outerjoin(Item, Item.id == CirculationEvent.item_id)
        .order_by(CirculationEvent.at.desc(), CirculationEvent.id.desc())
        .offset(offset)
        .limit(limit)
        .where(*_event_conditions(item_id, patron_id, point_id))
    )
    return [
        EventLine(
            id=event.id,
            at=event.at,
            action=event.action,
            point=code,
            actor=event.actor,
            patron_id=event.patron_id,
            item_id=event.item_id,
            barcode=barcode,
            loan_id=event.loan_id,
            before=event.before,
            after=event.after,
        )
        for event, code, barcode in session.execute(stmt)
    ]


def _event_conditions(
    item_id: int | None, patron_id: int | None, point_id: int | None
) -> list[Any]:
    conditions: list[Any] = []
    if item_id is not None:
        conditions.append(CirculationEvent.item_id == item_id)
    if patron_id is not None:
        conditions.append(CirculationEvent.patron_id == patron_id)
    if point_id is not None:
        conditions.append(CirculationEvent.point_id == point_id)
    return conditions


def count_events(
    session: Session,
    *,
    item_id: int | None = None,
    patron_id: int | None = None,
    point_id: int | None = None,
) -> int:
    """How many log lines :func:`events` would page through."""
    return (
        session.scalar(
            select(func.count(CirculationEvent.id)).where(
                *_event_conditions(item_id, patron_id, point_id)
            )
        )
        or 0
    )
