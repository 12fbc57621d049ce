"""Use cases of holds (预约): place, cancel, suspend, resume, change the pickup point, report
the chosen copy missing, capture a copy at checkin or on receipt, fulfil at checkout,
expire the hold shelf. Choosing copies is :mod:`wenjin.holds.targeting`.

Keyword-only arguments, a session in, never a commit: the caller's unit of work commits,
so that a hold and the copy it moves change together or not at all. Every change of an
item's status goes through the item transition table and is written to the circulation
log in the same transaction; so are the hold's own milestones (placed, captured, ready,
fulfilled, cancelled, expired).

Two desks capturing the same returned copy for two holds: both read the item row
``FOR UPDATE`` first (circulation does), so the second waits and then finds the copy
gone; the partial unique index on an active hold's targeted copy is the last line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.catalog.errors import ItemNotFound, RecordNotFound
from wenjin.catalog.models import BibRecord, Item, ItemType
from wenjin.catalog.services import withdraw_item
from wenjin.catalog.states import ItemStatus, can_change_item_status, check_item_transition
from wenjin.circulation.checks import blocked
from wenjin.circulation.log import append_event
from wenjin.circulation.lookups import (
    PointFacts,
    calendar_window,
    desk_patron_by_card,
    point_by_code,
    point_by_id,
)
from wenjin.circulation.models import Loan
from wenjin.circulation.policy import loan_context, policy_snapshot
from wenjin.circulation.rules import LoanContext, resolve_rule
from wenjin.circulation.services import loan_counts, route_item_home, start_transit
from wenjin.circulation.slips import Slip
from wenjin.circulation.states import TransitReason
from wenjin.circulation.writes import insert_row, update_row
from wenjin.config import get_settings
from wenjin.db.types import utcnow
from wenjin.fees.queries import outstanding_fen
from wenjin.holds import rules
from wenjin.holds.errors import (
    AlreadyBorrowed,
    DuplicateHold,
    HoldLimitReached,
    HoldNeedsOneTarget,
    HoldNotActive,
    HoldNotFound,
    HoldsNotAllowed,
    NothingToHold,
    PickupPointNotAvailable,
    SuspendDateInvalid,
)
from wenjin.holds.lookups import HoldsAtCheckout, waiting_holds_for_copy
from wenjin.holds.models import Hold
from wenjin.holds.network import NetworkPoint, NetworkView, network_view
from wenjin.holds.rules import CopyFacts, WaitingHold
from wenjin.holds.states import (
    ACTIVE_HOLD_STATUSES,
    CancelReason,
    HoldAction,
    HoldStatus,
)
from wenjin.holds.targeting import (
    HoldToTarget,
    Targeter,
    change_hold,
    policy_categories,
    target_hold,
)
from wenjin.notices.services import queue_notice
from wenjin.notices.states import NoticeKind
from wenjin.patrons.models import Patron, PatronCard
from wenjin.patrons.queries import network_date
from wenjin.patrons.rules import (
    DEFAULT_MAX_FINES_FEN,
    DEFAULT_MAX_OVERDUE,
    block_reasons,
)
from wenjin.patrons.states import CardStatus

_ACTIVE = tuple(s.value for s in ACTIVE_HOLD_STATUSES)
_CHUNK = 500


def hold_shelf_days() -> int:
    """Open days a copy waits on the hold shelf (``WENJIN_HOLD_SHELF_DAYS``, default 7)."""
    return get_settings().hold_shelf_days


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedHold:
    hold_id: int
    status: HoldStatus
    record_id: int
    title: str | None
    item_barcode: str | None  # an item-level hold's copy
    pickup_code: str
    targeted_barcode: str | None
    targeted_point_code: str | None
    queue_position: int


@dataclass(frozen=True)
class HoldRouting:
    """Where a copy captured for a hold goes: the hold shelf here, or in transit to the pickup."""

    hold_id: int
    slip: Slip
    destination: PointFacts | None = None
    transit_id: int | None = None


@dataclass(frozen=True)
class ExpiredHold:
    hold_id: int
    barcode: str
    title: str | None
    patron_id: int
    shelf_point_code: str
    expires_on: date
    next_hold_id: int | None
    slip: Slip


# --- small writes ----------------------------------------------------------------------


def _set_item(
    session: Session, item: Item, now: datetime, *, status: ItemStatus, **values: Any
) -> None:
    if status is not item.status:
        check_item_transition(item.status, status)
        values |= {"status": status, "status_changed_at": now}
    if values:
        update_row(session, item, values, label=item.barcode)


def _log(
    session: Session,
    action: HoldAction,
    hold: Hold,
    *,
    point: int | None,
    actor: str | None,
    now: datetime,
    item_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    append_event(
        session,
        action=action,
        point=point,
        actor=actor,
        patron_id=hold.patron_id,
        item_id=item_id,
        loan_id=hold.loan_id,
        before=before,
        after={"hold_id": hold.id, "hold_status": hold.status, **(after or {})},
        at=now,
    )


def get_hold(session: Session, hold_id: int, *, for_update: bool = True) -> Hold:
    stmt = select(Hold).where(Hold.id == hold_id)
    if for_update:
        stmt = stmt.with_for_update()
    hold = session.scalars(stmt).one_or_none()
    if hold is None:
        raise HoldNotFound(hold_id)
    return hold


def _item_for_update(session: Session, item_id: int) -> Item:
    item = session.scalars(select(Item).where(Item.id == item_id).with_for_update()).one_or_none()
    if item is None:
        raise ItemNotFound(f"#{item_id}")
    return item


def _title_of(session: Session, bib_id: int) -> str | None:
    return session.scalar(select(BibRecord.title).where(BibRecord.id == bib_id))


@dataclass(frozen=True)
class _Reader:
    patron_id: int
    name: str
    card_number: str | None


def _reader(session: Session, patron_id: int) -> _Reader:
    active_card = (
        select(PatronCard.number)
        .where(PatronCard.patron_id == Patron.id, PatronCard.status == CardStatus.ACTIVE)
        .limit(1)
        .scalar_subquery()
    )
    name, card = session.execute(
        select(Patron.name, active_card).where(Patron.id == patron_id)
    ).one()
    return _Reader(patron_id, name, card)


def _pickup_problem(point: NetworkPoint | None) -> tuple[str, str] | None:
    if point is None:
        return None
    if not point.active:
        return "已停用", "is inactive"
    if not point.is_pickup_point:
        return "未开通预约取书", "is not a pickup point"
    if not point.lends:
        return "不办理借还", "does not lend"
    return None


def _pickup_point(view: NetworkView, session: Session, code: str) -> NetworkPoint:
    facts = point_by_code(session, code)
    point = view.points[facts.id]
    problem = _pickup_problem(point)
    if problem is not None:
        raise PickupPointNotAvailable(point.name, point.code, *problem)
    return point


# --- placing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wanted:
    """What a hold is placed on: the record, and the copy for an item-level hold."""

    bib_id: int
    title: str | None
    item_id: int | None = None
    barcode: str | None = None
    item_type_id: int | None = None


_MAX_ID = 2**31 - 1
_RECORD_BY_ID = select(BibRecord.id, BibRecord.title).where(BibRecord.id == bindparam("id"))
_RECORD_BY_001 = (
    select(BibRecord.id, BibRecord.title)
    .where(BibRecord.control_number == bindparam("number"))
    .limit(1)
)
_ITEM_WANTED = (
    select(Item.id, Item.barcode, Item.bib_id, Item.item_type_id, Item.status, BibRecord.title)
    .join(BibRecord, BibRecord.id == Item.bib_id)
    .where(Item.barcode == bindparam("barcode"))
)
_ACTIVE_HOLDS_OF = select(Hold.id, Hold.bib_id).where(
    Hold.patron_id == bindparam("patron_id"), Hold.status.in_(_ACTIVE)
)
_ON_LOAN_OF_TITLE = (
    select(Item.barcode)
    .join(Loan, Loan.item_id == Item.id)
    .where(
        Loan.patron_id == bindparam("patron_id"),
        Loan.returned_at.is_(None),
        Item.bib_id == bindparam("bib_id"),
    )
    .limit(1)
)
_QUEUE_AHEAD = select(func.count(Hold.id)).where(
    Hold.bib_id == bindparam("bib_id"),
    Hold.status == HoldStatus.WAITING,
    (Hold.placed_at < bindparam("placed_at"))
    | ((Hold.placed_at == bindparam("placed_at")) & (Hold.id < bindparam("hold_id"))),
)


def _insert_hold(session: Session, values: dict[str, Any]) -> int | None:
    """INSERT a hold with its chosen copy; ``None`` if an active hold has that copy already.

    Only PostgreSQL can meet that (two transactions choosing the same copy at once), so only
    there does the INSERT run in a savepoint; SQLite's writers are serialised, and the copy
    was chosen inside this write transaction.
    """
    if session.get_bind().dialect.name != "postgresql":
        return insert_row(session, Hold, values)
    try:
        with session.begin_nested():
            return insert_row(session, Hold, values)
    except IntegrityError:
        return None


def _wanted(session: Session, record: str | int | None, barcode: str | None) -> _Wanted:
    connection = session.connection()
    if barcode is not None:
        row = connection.execute(_ITEM_WANTED, {"barcode": barcode.strip()}).one_or_none()
        if row is None:
            raise ItemNotFound(barcode.strip())
        status = ItemStatus(row.status)
        if status in (ItemStatus.WITHDRAWN, ItemStatus.LOST):
            raise NothingToHold(
                row.title,
                f"此册（{row.barcode}）{status.label_zh}",
                f"copy {row.barcode} is {status.label_en.lower()}",
            )
        return _Wanted(row.bib_id, row.title, row.id, row.barcode, row.item_type_id)
    text = str(record).strip()
    found = None
    # Only plain ASCII digits that fit the id column are an id ("²" is a digit to Python).
    if text.isascii() and text.isdigit() and int(text) <= _MAX_ID:
        found = connection.execute(_RECORD_BY_ID, {"id": int(text)}).one_or_none()
    if found is None:
        found = connection.execute(_RECORD_BY_001, {"number": text}).one_or_none()
    if found is None:
        raise RecordNotFound(text)
    return _Wanted(found.id, found.title)


def place_hold(
    session: Session,
    *,
    card_number: str,
    pickup: str,
    record: str | int | None = None,
    barcode: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> PlacedHold:
    """Place a title-level hold (``record``: any copy) or an item-level hold (``barcode``: this
    copy) for the reader holding ``card_number``, to pick up at ``pickup``; then choose the
    copy to fetch at once.

    Refused, with the reason, when: the pickup point does not take holds; the reader is
    blocked; the rules do not let the reader hold here, or the reader is at the hold limit
    of their category; the reader already holds the title or has a copy of it on loan; no
    copy of it can ever be held (none, or all kept out by policy, e.g. reference books).
    """
    if (record is None) == (barcode is None):
        raise HoldNeedsOneTarget()
    now = now or utcnow()
    today = network_date(now)
    connection = session.connection()
    patron = desk_patron_by_card(session, card_number)
    view = network_view(session)
    pickup_point = _pickup_point(view, session, pickup)
    wanted = _wanted(session, record, barcode)

    snapshot = policy_snapshot(session)
    context = loan_context(
        snapshot,
        point=point_by_id(session, pickup_point.id),
        patron=patron,
        item_type_id=wanted.item_type_id,
        today=today,
    )
    rule = resolve_rule(snapshot.rules, context)
    counts = loan_counts(session, patron_id=patron.patron_id, item_type_id=0, today=today)
    reasons = block_reasons(
        patron.facts,
        today=today,
        overdue_count=counts.overdue,
        fines_fen=outstanding_fen(session, patron.patron_id),
        max_overdue=rule.max_overdue_items if rule else DEFAULT_MAX_OVERDUE,
        max_fines_fen=rule.max_unpaid_fen if rule else DEFAULT_MAX_FINES_FEN,
    )
    if reasons:
        raise blocked(patron, reasons)
    if rule is None or not rule.holds_allowed:
        raise HoldsNotAllowed(patron.name, rule.id if rule else None, rule.note if rule else None)
    active = connection.execute(_ACTIVE_HOLDS_OF, {"patron_id": patron.patron_id}).all()
    same = next((hold_id for hold_id, bib_id in active if bib_id == wanted.bib_id), None)
    if same is not None:
        raise DuplicateHold(patron.name, wanted.title, same)
    if len(active) >= rule.hold_limit:
        raise HoldLimitReached(patron.name, len(active), rule.hold_limit)
    on_loan = connection.execute(
        _ON_LOAN_OF_TITLE, {"patron_id": patron.patron_id, "bib_id": wanted.bib_id}
    ).scalar()
    if on_loan is not None:
        raise AlreadyBorrowed(patron.name, wanted.title, on_loan)

    targeter = Targeter(
        session=session,
        today=today,
        snapshot=snapshot,
        network=view,
        open_today=view.open_on(session, today),
        categories={patron.patron_id: context.category_id or 0},
    )
    targeter.load([wanted.bib_id], [], every_copy=True)
    copies = [c for c in targeter.copies[wanted.bib_id] if wanted.item_id in (None, c.item_id)]
    category = targeter.categories[patron.patron_id]
    if not copies:
        raise NothingToHold(wanted.title, "本馆没有此书的馆藏", "the network holds no copy of it")
    if not any(
        c.status not in (ItemStatus.WITHDRAWN, ItemStatus.LOST)
        and rules.policy_rejection(c.type_lendable, targeter.rule(category, c)) is None
        for c in copies
    ):
        raise NothingToHold(
            wanted.title,
            "所有馆藏均按借阅规则不外借或不可预约（如工具书、地方文献）",
            "every copy is kept out of lending or holds by the rules (e.g. reference books)",
        )

    # The copy is chosen before the row is written, so that the hold is inserted with it.
    targeter.copies[wanted.bib_id] = [c for c in copies if c.status is ItemStatus.AVAILABLE]
    chosen = targeter.choose(
        HoldToTarget(
            hold_id=0,
            bib_id=wanted.bib_id,
            item_id=wanted.item_id,
            pickup_point_id=pickup_point.id,
            patron_id=patron.patron_id,
            targeted_item_id=None,
        )
    )
    values = {
        "patron_id": patron.patron_id,
        "bib_id": wanted.bib_id,
        "item_id": wanted.item_id,
        "pickup_point_id": pickup_point.id,
        "status": HoldStatus.WAITING,
        "status_changed_at": now,
        "placed_at": now,
        "placed_by": actor,
        "targeted_item_id": chosen.item_id if chosen else None,
        "targeted_at": now if chosen else None,
        "version": 1,
    }
    hold_id = _insert_hold(session, values)
    if hold_id is None:  # another transaction chose the same copy a moment ago
        chosen = None
        hold_id = insert_row(
            session, Hold, {**values, "targeted_item_id": None, "targeted_at": None}
        )
    append_event(
        session,
        action=HoldAction.PLACED,
        point=pickup_point.id,
        actor=actor,
        patron_id=patron.patron_id,
        item_id=wanted.item_id,
        before=None,
        after={
            "hold_id": hold_id,
            "hold_status": HoldStatus.WAITING,
            "record_id": wanted.bib_id,
            "pickup": pickup_point.code,
            "targeted_item_id": chosen.item_id if chosen else None,
        },
        at=now,
    )
    ahead = connection.execute(
        _QUEUE_AHEAD, {"bib_id": wanted.bib_id, "placed_at": now, "hold_id": hold_id}
    ).scalar()
    return PlacedHold(
        hold_id=hold_id,
        status=HoldStatus.WAITING,
        record_id=wanted.bib_id,
        title=wanted.title,
        item_barcode=wanted.barcode,
        pickup_code=pickup_point.code,
        targeted_barcode=chosen.barcode if chosen else None,
        targeted_point_code=view.points[chosen.point_id].code if chosen else None,
        queue_position=int(ahead or 0) + 1,
    )


def queue_position(session: Session, hold: Hold) -> int:
    """1 for the first waiting hold of the title, counting holds placed before this one."""
    if hold.status is not HoldStatus.WAITING:
        return 0
    ahead = session.connection().execute(
        _QUEUE_AHEAD, {"bib_id": hold.bib_id, "placed_at": hold.placed_at, "hold_id": hold.id}
    )
    return int(ahead.scalar() or 0) + 1


# --- reader and staff changes ---------------------------------------------------------------


def _require(hold: Hold, allowed: frozenset[HoldStatus], what_zh: str, what_en: str) -> None:
    if hold.status not in allowed:
        raise HoldNotActive(hold.id, hold.status.label_zh, hold.status.label_en, what_zh, what_en)


def cancel_hold(
    session: Session,
    *,
    hold_id: int,
    reason: CancelReason = CancelReason.READER,
    note: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> Hold:
    """Cancel a hold. A copy on the hold shelf for it goes at once to the next hold or home;
    a copy in transit for it travels on and, received at the pickup point, goes to the next
    hold there or home (see :func:`receive_for_hold`)."""
    now = now or utcnow()
    hold = get_hold(session, hold_id)
    _require(hold, ACTIVE_HOLD_STATUSES, "取消", "cancelled")
    was = hold.status
    values: dict[str, Any] = {
        "cancelled_at": now,
        "cancel_reason": reason,
        "cancel_note": note,
    }
    if was is HoldStatus.WAITING:
        values |= {"targeted_item_id": None, "targeted_at": None}
    item = None
    if was is HoldStatus.READY and hold.targeted_item_id is not None:
        item = _item_for_update(session, hold.targeted_item_id)
    change_hold(session, hold, now, status=HoldStatus.CANCELLED, **values)
    _log(
        session,
        HoldAction.CANCELLED,
        hold,
        point=hold.shelf_point_id or hold.pickup_point_id,
        actor=actor,
        now=now,
        item_id=hold.targeted_item_id,
        before={"hold_status": was},
        after={"reason": reason, "note": note},
    )
    if reason is not CancelReason.READER:
        title = _title_of(session, hold.bib_id)
        zh, en = rules.cancelled_notice(title, reason.label_zh, reason.label_en)
        queue_notice(
            session,
            kind=NoticeKind.HOLD_CANCELLED,
            patron_id=hold.patron_id,
            zh=zh,
            en=en,
            facts={"hold_id": hold.id, "title": title, "reason": reason},
            now=now,
        )
    if item is not None and hold.shelf_point_id is not None:
        _pass_on(session, item, point_by_id(session, hold.shelf_point_id), now, actor)
    return hold


def suspend_hold(
    session: Session,
    *,
    hold_id: int,
    until: date,
    now: datetime | None = None,
    actor: str | None = None,
) -> Hold:
    """暂停: the hold keeps its place in the queue but no copy is fetched for it before
    ``until``; a copy already chosen for it is freed for the next reader."""
    now = now or utcnow()
    today = network_date(now)
    if until <= today:
        raise SuspendDateInvalid(until, today)
    hold = get_hold(session, hold_id)
    _require(
        hold,
        frozenset({HoldStatus.WAITING}),
        "暂停（仅等待中的预约可暂停）",
        "suspended (only a waiting hold)",
    )
    change_hold(session, hold, now, suspended_until=until, targeted_item_id=None, targeted_at=None)
    _log(
        session,
        HoldAction.SUSPENDED,
        hold,
        point=hold.pickup_point_id,
        actor=actor,
        now=now,
        after={"suspended_until": until},
    )
    return hold


def resume_hold(
    session: Session, *, hold_id: int, now: datetime | None = None, actor: str | None = None
) -> Hold:
    """Lift a suspension now, and choose a copy for the hold at once."""
    now = now or utcnow()
    hold = get_hold(session, hold_id)
    _require(hold, frozenset({HoldStatus.WAITING}), "恢复", "resumed")
    before = hold.suspended_until
    change_hold(session, hold, now, suspended_until=None)
    _log(
        session,
        HoldAction.RESUMED,
        hold,
        point=hold.pickup_point_id,
        actor=actor,
        now=now,
        before={"suspended_until": before},
    )
    target_hold(session, hold=hold, now=now)
    return hold


def change_pickup(
    session: Session,
    *,
    hold_id: int,
    pickup: str,
    now: datetime | None = None,
    actor: str | None = None,
) -> Hold:
    """Move a waiting hold's pickup point; the copy to fetch is chosen again for the new point.
    A hold whose copy is already on its way or on the shelf keeps its pickup point."""
    now = now or utcnow()
    hold = get_hold(session, hold_id)
    _require(
        hold,
        frozenset({HoldStatus.WAITING}),
        "更改取书点（书已在途或已到预约架）",
        "moved to another pickup point (its copy is on its way or on the shelf)",
    )
    point = _pickup_point(network_view(session), session, pickup)
    before = hold.pickup_point_id
    change_hold(
        session, hold, now, pickup_point_id=point.id, targeted_item_id=None, targeted_at=None
    )
    _log(
        session,
        HoldAction.PICKUP_CHANGED,
        hold,
        point=point.id,
        actor=actor,
        now=now,
        before={"pickup_point_id": before},
        after={"pickup_point_id": point.id},
    )
    target_hold(session, hold=hold, now=now)
    return hold


def report_copy_missing(
    session: Session,
    *,
    hold_id: int,
    at: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> CopyFacts | None:
    """The copy chosen for a waiting hold is not on the shelf (缺失): record it missing, and
    choose another copy for the hold. Returns the new choice (or ``None``)."""
    now = now or utcnow()
    hold = get_hold(session, hold_id)
    _require(hold, frozenset({HoldStatus.WAITING}), "重新分配副本", "retargeted")
    missing_id = hold.targeted_item_id
    if missing_id is not None:
        item = _item_for_update(session, missing_id)
        if item.status is ItemStatus.AVAILABLE:
            before = {"item_status": item.status, "current_point_id": item.current_point_id}
            _set_item(session, item, now, status=ItemStatus.MISSING)
            change_hold(session, hold, now, targeted_item_id=None, targeted_at=None)
            _log(
                session,
                HoldAction.COPY_MISSING,
                hold,
                point=item.current_point_id,
                actor=actor,
                now=now,
                item_id=item.id,
                before=before,
                after={"item_status": ItemStatus.MISSING, "barcode": item.barcode},
            )
    return target_hold(
        session, hold=hold, now=now, exclude=frozenset({missing_id} if missing_id else set())
    )


# --- capture: a copy comes back ---------------------------------------------------------------


def offer_to_holds(
    session: Session,
    *,
    item: Item,
    title: str | None,
    type_lendable: bool,
    here: PointFacts,
    now: datetime,
    actor: str | None = None,
    loan_id: int | None = None,
) -> HoldRouting | None:
    """A copy checked in (or received, or freed from the hold shelf) at ``here``: give it to
    the best waiting hold it can fill (pickup point here first, then the earliest placed),
    onto this point's hold shelf or in transit to the pickup point. ``None`` when no hold
    takes it: then it goes home as usual. One indexed query when no hold waits."""
    if not can_change_item_status(item.status, ItemStatus.ON_HOLD_SHELF) and (
        item.status is not ItemStatus.ON_HOLD_SHELF
    ):
        return None
    today = network_date(now)
    candidates = waiting_holds_for_copy(
        session, bib_id=item.bib_id, item_id=item.id, here_id=here.id, today=today
    )
    if not candidates:
        return None
    candidates.sort(key=lambda hold: rules.capture_order(hold, here.id))
    chosen = _first_hold_allowed(session, candidates, item, type_lendable, today)
    if chosen is None:
        return None
    return _capture(session, chosen.hold_id, item, title, here, now, actor, loan_id)


def _first_hold_allowed(
    session: Session,
    candidates: list[WaitingHold],
    item: Item,
    type_lendable: bool,
    today: date,
) -> WaitingHold | None:
    snapshot = policy_snapshot(session)
    owner = point_by_id(session, item.owning_point_id)
    categories = policy_categories(
        session, (c.patron_id for c in candidates), today=today, snapshot=snapshot
    )
    for candidate in candidates:
        rule = resolve_rule(
            snapshot.rules,
            LoanContext(
                point_id=owner.id,
                point_kind=owner.kind,
                category_id=categories.get(candidate.patron_id),
                item_type_id=item.item_type_id,
            ),
        )
        if rules.policy_rejection(type_lendable, rule) is None:
            return candidate
    return None


def _capture(
    session: Session,
    hold_id: int,
    item: Item,
    title: str | None,
    here: PointFacts,
    now: datetime,
    actor: str | None,
    loan_id: int | None,
) -> HoldRouting:
    hold = get_hold(session, hold_id)
    # The copy may have been chosen for another waiting hold (a pull list elsewhere): that
    # hold gives it up and gets another copy once this one is settled.
    other = session.scalars(
        select(Hold)
        .where(
            Hold.targeted_item_id == item.id,
            Hold.status.in_(_ACTIVE),
            Hold.id != hold.id,
        )
        .with_for_update()
    ).one_or_none()
    if other is not None:
        change_hold(session, other, now, targeted_item_id=None, targeted_at=None)
    pickup = point_by_id(session, hold.pickup_point_id)
    if pickup.id == here.id:
        routing = _put_on_shelf(session, hold, item, title, here, now, actor)
    else:
        before = {"item_status": item.status, "current_point_id": item.current_point_id}
        transit_id = start_transit(
            session,
            item=item,
            from_point=here,
            to_point=pickup,
            reason=TransitReason.HOLD,
            now=now,
            actor=actor,
            loan_id=loan_id,
            note=f"预约 {hold.id}",
        )
        change_hold(
            session,
            hold,
            now,
            status=HoldStatus.IN_TRANSIT,
            targeted_item_id=item.id,
            targeted_at=hold.targeted_at if hold.targeted_item_id == item.id else now,
            transit_id=transit_id,
        )
        _log(
            session,
            HoldAction.CAPTURED,
            hold,
            point=here.id,
            actor=actor,
            now=now,
            item_id=item.id,
            before=before,
            after={"transit_id": transit_id, "to_point": pickup.code},
        )
        routing = HoldRouting(
            hold.id,
            rules.hold_transit_slip(pickup.name, pickup.code),
            destination=pickup,
            transit_id=transit_id,
        )
    if other is not None:
        target_hold(session, hold=other, now=now)
    return routing


def _put_on_shelf(
    session: Session,
    hold: Hold,
    item: Item,
    title: str | None,
    here: PointFacts,
    now: datetime,
    actor: str | None,
) -> HoldRouting:
    today = network_date(now)
    days = hold_shelf_days()
    calendar = calendar_window(session, here.id, today, today + timedelta(days=days * 4 + 60))
    expires_on = rules.shelf_expiry(calendar, today, days)
    before = {"item_status": item.status, "current_point_id": item.current_point_id}
    _set_item(session, item, now, status=ItemStatus.ON_HOLD_SHELF, current_point_id=here.id)
    change_hold(
        session,
        hold,
        now,
        status=HoldStatus.READY,
        targeted_item_id=item.id,
        targeted_at=hold.targeted_at if hold.targeted_item_id == item.id else now,
        shelf_point_id=here.id,
        ready_at=now,
        expires_on=expires_on,
    )
    reader = _reader(session, hold.patron_id)
    zh, en = rules.ready_notice(title, here.name, expires_on)
    queue_notice(
        session,
        kind=NoticeKind.HOLD_READY,
        patron_id=hold.patron_id,
        zh=zh,
        en=en,
        facts={
            "hold_id": hold.id,
            "title": title,
            "barcode": item.barcode,
            "pickup": here.code,
            "pickup_name": here.name,
            "expires_on": expires_on,
        },
        now=now,
    )
    _log(
        session,
        HoldAction.READY,
        hold,
        point=here.id,
        actor=actor,
        now=now,
        item_id=item.id,
        before=before,
        after={"item_status": ItemStatus.ON_HOLD_SHELF, "expires_on": expires_on},
    )
    card = rules.mask_card(reader.card_number) if reader.card_number else ""
    return HoldRouting(hold.id, rules.hold_shelf_slip(reader.name, card, expires_on))


def receive_for_hold(
    session: Session,
    *,
    item: Item,
    title: str | None,
    type_lendable: bool,
    here: PointFacts,
    now: datetime,
    actor: str | None = None,
    loan_id: int | None = None,
) -> HoldRouting | None:
    """A copy in transit for a hold arrives at ``here``: onto the hold shelf for its hold;
    if that hold was cancelled on the way, to the next hold (``None``: no hold wants it)."""
    hold = session.scalars(
        select(Hold)
        .where(Hold.targeted_item_id == item.id, Hold.status == HoldStatus.IN_TRANSIT)
        .with_for_update()
    ).one_or_none()
    if hold is None:
        return offer_to_holds(
            session,
            item=item,
            title=title,
            type_lendable=type_lendable,
            here=here,
            now=now,
            actor=actor,
            loan_id=loan_id,
        )
    if hold.pickup_point_id == here.id:
        return _put_on_shelf(session, hold, item, title, here, now, actor)
    return _capture(session, hold.id, item, title, here, now, actor, loan_id)


def follow_transit(session: Session, *, item_id: int, transit_id: int, now: datetime) -> None:
    """A copy in transit for a hold was re-routed: the hold follows the new transit."""
    hold = session.scalars(
        select(Hold)
        .where(Hold.targeted_item_id == item_id, Hold.status == HoldStatus.IN_TRANSIT)
        .with_for_update()
    ).one_or_none()
    if hold is not None:
        change_hold(session, hold, now, transit_id=transit_id)


def _pass_on(
    session: Session, item: Item, here: PointFacts, now: datetime, actor: str | None
) -> HoldRouting | Slip:
    """A copy leaves the hold shelf (its hold expired or was cancelled): to the next hold,
    else home. Returns the hold routing, or the slip of the way home."""
    type_lendable = bool(
        session.scalar(select(ItemType.lendable).where(ItemType.id == item.item_type_id))
    )
    title = _title_of(session, item.bib_id)
    routing = offer_to_holds(
        session,
        item=item,
        title=title,
        type_lendable=type_lendable,
        here=here,
        now=now,
        actor=actor,
    )
    if routing is not None:
        return routing
    return route_item_home(session, item=item, here=here, now=now, actor=actor)


# --- checkout: fulfil ---------------------------------------------------------------------------


def after_checkout(
    session: Session,
    *,
    holds: HoldsAtCheckout,
    patron_id: int,
    item_id: int,
    loan_id: int,
    point_id: int,
    now: datetime,
    actor: str | None = None,
) -> int | None:
    """After a loan: the borrower's own hold on the title is fulfilled; another reader's
    waiting hold that had chosen this copy (not yet captured: a walk-in reader took it off
    the shelf first) gets another copy. Returns the fulfilled hold's id."""
    walked_off: Hold | None = None
    targeting = holds.targeting
    if targeting is not None and targeting.patron_id != patron_id:
        walked_off = get_hold(session, targeting.hold_id)
        change_hold(session, walked_off, now, targeted_item_id=None, targeted_at=None)
    fulfilled_id = None
    if holds.own is not None:
        own = get_hold(session, holds.own.hold_id)
        was = own.status
        change_hold(
            session,
            own,
            now,
            status=HoldStatus.FULFILLED,
            loan_id=loan_id,
            targeted_item_id=item_id,
            targeted_at=own.targeted_at if own.targeted_item_id == item_id else now,
        )
        _log(
            session,
            HoldAction.FULFILLED,
            own,
            point=point_id,
            actor=actor,
            now=now,
            item_id=item_id,
            before={"hold_status": was},
        )
        fulfilled_id = own.id
    if walked_off is not None:
        target_hold(session, hold=walked_off, now=now, exclude=frozenset({item_id}))
    return fulfilled_id


# --- the hold shelf -------------------------------------------------------------------------------


def expire_hold_shelf(
    session: Session,
    *,
    today: date | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> list[ExpiredHold]:
    """过期未取: every ready hold whose last pickup day is before ``today`` expires; its copy
    goes to the next waiting hold or home, and the reader is told (a notice is queued)."""
    now = now or utcnow()
    today = today or network_date(now)
    due = session.scalars(
        select(Hold)
        .where(Hold.status == HoldStatus.READY, Hold.expires_on < today)
        .order_by(Hold.expires_on, Hold.id)
        .with_for_update()
    ).all()
    expired = []
    for hold in due:
        assert hold.targeted_item_id is not None
        assert hold.shelf_point_id is not None
        item = _item_for_update(session, hold.targeted_item_id)
        shelf = point_by_id(session, hold.shelf_point_id)
        title = _title_of(session, hold.bib_id)
        change_hold(session, hold, now, status=HoldStatus.EXPIRED)
        _log(
            session,
            HoldAction.EXPIRED,
            hold,
            point=shelf.id,
            actor=actor,
            now=now,
            item_id=item.id,
            before={"hold_status": HoldStatus.READY, "expires_on": hold.expires_on},
        )
        zh, en = rules.expired_notice(title, shelf.name)
        queue_notice(
            session,
            kind=NoticeKind.HOLD_EXPIRED,
            patron_id=hold.patron_id,
            zh=zh,
            en=en,
            facts={"hold_id": hold.id, "title": title, "pickup": shelf.code},
            now=now,
        )
        onward = _pass_on(session, item, shelf, now, actor)
        expired.append(
            ExpiredHold(
                hold_id=hold.id,
                barcode=item.barcode,
                title=title,
                patron_id=hold.patron_id,
                shelf_point_code=shelf.code,
                expires_on=hold.expires_on or today,
                next_hold_id=onward.hold_id if isinstance(onward, HoldRouting) else None,
                slip=onward.slip if isinstance(onward, HoldRouting) else onward,
            )
        )
    return expired


# --- a copy leaves the collection ---------------------------------------------------------------


def withdraw_copy(
    session: Session,
    *,
    item: Item,
    actor: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Withdraw a copy (注销, :func:`wenjin.catalog.services.withdraw_item`) and settle the
    holds that counted on it: a waiting title-level hold that had chosen it gets another
    copy (or none until one comes back); a hold on this very copy can never be filled and
    is cancelled, with a notice to the reader. Returns the ids of the holds touched."""
    now = now or utcnow()
    withdraw_item(session, item=item, actor=actor, reason=reason)
    touched: list[int] = []
    affected = session.scalars(
        select(Hold)
        .where(
            Hold.status.in_(ACTIVE_HOLD_STATUSES),
            or_(Hold.targeted_item_id == item.id, Hold.item_id == item.id),
        )
        .order_by(Hold.id)
    ).all()
    for hold in affected:
        touched.append(hold.id)
        if hold.item_id == item.id:
            cancel_hold(
                session,
                hold_id=hold.id,
                reason=CancelReason.NOT_AVAILABLE,
                note=f"副本 {item.barcode} 已注销 / copy {item.barcode} withdrawn",
                now=now,
                actor=actor,
            )
        elif hold.status is HoldStatus.WAITING:
            change_hold(session, hold, now, targeted_item_id=None, targeted_at=None)
            target_hold(session, hold=hold, now=now, exclude=frozenset({item.id}))
    return touched
