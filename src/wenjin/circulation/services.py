"""Use cases of circulation: checkout, checkin, renew, transits, lost, found, damaged.

Every interface (the desk CLI, the REST API, SIP2 kiosks) calls these same
functions. Keyword-only arguments, a session in, never a commit: the caller's
unit of work commits, so the loan, the item's new status, the fine and the log
entry are saved together or not at all.

Two desks never lend the same copy: every use case starts by reading the item
row ``FOR UPDATE`` (PostgreSQL; SQLite writers are serialised by ``BEGIN
IMMEDIATE``), so the second desk waits and then sees the item on loan. The
partial unique index on current loans is the last line behind that.

Reads on the hot path go through :mod:`~wenjin.circulation.lookups`, writes
through :mod:`~wenjin.circulation.writes` (one statement per row, versions
checked): a checkout and a checkin each stay within a 2 ms budget on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, case, func, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import BibRecord, Item, ItemType
from wenjin.catalog.states import ItemStatus, check_item_transition
from wenjin.circulation import slips
from wenjin.circulation.checks import (
    CHECKOUT_CHECKS,
    RENEWAL_CHECKS,
    CheckoutAttempt,
    RenewalAttempt,
    first_refusal,
)
from wenjin.circulation.errors import (
    AlreadyDeclaredLost,
    CannotMarkDamaged,
    DamageNoteMissing,
    ItemOnLoanToAnother,
    ItemPropertiesTooLong,
    ItemWithdrawn,
    NotDamaged,
    NotInTransit,
    NotLost,
    NotOnLoan,
    PointDoesNotLend,
)
from wenjin.circulation.log import append_event
from wenjin.circulation.lookups import (
    DeskPatron,
    ItemTypeFacts,
    PointFacts,
    PointLike,
    calendar_window,
    desk_patron_by_card,
    desk_patron_by_id,
    due_date_calendar,
    point_by_code,
    point_by_id,
    point_facts,
)
from wenjin.circulation.models import Loan, Transit
from wenjin.circulation.policy import rule_for
from wenjin.circulation.rules import (
    LoanCounts,
    PolicyRule,
    due_date_for,
    fine_cap_fen,
    open_days_late,
    renewals_left,
    renewed_due_date,
)
from wenjin.circulation.states import (
    CirculationAction,
    LoanStatus,
    TransitReason,
    TransitStatus,
    check_loan_transition,
    check_transit_transition,
)
from wenjin.circulation.writes import insert_row, update_row
from wenjin.db.fastsql import Loader, Prepared, flush_pending
from wenjin.db.types import utcnow
from wenjin.errors import WenjinError
from wenjin.fees.errors import yuan
from wenjin.fees.queries import outstanding_fen
from wenjin.fees.rules import overdue_fine_fen
from wenjin.fees.services import charge_lost_item, charge_overdue, refund_lost_item
from wenjin.holds.lookups import NO_HOLDS, holds_at_checkout
from wenjin.network.models import ServicePoint
from wenjin.patrons.queries import network_date
from wenjin.patrons.rules import (
    DEFAULT_MAX_FINES_FEN,
    DEFAULT_MAX_OVERDUE,
    BlockReason,
    block_reasons,
)

PointRef = ServicePoint | PointFacts | str

# --- results -------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutResult:
    loan_id: int
    barcode: str
    title: str | None
    card_number: str
    patron_id: int
    patron_name: str
    due_on: date
    point_code: str
    point_name: str
    rule_id: int | None
    renewals_allowed: int
    checked_out_at: datetime


class CheckinOutcome(StrEnum):
    """What a checkin (or a receipt) turned out to be."""

    RETURNED = "returned"  # a loan was closed
    RECEIVED = "received"  # a transit arrived at its destination
    REROUTED = "rerouted"  # a transit arrived at the wrong point and goes on
    RETURN_BOX_FIND = "return_box_find"  # not on loan, found at the wrong point
    FOUND = "found"  # a lost or missing item turned up
    REPAIRED = "repaired"  # a damaged item is back in circulation
    ALREADY_HERE = "already_here"  # nothing to do: on the shelf here already
    NOTHING_TO_DO = "nothing_to_do"  # e.g. on the hold shelf, being processed


@dataclass(frozen=True)
class CheckinResult:
    barcode: str
    title: str | None
    outcome: CheckinOutcome
    point_code: str
    loan_id: int | None = None
    patron_id: int | None = None
    due_on: date | None = None
    open_days_late: int = 0
    fine_fen: int = 0
    fine_waived_by_amnesty: bool = False
    destination_code: str | None = None
    destination_name: str | None = None
    transit_id: int | None = None
    floated: bool = False
    slip: slips.Slip = slips.ALREADY_HERE
    hold_id: int | None = None  # the hold this copy was set aside for (shelf or transit)

    @property
    def returned(self) -> bool:
        return self.loan_id is not None

    @property
    def in_transit(self) -> bool:
        return self.transit_id is not None


@dataclass(frozen=True)
class RenewResult:
    loan_id: int
    barcode: str
    title: str | None
    patron_id: int
    due_on: date
    previous_due_on: date
    renewals: int
    renewals_left: int


@dataclass(frozen=True)
class LostResult:
    loan_id: int
    barcode: str
    title: str | None
    patron_id: int
    charged_fen: int  # the replacement price and the processing fee together
    fee_id: int


# --- loading ---------------------------------------------------------------------


@dataclass(frozen=True)
class _ItemRow:
    item: Item
    item_type: ItemTypeFacts
    title: str | None


# Statements built once; the item and the loan are read on the DBAPI cursor and placed
# in the session as loaded objects (a third of the cost of an ORM query, on every desk action).
_ITEMS = Loader(Item)
_LOANS = Loader(Loan)
_ITEM = Prepared(
    select(
        *_ITEMS.columns,
        ItemType.id,
        ItemType.code,
        ItemType.name,
        ItemType.name_en,
        ItemType.lendable,
        BibRecord.title,
    )
    .join(ItemType, ItemType.id == Item.item_type_id)
    .join(BibRecord, BibRecord.id == Item.bib_id)
    .where(Item.barcode == bindparam("barcode"))
    .with_for_update(of=Item)
)
_CURRENT_LOAN = Prepared(
    select(*_LOANS.columns)
    .where(Loan.item_id == bindparam("item_id"), Loan.returned_at.is_(None))
    .with_for_update()
)
_ACTIVE_TRANSIT = (
    select(Transit)
    # A literal, not a parameter: SQLite then uses the partial index without re-planning.
    .where(
        Transit.item_id == bindparam("item_id"), Transit.status == literal_column("'in_transit'")
    )
    .with_for_update()
)
_LOAN_COUNTS = Prepared(
    select(
        func.count(Loan.id),
        func.coalesce(
            func.sum(case((Loan.item_type_id == bindparam("item_type_id"), 1), else_=0)), 0
        ),
        func.coalesce(func.sum(case((Loan.due_on < bindparam("today"), 1), else_=0)), 0),
    ).where(Loan.patron_id == bindparam("patron_id"), Loan.status == LoanStatus.OPEN)
)


def _item_for_update(session: Session, barcode: str) -> _ItemRow:
    """The item with its type and title, its row locked until the transaction ends."""
    code = barcode.strip()
    flush_pending(session)
    row = _ITEM.first(session, {"barcode": code})
    if row is None:
        raise ItemNotFound(code or barcode)
    item = _ITEMS.adopt(session, row)
    type_id, code, name, name_en, lendable, title = row[_ITEMS.width :]
    return _ItemRow(item, ItemTypeFacts(type_id, code, name, name_en, lendable), title)


def _current_loan(session: Session, item_id: int) -> Loan | None:
    flush_pending(session)
    row = _CURRENT_LOAN.first(session, {"item_id": item_id})
    return None if row is None else _LOANS.adopt(session, row)


def _active_transit(session: Session, item_id: int) -> Transit | None:
    return session.scalars(_ACTIVE_TRANSIT, {"item_id": item_id}).one_or_none()


def _point(session: Session, point: PointRef) -> PointFacts:
    if isinstance(point, PointFacts):
        return point
    if isinstance(point, ServicePoint):
        return point_facts(point)
    return point_by_code(session, point)


def loan_counts(session: Session, *, patron_id: int, item_type_id: int, today: date) -> LoanCounts:
    """A reader's open loans: in all, of one item type, overdue today. One indexed query."""
    total, of_type, overdue = _LOAN_COUNTS.first(
        session, {"patron_id": patron_id, "item_type_id": item_type_id, "today": today}
    )
    return LoanCounts(total=int(total), of_type=int(of_type), overdue=int(overdue))


def _block_reasons(
    session: Session,
    patron: DeskPatron,
    *,
    rule: PolicyRule | None,
    overdue: int,
    today: date,
) -> list[BlockReason]:
    return block_reasons(
        patron.facts,
        today=today,
        overdue_count=overdue,
        fines_fen=outstanding_fen(session, patron.patron_id),
        max_overdue=rule.max_overdue_items if rule else DEFAULT_MAX_OVERDUE,
        max_fines_fen=rule.max_unpaid_fen if rule else DEFAULT_MAX_FINES_FEN,
    )


def _change_item(
    session: Session, item: Item, now: datetime, *, status: ItemStatus | None = None, **values: Any
) -> None:
    """Write an item's new status (checked against the transition table) and other columns."""
    if status is not None and not (status is item.status is ItemStatus.AVAILABLE):
        check_item_transition(item.status, status)
        values |= {"status": status, "status_changed_at": now}
    if values:
        update_row(session, item, values, label=item.barcode)


def _change_loan(
    session: Session, loan: Loan, now: datetime, *, status: LoanStatus | None = None, **values: Any
) -> None:
    if status is not None:
        check_loan_transition(loan.status, status)
        values |= {"status": status, "status_changed_at": now}
    update_row(session, loan, values, label=f"#{loan.item_id}")


def _require_lending(point: PointFacts) -> None:
    if not (point.lends and point.active):
        raise PointDoesNotLend(point.name, point.code)


# --- checkout ----------------------------------------------------------------------


def checkout(
    session: Session,
    *,
    at: PointRef,
    card_number: str,
    barcode: str,
    now: datetime | None = None,
    actor: str | None = None,
) -> CheckoutResult:
    """Lend an item to the reader presenting ``card_number`` at service point ``at``.

    Refused, with the reason a desk reads out, by the first of
    :data:`~wenjin.circulation.checks.CHECKOUT_CHECKS` that objects. The loan
    copies the terms of the rule that applies, and is due on a day the lending
    point is open.
    """
    now = now or utcnow()
    today = network_date(now)
    point = _point(session, at)
    patron = desk_patron_by_card(session, card_number)
    row = _item_for_update(session, barcode)
    item = row.item
    current = _current_loan(session, item.id) if item.status is ItemStatus.ON_LOAN else None
    destination = None
    if item.status is ItemStatus.IN_TRANSIT:
        destination = point_by_id(session, item.current_point_id).name
    rule = rule_for(
        session, point=point, patron=patron, item_type_id=item.item_type_id, today=today
    )
    counts = loan_counts(
        session, patron_id=patron.patron_id, item_type_id=item.item_type_id, today=today
    )
    holds = NO_HOLDS
    if item.status in (ItemStatus.AVAILABLE, ItemStatus.ON_HOLD_SHELF):
        holds = holds_at_checkout(
            session, item_id=item.id, bib_id=item.bib_id, patron_id=patron.patron_id
        )
    attempt = CheckoutAttempt(
        session=session,
        point=point,
        patron=patron,
        item=item,
        item_type=row.item_type,
        title=row.title,
        current_loan=current,
        transit_destination=destination,
        rule=rule,
        counts=counts,
        blocks=_block_reasons(session, patron, rule=rule, overdue=counts.overdue, today=today),
        today=today,
        now=now,
        holds=holds,
    )
    refusal = first_refusal(CHECKOUT_CHECKS, attempt)
    if refusal is not None:
        raise refusal
    assert rule is not None  # a_rule_applies passed

    calendar = due_date_calendar(session, point.id, today + timedelta(days=rule.loan_days))
    due_on = due_date_for(calendar, today, rule.loan_days)
    was = item.status
    _change_item(session, item, now, status=ItemStatus.ON_LOAN)
    try:
        loan_id = insert_row(
            session,
            Loan,
            {
                "item_id": item.id,
                "patron_id": patron.patron_id,
                "card_number": patron.card_number,
                "item_type_id": item.item_type_id,
                "checkout_point_id": point.id,
                "checked_out_at": now,
                "due_on": due_on,
                "renewals": 0,
                "status": LoanStatus.OPEN,
                "status_changed_at": now,
                "rule_id": rule.id,
                "loan_days": rule.loan_days,
                "renewals_allowed": rule.renewals,
                "renewal_days": rule.renewal_days,
                "fine_per_day_fen": rule.fine_per_day_fen,
                "max_fine_fen": fine_cap_fen(rule, item.price_fen),
                "version": 1,
            },
        )
    except IntegrityError as exc:  # another desk's loan of this copy got in first
        raise ItemOnLoanToAnother(item.barcode, row.title) from exc
    append_event(
        session,
        action=CirculationAction.CHECKOUT,
        point=point.id,
        actor=actor,
        patron_id=patron.patron_id,
        item_id=item.id,
        loan_id=loan_id,
        before={"item_status": was},
        after={
            "item_status": ItemStatus.ON_LOAN,
            "card": patron.card_number,
            "due_on": due_on,
            "rule_id": rule.id,
        },
        at=now,
    )
    if holds.any:
        from wenjin.holds.services import after_checkout  # holds build on circulation

        after_checkout(
            session,
            holds=holds,
            patron_id=patron.patron_id,
            item_id=item.id,
            loan_id=loan_id,
            point_id=point.id,
            now=now,
            actor=actor,
        )
    return CheckoutResult(
        loan_id=loan_id,
        barcode=item.barcode,
        title=row.title,
        card_number=patron.card_number,
        patron_id=patron.patron_id,
        patron_name=patron.name,
        due_on=due_on,
        point_code=point.code,
        point_name=point.name,
        rule_id=rule.id,
        renewals_allowed=rule.renewals,
        checked_out_at=now,
    )


# --- routing: where an item goes once it is back ---------------------------------


@dataclass(frozen=True)
class _Routing:
    slip: slips.Slip
    destination: PointFacts | None = None
    transit_id: int | None = None
    floated: bool = False
    hold_id: int | None = None


def start_transit(
    session: Session,
    *,
    item: Item,
    from_point: PointLike,
    to_point: PointLike,
    reason: TransitReason,
    now: datetime,
    actor: str | None = None,
    loan_id: int | None = None,
    note: str | None = None,
) -> int:
    """Put an item in transit (调拨) from one point to another, for any reason; the transit's id.

    The item becomes ``in_transit`` with its ``current_point`` the destination,
    until :func:`receive_transit` (or a checkin there) receives it.
    """
    before = {"item_status": item.status, "current_point_id": item.current_point_id}
    _change_item(session, item, now, status=ItemStatus.IN_TRANSIT, current_point_id=to_point.id)
    transit_id = insert_row(
        session,
        Transit,
        {
            "item_id": item.id,
            "from_point_id": from_point.id,
            "to_point_id": to_point.id,
            "reason": reason,
            "status": TransitStatus.IN_TRANSIT,
            "loan_id": loan_id,
            "created_at": now,
            "created_by": actor,
            "note": note,
        },
    )
    append_event(
        session,
        action=CirculationAction.TRANSIT_CREATED,
        point=from_point.id,
        actor=actor,
        item_id=item.id,
        loan_id=loan_id,
        before=before,
        after={
            "item_status": ItemStatus.IN_TRANSIT,
            "transit_id": transit_id,
            "to_point": to_point.code,
            "reason": reason,
        },
        at=now,
    )
    return transit_id


def _route_home(
    session: Session,
    item: Item,
    here: PointFacts,
    now: datetime,
    actor: str | None,
    loan_id: int | None = None,
) -> _Routing:
    """Shelve the item here if this is its home or it floats; otherwise send it home.

    An item of a rotating collection (流动站) is at home at the station its
    collection is assigned to (``stationed_point_id``, kept by ``wenjin.rotation``):
    returned there it is shelved there, returned elsewhere it goes there; it
    never floats. Holds (issue 4) come before this: a returned item that fills a
    waiting hold goes to the hold shelf or the pickup point instead of home.
    """
    stationed = item.stationed_point_id
    home_id = stationed if stationed is not None else item.owning_point_id
    if home_id == here.id:
        _change_item(session, item, now, status=ItemStatus.AVAILABLE, current_point_id=here.id)
        return _Routing(slips.reshelve(item.call_number, item.location))
    if item.floating and stationed is None:
        previous_owner = item.owning_point_id
        _change_item(
            session,
            item,
            now,
            status=ItemStatus.AVAILABLE,
            owning_point_id=here.id,
            current_point_id=here.id,
        )
        append_event(
            session,
            action=CirculationAction.FLOATED,
            point=here.id,
            actor=actor,
            item_id=item.id,
            loan_id=loan_id,
            before={"owning_point_id": previous_owner},
            after={"owning_point_id": here.id},
            at=now,
        )
        return _Routing(
            slips.floated_here(here.name, item.call_number, item.location), floated=True
        )
    home = point_by_id(session, home_id)
    transit_id = start_transit(
        session,
        item=item,
        from_point=here,
        to_point=home,
        reason=TransitReason.RETURN_HOME if stationed is None else TransitReason.ROTATION,
        now=now,
        actor=actor,
        loan_id=loan_id,
    )
    return _Routing(
        slips.transit_box(home.name, home.code), destination=home, transit_id=transit_id
    )


def route_item_home(
    session: Session, *, item: Item, here: PointFacts, now: datetime, actor: str | None = None
) -> slips.Slip:
    """For other domains (holds: a copy leaving the hold shelf): shelve it here or send it
    home, as a checkin would; the slip for the desk."""
    return _route_home(session, item, here, now, actor).slip


def _route(
    session: Session,
    row: _ItemRow,
    here: PointFacts,
    now: datetime,
    actor: str | None,
    loan_id: int | None = None,
) -> _Routing:
    """Holds first: a copy some reader waits for goes to the hold shelf here or in transit
    to their pickup point; otherwise it goes home (or floats)."""
    captured = _offer_to_holds(session, row, here, now, actor, loan_id)
    if captured is not None:
        return captured
    return _route_home(session, row.item, here, now, actor, loan_id)


def _offer_to_holds(
    session: Session,
    row: _ItemRow,
    here: PointFacts,
    now: datetime,
    actor: str | None,
    loan_id: int | None = None,
    *,
    arriving_for_hold: bool = False,
) -> _Routing | None:
    from wenjin.holds import services as holds  # holds build on circulation

    offer = holds.receive_for_hold if arriving_for_hold else holds.offer_to_holds
    captured = offer(
        session,
        item=row.item,
        title=row.title,
        type_lendable=row.item_type.lendable,
        here=here,
        now=now,
        actor=actor,
        loan_id=loan_id,
    )
    if captured is None:
        return None
    return _Routing(
        captured.slip,
        destination=captured.destination,
        transit_id=captured.transit_id,
        hold_id=captured.hold_id,
    )


def _result(
    row: _ItemRow,
    outcome: CheckinOutcome,
    here: PointFacts,
    routing: _Routing,
    *,
    loan: Loan | None = None,
    extra: slips.Slip | None = None,
    days_late: int = 0,
    fine_fen: int = 0,
    amnesty: bool = False,
) -> CheckinResult:
    slip = routing.slip if extra is None else extra + routing.slip
    return CheckinResult(
        barcode=row.item.barcode,
        title=row.title,
        outcome=outcome,
        point_code=here.code,
        loan_id=loan.id if loan else None,
        patron_id=loan.patron_id if loan else None,
        due_on=loan.due_on if loan else None,
        open_days_late=days_late,
        fine_fen=fine_fen,
        fine_waived_by_amnesty=amnesty,
        destination_code=routing.destination.code if routing.destination else None,
        destination_name=routing.destination.name if routing.destination else None,
        transit_id=routing.transit_id,
        floated=routing.floated,
        slip=slip,
        hold_id=routing.hold_id,
    )


# --- checkin -------------------------------------------------------------------------


def checkin(
    session: Session,
    *,
    at: PointRef,
    barcode: str,
    now: datetime | None = None,
    actor: str | None = None,
) -> CheckinResult:
    """Take an item back at any service point that lends (通借通还).

    An item on loan: the loan is closed, the overdue fine charged (open days of
    the lending point after the due date), and the item shelved here (its home,
    or it floats) or put in transit home. An item in transit: received here, or
    sent on if this is not its destination. An item found at the wrong point
    (a return-box find) goes home; an item already on the shelf here is left alone.
    """
    now = now or utcnow()
    today = network_date(now)
    here = _point(session, at)
    _require_lending(here)
    row = _item_for_update(session, barcode)
    item = row.item
    if item.status is ItemStatus.WITHDRAWN:
        raise ItemWithdrawn(item.barcode, row.title)
    loan = _current_loan(session, item.id)
    if loan is not None:
        return _close_loan(session, row, loan, here, now, today, actor)
    if item.status is ItemStatus.IN_TRANSIT:
        return _receive(session, row, here, now, actor)
    if item.status in (ItemStatus.LOST, ItemStatus.MISSING):
        return _found_on_its_own(session, row, here, now, actor)
    if item.status is ItemStatus.AVAILABLE and item.current_point_id == here.id:
        # Scanned off the shelf (a pull list): a reader may be waiting for it.
        captured = _offer_to_holds(session, row, here, now, actor)
        return _result(
            row, CheckinOutcome.ALREADY_HERE, here, captured or _Routing(slips.ALREADY_HERE)
        )
    if item.status in (ItemStatus.AVAILABLE, ItemStatus.ON_LOAN):
        # Not on loan (or marked on loan with no loan behind it), and at the wrong
        # point: someone left it in a return box. Send it home.
        before = {"item_status": item.status, "current_point_id": item.current_point_id}
        routing = _route(session, row, here, now, actor)
        append_event(
            session,
            action=CirculationAction.RETURN_BOX_FIND,
            point=here.id,
            actor=actor,
            item_id=item.id,
            before=before,
            after={"item_status": item.status, "current_point_id": item.current_point_id},
            at=now,
        )
        return _result(row, CheckinOutcome.RETURN_BOX_FIND, here, routing)
    hint = _NOTHING_TO_DO_HINTS.get(item.status, ("请交给馆员处理", "pass it to a librarian"))
    return _result(
        row,
        CheckinOutcome.NOTHING_TO_DO,
        here,
        _Routing(slips.nothing_to_do(item.status.label_zh, item.status.label_en, *hint)),
    )


_NOTHING_TO_DO_HINTS: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.DAMAGED: ("请送修；修复后登记修复", "send it for repair, then record it repaired"),
    ItemStatus.ON_HOLD_SHELF: ("请放回预约架", "put it back on the hold shelf"),
    ItemStatus.PROCESSING: ("请交回采编部门", "return it to technical services"),
}


def _close_loan(
    session: Session,
    row: _ItemRow,
    loan: Loan,
    here: PointFacts,
    now: datetime,
    today: date,
    actor: str | None,
) -> CheckinResult:
    item = row.item
    was = loan.status
    before = {
        "loan_status": was,
        "item_status": item.status,
        "due_on": loan.due_on,
        "current_point_id": item.current_point_id,
    }
    # A reader who says they returned the item owes no fine after the day they said so.
    fine_until = today
    if was is LoanStatus.CLAIMED_RETURNED and loan.status_changed_at is not None:
        fine_until = min(today, network_date(loan.status_changed_at))
    days_late = 0
    if was is not LoanStatus.LOST and fine_until > loan.due_on and loan.fine_per_day_fen > 0:
        days_late = open_days_late(
            calendar_window(session, loan.checkout_point_id, loan.due_on, fine_until),
            loan.due_on,
            fine_until,
        )
    _change_loan(
        session,
        loan,
        now,
        status=LoanStatus.RETURNED,
        returned_at=now,
        return_point_id=here.id,
        fine_fen=0,
    )

    extra: slips.Slip | None = None
    fine_fen = 0
    amnesty = False
    if days_late:
        fee = charge_overdue(
            session,
            loan=loan,
            returned_at_point=here.id,
            returned_on=today,
            open_days_late=days_late,
            per_day_fen=loan.fine_per_day_fen,
            max_fen=loan.max_fine_fen,
            actor=actor,
            at=now,
        )
        if fee is not None:
            fine_fen = fee.amount_fen
            _change_loan(session, loan, now, fine_fen=fine_fen)
            extra = slips.fine_due(yuan(fine_fen), days_late)
        elif overdue_fine_fen(
            days_late, per_day_fen=loan.fine_per_day_fen, max_fen=loan.max_fine_fen
        ):
            amnesty = True
            extra = slips.fine_waived_by_amnesty(days_late)
    if was is LoanStatus.LOST:
        settled = refund_lost_item(session, item=item, point=here.id, actor=actor, at=now)
        if settled:
            extra = slips.refunded(len(settled))
    routing = _route(session, row, here, now, actor, loan_id=loan.id)
    append_event(
        session,
        action=CirculationAction.FOUND if was is LoanStatus.LOST else CirculationAction.CHECKIN,
        point=here.id,
        actor=actor,
        patron_id=loan.patron_id,
        item_id=item.id,
        loan_id=loan.id,
        before=before,
        after={
            "loan_status": LoanStatus.RETURNED,
            "item_status": item.status,
            "current_point_id": item.current_point_id,
            "open_days_late": days_late,
            "fine_fen": fine_fen,
            "transit_id": routing.transit_id,
            "hold_id": routing.hold_id,
        },
        at=now,
    )
    return _result(
        row,
        CheckinOutcome.FOUND if was is LoanStatus.LOST else CheckinOutcome.RETURNED,
        here,
        routing,
        loan=loan,
        extra=extra,
        days_late=days_late,
        fine_fen=fine_fen,
        amnesty=amnesty,
    )


# --- transits ---------------------------------------------------------------------------


def receive_transit(
    session: Session,
    *,
    at: PointRef,
    barcode: str,
    now: datetime | None = None,
    actor: str | None = None,
) -> CheckinResult:
    """Receive an item in transit (调拨接收) at ``at``.

    At its destination it becomes available there; at any other point it is
    sent on to its destination (re-routed).
    """
    now = now or utcnow()
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    if row.item.status is not ItemStatus.IN_TRANSIT:
        raise NotInTransit(row.item.barcode, row.title)
    return _receive(session, row, here, now, actor)


def _receive(
    session: Session, row: _ItemRow, here: PointFacts, now: datetime, actor: str | None
) -> CheckinResult:
    item = row.item
    transit = _active_transit(session, item.id)
    if transit is None:
        # In transit with no transit behind it (data from an older system): send it home.
        routing = _route_home(session, item, here, now, actor)
        return _result(row, CheckinOutcome.RECEIVED, here, routing)
    check_transit_transition(transit.status, TransitStatus.RECEIVED)
    received = {
        "status": TransitStatus.RECEIVED,
        "sent_at": transit.sent_at or now,
        "received_at": now,
        "received_by": actor,
        "received_point_id": here.id,
    }
    if transit.to_point_id == here.id:
        update_row(session, transit, received, label=item.barcode)
        arrival: _Routing | None = None
        if transit.reason in (TransitReason.HOLD, TransitReason.RETURN_HOME):
            # A copy for a hold goes on the hold shelf (or on to the next hold if its hold
            # was cancelled on the way); a copy back home may fill a waiting hold.
            for_hold = transit.reason is TransitReason.HOLD
            arrival = _offer_to_holds(
                session, row, here, now, actor, transit.loan_id, arriving_for_hold=for_hold
            )
            if arrival is None and for_hold:
                arrival = _route_home(session, item, here, now, actor, transit.loan_id)
        if arrival is None:
            _change_item(session, item, now, status=ItemStatus.AVAILABLE, current_point_id=here.id)
            arrival = _Routing(slips.reshelve(item.call_number, item.location))
        append_event(
            session,
            action=CirculationAction.TRANSIT_RECEIVED,
            point=here.id,
            actor=actor,
            item_id=item.id,
            loan_id=transit.loan_id,
            before={"item_status": ItemStatus.IN_TRANSIT, "transit_id": transit.id},
            after={
                "item_status": item.status,
                "current_point_id": item.current_point_id,
                "hold_id": arrival.hold_id,
            },
            at=now,
        )
        return _result(row, CheckinOutcome.RECEIVED, here, arrival)
    # Arrived at the wrong point: this transit ends here, a new one carries it on.
    destination = point_by_id(session, transit.to_point_id)
    received["note"] = f"误送至 {here.code}，已改送 {destination.code}"
    update_row(session, transit, received, label=item.barcode)
    onward = start_transit(
        session,
        item=item,
        from_point=here,
        to_point=destination,
        reason=transit.reason,
        now=now,
        actor=actor,
        loan_id=transit.loan_id,
        note=f"转送：原调拨 {transit.id} 误送至 {here.code}",
    )
    if transit.reason is TransitReason.HOLD:
        from wenjin.holds.services import follow_transit  # holds build on circulation

        follow_transit(session, item_id=item.id, transit_id=onward, now=now)
    append_event(
        session,
        action=CirculationAction.TRANSIT_REROUTED,
        point=here.id,
        actor=actor,
        item_id=item.id,
        before={"transit_id": transit.id, "to_point": destination.code},
        after={"transit_id": onward, "from_point": here.code, "to_point": destination.code},
        at=now,
    )
    return _result(
        row,
        CheckinOutcome.REROUTED,
        here,
        _Routing(
            slips.transit_box(destination.name, destination.code),
            destination=destination,
            transit_id=onward,
        ),
    )


def mark_transits_sent(
    session: Session, *, at: PointRef, now: datetime | None = None, actor: str | None = None
) -> int:
    """The courier has taken the transit box: every transit waiting at ``at`` is now sent."""
    now = now or utcnow()
    here = _point(session, at)
    waiting = session.scalars(
        select(Transit)
        .where(
            Transit.from_point_id == here.id,
            Transit.status == literal_column("'in_transit'"),
            Transit.sent_at.is_(None),
        )
        .with_for_update()
    ).all()
    for transit in waiting:
        update_row(session, transit, {"sent_at": now}, label=str(transit.item_id))
        append_event(
            session,
            action=CirculationAction.TRANSIT_SENT,
            point=here.id,
            actor=actor,
            item_id=transit.item_id,
            before={"transit_id": transit.id, "sent_at": None},
            after={"transit_id": transit.id, "sent_at": now},
            at=now,
        )
    return len(waiting)


# --- renew -------------------------------------------------------------------------------


def renew(
    session: Session,
    *,
    at: PointRef,
    barcode: str,
    now: datetime | None = None,
    actor: str | None = None,
) -> RenewResult:
    """Renew (续借) the loan of an item: due ``renewal_days`` from today, on an open day of
    the lending point (never earlier than it was). Refused by the first of
    :data:`~wenjin.circulation.checks.RENEWAL_CHECKS` that objects."""
    now = now or utcnow()
    today = network_date(now)
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    loan = _current_loan(session, row.item.id)
    if loan is None:
        raise NotOnLoan(row.item.barcode, row.title, "续借", "renewed")
    patron = desk_patron_by_id(session, loan.patron_id)
    rule = rule_for(
        session, point=here, patron=patron, item_type_id=row.item.item_type_id, today=today
    )
    counts = loan_counts(
        session, patron_id=patron.patron_id, item_type_id=row.item.item_type_id, today=today
    )
    calendar = due_date_calendar(
        session, loan.checkout_point_id, today + timedelta(days=loan.renewal_days)
    )
    attempt = RenewalAttempt(
        session=session,
        point=here,
        loan=loan,
        item=row.item,
        title=row.title,
        patron=patron,
        blocks=_block_reasons(session, patron, rule=rule, overdue=counts.overdue, today=today),
        new_due_on=renewed_due_date(
            calendar, today=today, current_due=loan.due_on, renewal_days=loan.renewal_days
        ),
        today=today,
        now=now,
    )
    refusal = first_refusal(RENEWAL_CHECKS, attempt)
    if refusal is not None:
        raise refusal
    previous = loan.due_on
    _change_loan(
        session,
        loan,
        now,
        due_on=attempt.new_due_on,
        renewals=loan.renewals + 1,
        last_renewed_at=now,
    )
    append_event(
        session,
        action=CirculationAction.RENEW,
        point=here.id,
        actor=actor,
        patron_id=loan.patron_id,
        item_id=row.item.id,
        loan_id=loan.id,
        before={"due_on": previous, "renewals": loan.renewals - 1},
        after={"due_on": loan.due_on, "renewals": loan.renewals},
        at=now,
    )
    return RenewResult(
        loan_id=loan.id,
        barcode=row.item.barcode,
        title=row.title,
        patron_id=loan.patron_id,
        due_on=loan.due_on,
        previous_due_on=previous,
        renewals=loan.renewals,
        renewals_left=renewals_left(loan.renewals_allowed, loan.renewals),
    )


@dataclass(frozen=True)
class RenewalRefused:
    barcode: str
    title: str | None
    due_on: date
    error: WenjinError


@dataclass(frozen=True)
class RenewAllResult:
    """一键续借: what was renewed and what was refused, each with the desk's reason."""

    patron_id: int
    card_number: str
    renewed: list[RenewResult]
    refused: list[RenewalRefused]


_OPEN_LOANS_OF_PATRON = (
    select(Item.barcode, BibRecord.title, Loan.due_on)
    .join(Item, Item.id == Loan.item_id)
    .join(BibRecord, BibRecord.id == Item.bib_id)
    .where(Loan.patron_id == bindparam("patron_id"), Loan.status == LoanStatus.OPEN)
    .order_by(Loan.due_on, Item.barcode)
)


def renew_all(
    session: Session,
    *,
    at: PointRef,
    card_number: str,
    now: datetime | None = None,
    actor: str | None = None,
) -> RenewAllResult:
    """Renew every open loan of the reader presenting ``card_number`` (一键续借).

    Each loan is judged on its own, by :func:`renew`; a refused one (renewals used
    up, another reader waiting…) is reported with its reason and leaves the others
    renewed. Each renewal runs in a savepoint, so a failure half-way through one
    loan undoes that loan only.
    """
    now = now or utcnow()
    here = _point(session, at)
    patron = desk_patron_by_card(session, card_number)
    loans = session.execute(_OPEN_LOANS_OF_PATRON, {"patron_id": patron.patron_id}).all()
    renewed: list[RenewResult] = []
    refused: list[RenewalRefused] = []
    for barcode, title, due_on in loans:
        savepoint = session.begin_nested()
        try:
            renewed.append(renew(session, at=here, barcode=barcode, now=now, actor=actor))
        except WenjinError as error:
            savepoint.rollback()
            refused.append(RenewalRefused(barcode, title, due_on, error))
        else:
            savepoint.commit()
    return RenewAllResult(patron.patron_id, patron.card_number, renewed, refused)


# --- lost, claimed returned, found, damaged, repaired ------------------------------------


def declare_lost(
    session: Session,
    *,
    barcode: str,
    at: PointRef,
    actor: str | None = None,
    now: datetime | None = None,
) -> LostResult:
    """The reader says the item is lost (读者报失): the loan and the item become lost and the
    replacement price is charged through fees. A later checkin or :func:`found` undoes it."""
    now = now or utcnow()
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    item = row.item
    loan = _current_loan(session, item.id)
    if loan is None:
        raise NotOnLoan(item.barcode, row.title, "登记读者报失", "declared lost by a reader")
    if loan.status is LoanStatus.LOST:
        raise AlreadyDeclaredLost(item.barcode, row.title)
    before = {"loan_status": loan.status, "item_status": item.status}
    _change_loan(session, loan, now, status=LoanStatus.LOST)
    _change_item(session, item, now, status=ItemStatus.LOST)
    fee = charge_lost_item(
        session,
        loan_or_none=loan,
        item=item,
        patron=loan.patron_id,
        point=here.id,
        actor=actor,
        at=now,
    )
    charged = fee.amount_fen + sum(linked.amount_fen for linked in fee.linked_fees)
    append_event(
        session,
        action=CirculationAction.DECLARED_LOST,
        point=here.id,
        actor=actor,
        patron_id=loan.patron_id,
        item_id=item.id,
        loan_id=loan.id,
        before=before,
        after={
            "loan_status": LoanStatus.LOST,
            "item_status": ItemStatus.LOST,
            "fee_id": fee.id,
            "charged_fen": charged,
        },
        at=now,
    )
    return LostResult(
        loan_id=loan.id,
        barcode=item.barcode,
        title=row.title,
        patron_id=loan.patron_id,
        charged_fen=charged,
        fee_id=fee.id,
    )


def claim_returned(
    session: Session,
    *,
    barcode: str,
    at: PointRef,
    actor: str | None = None,
    now: datetime | None = None,
) -> Loan:
    """The reader says the item was returned (声称已还): while staff search, the loan stops
    counting as overdue and accrues no fine; a checkin or :func:`found` closes it."""
    now = now or utcnow()
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    loan = _current_loan(session, row.item.id)
    if loan is None:
        raise NotOnLoan(row.item.barcode, row.title, "登记声称已还", "claimed returned")
    before = {"loan_status": loan.status}
    _change_loan(session, loan, now, status=LoanStatus.CLAIMED_RETURNED)
    append_event(
        session,
        action=CirculationAction.CLAIMED_RETURNED,
        point=here.id,
        actor=actor,
        patron_id=loan.patron_id,
        item_id=row.item.id,
        loan_id=loan.id,
        before=before,
        after={"loan_status": LoanStatus.CLAIMED_RETURNED},
        at=now,
    )
    return loan


def found(
    session: Session,
    *,
    barcode: str,
    at: PointRef,
    actor: str | None = None,
    now: datetime | None = None,
) -> CheckinResult:
    """A lost or missing item turned up (找回) at ``at``: a lost or claimed loan is closed, the
    loss charges are settled through fees (refund rules), and the item goes home."""
    now = now or utcnow()
    today = network_date(now)
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    item = row.item
    loan = _current_loan(session, item.id)
    if loan is not None and loan.status in (LoanStatus.LOST, LoanStatus.CLAIMED_RETURNED):
        return _close_loan(session, row, loan, here, now, today, actor)
    if loan is None and item.status in (ItemStatus.LOST, ItemStatus.MISSING):
        return _found_on_its_own(session, row, here, now, actor)
    raise NotLost(item.barcode, row.title, item.status.label_zh, item.status.label_en)


def _found_on_its_own(
    session: Session, row: _ItemRow, here: PointFacts, now: datetime, actor: str | None
) -> CheckinResult:
    """A lost or missing item with no loan behind it (lost in inventory, or its loan long closed)."""
    item = row.item
    before = {"item_status": item.status, "current_point_id": item.current_point_id}
    extra = None
    if item.status is ItemStatus.LOST:
        settled = refund_lost_item(session, item=item, point=here.id, actor=actor, at=now)
        if settled:
            extra = slips.refunded(len(settled))
    routing = _route_home(session, item, here, now, actor)
    append_event(
        session,
        action=CirculationAction.FOUND,
        point=here.id,
        actor=actor,
        item_id=item.id,
        before=before,
        after={"item_status": item.status, "current_point_id": item.current_point_id},
        at=now,
    )
    return _result(row, CheckinOutcome.FOUND, here, routing, extra=extra)


def mark_damaged(
    session: Session,
    *,
    barcode: str,
    at: PointRef,
    note: str,
    actor: str | None = None,
    now: datetime | None = None,
) -> Item:
    """Take a damaged item out of circulation (破损) with a note of what is wrong with it."""
    now = now or utcnow()
    text = " ".join(note.split())
    if not text:
        raise DamageNoteMissing()
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    item = row.item
    if item.status is not ItemStatus.AVAILABLE:
        why = _CANNOT_DAMAGE.get(
            item.status,
            (f"当前状态为「{item.status.label_zh}」", f"it is {item.status.label_en.lower()}"),
        )
        raise CannotMarkDamaged(item.barcode, row.title, *why)
    before = {"item_status": item.status, "current_point_id": item.current_point_id}
    line = f"{network_date(now).isoformat()} 破损（{here.code}）：{text}"
    _change_item(
        session,
        item,
        now,
        status=ItemStatus.DAMAGED,
        current_point_id=here.id,
        note=f"{item.note}\n{line}" if item.note else line,
    )
    append_event(
        session,
        action=CirculationAction.DAMAGED,
        point=here.id,
        actor=actor,
        item_id=item.id,
        before=before,
        after={"item_status": ItemStatus.DAMAGED, "current_point_id": here.id, "note": text},
        at=now,
    )
    return item


_CANNOT_DAMAGE: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.ON_LOAN: (
        "此书尚在借出中，请先办理还书，再登记破损",
        "it is on loan: check it in first, then mark it damaged",
    ),
    ItemStatus.IN_TRANSIT: (
        "此书在调拨途中，请先办理接收，再登记破损",
        "it is in transit: receive it first, then mark it damaged",
    ),
    ItemStatus.DAMAGED: ("此书已登记破损", "it is already marked damaged"),
}


def mark_repaired(
    session: Session,
    *,
    barcode: str,
    at: PointRef,
    actor: str | None = None,
    now: datetime | None = None,
) -> CheckinResult:
    """A damaged item is repaired (修复): back on the shelf here if this is its home, else home."""
    now = now or utcnow()
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    item = row.item
    if item.status is not ItemStatus.DAMAGED:
        raise NotDamaged(item.barcode, row.title)
    before = {"item_status": item.status, "current_point_id": item.current_point_id}
    routing = _route_home(session, item, here, now, actor)
    append_event(
        session,
        action=CirculationAction.REPAIRED,
        point=here.id,
        actor=actor,
        item_id=item.id,
        before=before,
        after={"item_status": item.status, "current_point_id": item.current_point_id},
        at=now,
    )
    return _result(row, CheckinOutcome.REPAIRED, here, routing)


# --- item properties (SIP2 19) -------------------------------------------------------

ITEM_PROPERTIES_LIMIT = 255


@dataclass(frozen=True)
class ItemPropertiesResult:
    barcode: str
    title: str | None
    properties: str | None


def store_item_properties(
    session: Session,
    *,
    barcode: str,
    properties: str,
    at: PointRef,
    actor: str | None = None,
    now: datetime | None = None,
) -> ItemPropertiesResult:
    """Keep what a self-check machine says about a copy (SIP2 item properties, message 19):
    free text such as the RFID tag's settings, read back with the item. Blank clears it.
    Nothing else about the copy changes; the log keeps the old and the new text."""
    now = now or utcnow()
    here = _point(session, at)
    row = _item_for_update(session, barcode)
    item = row.item
    text = properties.strip() or None
    if text is not None and len(text) > ITEM_PROPERTIES_LIMIT:
        raise ItemPropertiesTooLong(item.barcode, len(text), ITEM_PROPERTIES_LIMIT)
    if text != item.sip_properties:
        before = item.sip_properties
        _change_item(session, item, now, sip_properties=text)
        append_event(
            session,
            action=CirculationAction.ITEM_PROPERTIES,
            point=here.id,
            actor=actor,
            item_id=item.id,
            before={"sip_properties": before},
            after={"sip_properties": text},
            at=now,
        )
    return ItemPropertiesResult(item.barcode, row.title, text)
