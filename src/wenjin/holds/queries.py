"""The read side of holds: pull lists, the hold shelf, a reader's holds, explain."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.lookups import point_by_code
from wenjin.holds import rules
from wenjin.holds.models import Hold
from wenjin.holds.services import get_hold
from wenjin.holds.states import ACTIVE_HOLD_STATUSES, HoldStatus
from wenjin.holds.targeting import Targeter, hold_to_target
from wenjin.network.models import ServicePoint
from wenjin.patrons.errors import CardNotFound
from wenjin.patrons.models import Patron, PatronCard
from wenjin.patrons.queries import network_date, network_today, normalise_card_number
from wenjin.patrons.states import CardStatus

_Pickup = aliased(ServicePoint)
_Shelf = aliased(ServicePoint)
_Target = aliased(Item)
_AtPoint = aliased(ServicePoint)


@dataclass(frozen=True)
class HoldLine:
    """One hold as lists show it."""

    id: int
    status: HoldStatus
    status_zh: str
    patron_id: int
    patron_name: str
    card_number: str | None
    record_id: int
    title: str
    item_level_barcode: str | None
    pickup_code: str
    pickup_name: str
    placed_at: datetime
    suspended_until: date | None
    targeted_barcode: str | None
    targeted_point_code: str | None
    expires_on: date | None
    queue_position: int  # among the title's waiting holds; 0 once it is no longer waiting


_ACTIVE_CARD = (
    select(PatronCard.number)
    .where(PatronCard.patron_id == Patron.id, PatronCard.status == CardStatus.ACTIVE)
    .limit(1)
    .scalar_subquery()
)
_HeldItem = aliased(Item)


def _hold_lines(
    session: Session, where: list[ColumnElement[bool]], *, limit: int = 500, offset: int = 0
) -> list[HoldLine]:
    earlier = aliased(Hold)
    position = (
        select(func.count(earlier.id))
        .where(
            earlier.bib_id == Hold.bib_id,
            earlier.status == HoldStatus.WAITING,
            (earlier.placed_at < Hold.placed_at)
            | (and_(earlier.placed_at == Hold.placed_at, earlier.id < Hold.id)),
        )
        .scalar_subquery()
    )
    stmt = (
        select(
            Hold,
            Patron.name,
            _ACTIVE_CARD,
            BibRecord.title,
            _HeldItem.barcode,
            _Pickup.code,
            _Pickup.name,
            _Target.barcode,
            _AtPoint.code,
            position,
        )
        .join(Patron, Patron.id == Hold.patron_id)
        .join(BibRecord, BibRecord.id == Hold.bib_id)
        .join(_Pickup, _Pickup.id == Hold.pickup_point_id)
        .outerjoin(_HeldItem, _HeldItem.id == Hold.item_id)
        .outerjoin(_Target, _Target.id == Hold.targeted_item_id)
        .outerjoin(_AtPoint, _AtPoint.id == _Target.current_point_id)
        .where(*where)
        .order_by(Hold.placed_at, Hold.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        HoldLine(
            id=hold.id,
            status=hold.status,
            status_zh=hold.status.label_zh,
            patron_id=hold.patron_id,
            patron_name=name,
            card_number=card,
            record_id=hold.bib_id,
            title=title,
            item_level_barcode=held,
            pickup_code=pickup_code,
            pickup_name=pickup_name,
            placed_at=hold.placed_at,
            suspended_until=hold.suspended_until,
            targeted_barcode=target,
            targeted_point_code=target_point,
            expires_on=hold.expires_on,
            queue_position=int(ahead) + 1 if hold.status is HoldStatus.WAITING else 0,
        )
        for hold, name, card, title, held, pickup_code, pickup_name, target, target_point, ahead in (
            session.execute(stmt)
        )
    ]


def hold_lines_where(
    session: Session, where: list[ColumnElement[bool]], *, limit: int = 500
) -> list[HoldLine]:
    """Holds matching ``where`` (conditions on :class:`Hold`), oldest first, as lists show them."""
    return _hold_lines(session, where, limit=limit)


def _patron_id(session: Session, card_number: str) -> int:
    number = normalise_card_number(card_number)
    found = session.scalar(select(PatronCard.patron_id).where(PatronCard.number == number))
    if found is None:
        raise CardNotFound(number or card_number)
    return found


def _hold_filters(
    session: Session,
    *,
    card_number: str | None,
    record_id: int | None,
    statuses: frozenset[HoldStatus] | None,
    pickup_point_ids: Collection[int] | None,
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if card_number is not None:
        where.append(Hold.patron_id == _patron_id(session, card_number))
    if record_id is not None:
        where.append(Hold.bib_id == record_id)
    if statuses:
        where.append(Hold.status.in_(list(statuses)))
    if pickup_point_ids is not None:
        where.append(Hold.pickup_point_id.in_(list(pickup_point_ids)))
    return where


def list_holds(
    session: Session,
    *,
    card_number: str | None = None,
    record_id: int | None = None,
    statuses: frozenset[HoldStatus] | None = ACTIVE_HOLD_STATUSES,
    pickup_point_ids: Collection[int] | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[HoldLine]:
    """Holds of a reader (any card they hold or held), of a title and/or to pick up at some
    points, oldest first, each with its place in the title's queue."""
    where = _hold_filters(
        session,
        card_number=card_number,
        record_id=record_id,
        statuses=statuses,
        pickup_point_ids=pickup_point_ids,
    )
    return _hold_lines(session, where, limit=limit, offset=offset)


def count_holds(
    session: Session,
    *,
    card_number: str | None = None,
    record_id: int | None = None,
    statuses: frozenset[HoldStatus] | None = ACTIVE_HOLD_STATUSES,
    pickup_point_ids: Collection[int] | None = None,
) -> int:
    """How many holds :func:`list_holds` would list without a limit."""
    where = _hold_filters(
        session,
        card_number=card_number,
        record_id=record_id,
        statuses=statuses,
        pickup_point_ids=pickup_point_ids,
    )
    return int(session.scalar(select(func.count(Hold.id)).where(*where)) or 0)


def hold_line(session: Session, hold_id: int) -> HoldLine:
    get_hold(session, hold_id, for_update=False)
    return _hold_lines(session, [Hold.id == hold_id])[0]


@dataclass(frozen=True)
class PullLine:
    """A copy to take off the shelf today, and the hold it is for (取书单)."""

    hold_id: int
    barcode: str
    call_number: str | None
    location: str | None
    title: str
    pickup_code: str
    pickup_name: str
    placed_at: datetime
    targeted_at: datetime | None


def pull_list(session: Session, *, at: str) -> list[PullLine]:
    """What to take off this point's shelves for holds: every copy chosen for a waiting hold
    that is on the shelf here, by location and call number (the order a page walks)."""
    point = point_by_code(session, at)
    rows = session.execute(
        select(
            Hold.id,
            Item.barcode,
            Item.call_number,
            Item.location,
            BibRecord.title,
            _Pickup.code,
            _Pickup.name,
            Hold.placed_at,
            Hold.targeted_at,
        )
        .join(Item, Item.id == Hold.targeted_item_id)
        .join(BibRecord, BibRecord.id == Hold.bib_id)
        .join(_Pickup, _Pickup.id == Hold.pickup_point_id)
        .where(
            Item.current_point_id == point.id,
            Item.status == ItemStatus.AVAILABLE,
            Hold.status == HoldStatus.WAITING,
        )
        .order_by(Item.location, Item.call_number, Item.barcode)
    )
    return [PullLine(*row) for row in rows]


@dataclass(frozen=True)
class ShelfLine:
    """A copy on the hold shelf (预约架) and the reader it waits for."""

    hold_id: int
    barcode: str
    title: str
    patron_name: str
    card_masked: str
    ready_at: datetime | None
    expires_on: date | None
    expired: bool


def hold_shelf(
    session: Session, *, at: str, expired_only: bool = False, today: date | None = None
) -> list[ShelfLine]:
    """The hold shelf of a point, the soonest to expire first; ``expired_only``: the copies
    whose last pickup day has passed (to take off the shelf, see ``expire_hold_shelf``)."""
    point = point_by_code(session, at)
    today = today or network_today()
    stmt = (
        select(
            Hold.id,
            Item.barcode,
            BibRecord.title,
            Patron.name,
            _ACTIVE_CARD,
            Hold.ready_at,
            Hold.expires_on,
        )
        .join(Item, Item.id == Hold.targeted_item_id)
        .join(BibRecord, BibRecord.id == Hold.bib_id)
        .join(Patron, Patron.id == Hold.patron_id)
        .where(Hold.shelf_point_id == point.id, Hold.status == HoldStatus.READY)
        .order_by(Hold.expires_on, Hold.id)
    )
    if expired_only:
        stmt = stmt.where(Hold.expires_on < today)
    return [
        ShelfLine(
            hold_id=hold_id,
            barcode=barcode,
            title=title,
            patron_name=name,
            card_masked=rules.mask_card(card) if card else "",
            ready_at=ready_at,
            expires_on=expires_on,
            expired=expires_on is not None and expires_on < today,
        )
        for hold_id, barcode, title, name, card, ready_at, expires_on in session.execute(stmt)
    ]


# --- explain -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyExplanation:
    barcode: str
    point_code: str
    point_name: str
    status: ItemStatus
    call_number: str | None
    eligible: bool
    rank: int | None  # 1 = the one chosen (or to be chosen)
    chosen: bool
    why_zh: str
    why_en: str


@dataclass(frozen=True)
class HoldExplanation:
    hold: HoldLine
    pickup_code: str
    suspended: bool
    copies: list[CopyExplanation]
    summary_zh: str
    summary_en: str


def explain_hold(session: Session, *, hold_id: int, now: datetime | None = None) -> HoldExplanation:
    """Every copy of the hold's title, with the reason it was rejected or how it ranks; the
    winner first (``holds explain``)."""
    hold = get_hold(session, hold_id, for_update=False)
    line = hold_line(session, hold_id)
    today = network_date(now) if now else network_today()
    targeter = Targeter.start(session, today)
    targeter.load([hold.bib_id], [hold.patron_id], every_copy=True)
    verdicts = targeter.verdicts(hold_to_target(hold))
    days = targeter.network.days_to(hold.pickup_point_id)
    points = targeter.network.points
    copies = []
    rank = 0
    for verdict in verdicts:
        copy = verdict.copy
        if verdict.rejection is None:
            rank += 1
            why_zh, why_en = rules.rank_reason(
                copy, pickup_point_id=hold.pickup_point_id, travel_days=days, load=verdict.load
            )
        else:
            why_zh, why_en = rules.rejection_text(
                verdict.rejection, copy.status.label_zh, copy.status.label_en
            )
        chosen = hold.targeted_item_id == copy.item_id
        if chosen and hold.status is not HoldStatus.WAITING:
            why_zh, why_en = (
                f"已为此预约留出（{hold.status.label_zh}）",
                f"set aside for this hold ({hold.status.label_en.lower()})",
            )
        point = points[copy.point_id]
        copies.append(
            CopyExplanation(
                barcode=copy.barcode,
                point_code=point.code,
                point_name=point.name,
                status=copy.status,
                call_number=copy.call_number,
                eligible=verdict.rejection is None,
                rank=rank if verdict.rejection is None else None,
                chosen=chosen,
                why_zh=why_zh,
                why_en=why_en,
            )
        )
    suspended = rules.is_suspended(hold.suspended_until, today)
    chosen_copy = next((c for c in copies if c.chosen), None)
    if hold.status is not HoldStatus.WAITING:
        summary = (f"预约状态：{hold.status.label_zh}", f"Hold is {hold.status.label_en.lower()}")
    elif suspended:
        summary = (
            f"预约暂停至 {hold.suspended_until}，暂不分配副本",
            f"suspended until {hold.suspended_until}: no copy is chosen",
        )
    elif chosen_copy is not None:
        summary = (
            f"已选定 {chosen_copy.barcode}（{chosen_copy.point_name}）：{chosen_copy.why_zh}",
            f"chose {chosen_copy.barcode} at {chosen_copy.point_code}: {chosen_copy.why_en}",
        )
    elif rank:
        summary = (
            "尚未分配副本；下次分配将选排名第一的副本",
            "no copy chosen yet; the next targeting run takes the first ranked copy",
        )
    else:
        summary = (
            "目前没有可供此预约的副本，读者需排队等待还书",
            "no copy can fill it now: it waits for a return",
        )
    return HoldExplanation(
        hold=line,
        pickup_code=line.pickup_code,
        suspended=suspended,
        copies=copies,
        summary_zh=summary[0],
        summary_en=summary[1],
    )
