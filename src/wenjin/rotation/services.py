"""Use cases of rotating collections (流动站 / 农家书屋): create, fill, send, receive, recall.

A collection moves as a batch of ordinary transits (reason ``rotation``), so the
desk sees its items in the same transit lists and receives them the same way.
While a collection is assigned to a station, each of its items carries that
station in ``Item.stationed_point_id``: circulation then shelves a return at the
station and sends a return elsewhere to the station, not home. Items keep their
home and owning point throughout.

Keyword-only arguments, a session in, never a commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NoReturn

from sqlalchemy import bindparam, literal_column, select, update
from sqlalchemy.orm import Session

from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.lookups import PointFacts, point_by_code, point_by_id, point_facts
from wenjin.circulation.models import Transit
from wenjin.circulation.services import CheckinResult, receive_transit, start_transit
from wenjin.circulation.states import TransitReason
from wenjin.circulation.writes import update_row
from wenjin.db.types import utcnow
from wenjin.network.models import ServicePoint
from wenjin.network.rules import code_problem
from wenjin.patrons.queries import network_date
from wenjin.rotation.errors import (
    CollectionCodeTaken,
    CollectionEmpty,
    CollectionInWrongState,
    CollectionNotFound,
    InvalidRotationInput,
    ItemProblem,
    ItemsNotReady,
    PlanCodeTaken,
    PlanNotFound,
    WrongPointForCollection,
)
from wenjin.rotation.models import (
    CollectionMember,
    CollectionStay,
    RotatingCollection,
    RotationPlan,
    RotationStop,
)
from wenjin.rotation.rules import (
    DEFAULT_STAY_DAYS,
    Disposition,
    due_back_on,
    item_move,
    next_stop,
)
from wenjin.rotation.states import CollectionKind, CollectionStatus, check_collection_transition

PointRef = ServicePoint | PointFacts | str


@dataclass(frozen=True)
class MoveResult:
    """What a send or a recall did: which items went in the box, which follow when returned,
    which stay behind (and why), and where the batch is going."""

    collection: str
    destination_code: str
    destination_name: str
    sent: list[str]
    following: list[str]
    held_back: list[ItemProblem] = field(default_factory=list)


@dataclass(frozen=True)
class ReceiptResult:
    collection: str
    point_code: str
    received: list[CheckinResult]
    still_in_transit: list[str]
    status: CollectionStatus


@dataclass(frozen=True)
class MembershipResult:
    collection: str
    changed: list[str]  # added or removed
    unchanged: list[str]  # already in (add) or not in (remove)
    sent_home: list[str] = field(default_factory=list)  # removed at a station: in transit home


# --- loading -------------------------------------------------------------------------


def _point(session: Session, point: PointRef) -> PointFacts:
    if isinstance(point, PointFacts):
        return point
    if isinstance(point, ServicePoint):
        return point_facts(point)
    return point_by_code(session, point)


def collection_for_update(session: Session, code: str) -> RotatingCollection:
    """The collection with ``code``, its row locked until the transaction ends."""
    wanted = code.strip()
    found = session.scalars(
        select(RotatingCollection).where(RotatingCollection.code == wanted).with_for_update()
    ).one_or_none()
    if found is None:
        raise CollectionNotFound(wanted or code)
    return found


def plan_by_code(session: Session, code: str) -> RotationPlan:
    wanted = code.strip()
    found = session.scalars(select(RotationPlan).where(RotationPlan.code == wanted)).one_or_none()
    if found is None:
        raise PlanNotFound(wanted or code)
    return found


_MEMBERS = (
    select(Item, BibRecord.title)
    .join(CollectionMember, CollectionMember.item_id == Item.id)
    .join(BibRecord, BibRecord.id == Item.bib_id)
    .where(
        CollectionMember.collection_id == bindparam("collection_id"),
        CollectionMember.removed_at.is_(None),
    )
    .order_by(Item.barcode)
    .with_for_update(of=Item)
)


def _members(session: Session, collection: RotatingCollection) -> list[tuple[Item, str | None]]:
    """The collection's items with their titles, locked, by barcode."""
    rows = session.execute(_MEMBERS, {"collection_id": collection.id}).all()
    return [(item, title) for item, title in rows]


def _current_stay(session: Session, collection: RotatingCollection) -> CollectionStay | None:
    return session.scalars(
        select(CollectionStay)
        .where(CollectionStay.collection_id == collection.id, CollectionStay.left_at.is_(None))
        .order_by(CollectionStay.id.desc())
        .limit(1)
    ).one_or_none()


def _set_status(
    collection: RotatingCollection, status: CollectionStatus, station_id: int | None
) -> None:
    check_collection_transition(collection.status, status)
    collection.status = status
    collection.station_point_id = station_id


def _wrong_state(collection: RotatingCollection, todo_zh: str, todo_en: str) -> NoReturn:
    raise CollectionInWrongState(
        collection.code, collection.status.label_zh, collection.status.label_en, todo_zh, todo_en
    )


# --- plans ---------------------------------------------------------------------------


def create_plan(
    session: Session,
    *,
    code: str,
    name: str,
    stations: Sequence[PointRef],
    stay_days: int,
    note: str | None = None,
) -> RotationPlan:
    """A rotation plan (轮换计划): collections visit ``stations`` in order, ``stay_days`` each."""
    code = code.strip()
    problem = code_problem(code)
    if problem is not None:
        raise InvalidRotationInput(*problem)
    if session.scalar(select(RotationPlan.id).where(RotationPlan.code == code)) is not None:
        raise PlanCodeTaken(code)
    if stay_days <= 0:
        raise InvalidRotationInput(
            f"驻站天数必须大于 0（收到 {stay_days}）",
            f"the stay must be at least one day, not {stay_days}",
        )
    points = [_point(session, station) for station in stations]
    if not points:
        raise InvalidRotationInput(
            "轮换计划至少需要一个站点", "a rotation plan needs at least one station"
        )
    seen: set[int] = set()
    for point in points:
        if point.id in seen:
            raise InvalidRotationInput(
                f"站点 {point.code} 在计划中出现了两次",
                f"station {point.code} appears twice in the plan",
            )
        seen.add(point.id)
        if not (point.lends and point.active):
            raise InvalidRotationInput(
                f"{point.name}（{point.code}）不对外借阅，不能作为流动站点",
                f"{point.name} ({point.code}) does not lend, so it cannot be a station of a plan",
            )
    plan = RotationPlan(
        code=code,
        name=name.strip() or code,
        stay_days=stay_days,
        note=note,
        active=True,
        stops=[RotationStop(position=n, point_id=p.id) for n, p in enumerate(points, start=1)],
    )
    session.add(plan)
    session.flush()
    return plan


# --- collections and their items -------------------------------------------------------


def create_collection(
    session: Session,
    *,
    code: str,
    name: str,
    home: PointRef,
    kind: CollectionKind = CollectionKind.ROTATING,
    plan: str | None = None,
    note: str | None = None,
) -> RotatingCollection:
    """A new, empty collection resting at ``home``, optionally following a rotation plan."""
    code = code.strip()
    problem = code_problem(code)
    if problem is not None:
        raise InvalidRotationInput(*problem)
    if session.scalar(select(RotatingCollection.id).where(RotatingCollection.code == code)):
        raise CollectionCodeTaken(code)
    home_point = _point(session, home)
    collection = RotatingCollection(
        code=code,
        name=name.strip() or code,
        kind=kind,
        note=note,
        home_point_id=home_point.id,
        status=CollectionStatus.AT_HOME,
        plan_id=plan_by_code(session, plan).id if plan else None,
    )
    session.add(collection)
    session.flush()
    return collection


def add_items(
    session: Session,
    *,
    collection: str,
    barcodes: Iterable[str],
    now: datetime | None = None,
) -> MembershipResult:
    """Put items in a collection resting at home. All or nothing: an unknown barcode, an item of
    another collection or a withdrawn one stops the whole list, with every problem named."""
    now = now or utcnow()
    found = collection_for_update(session, collection)
    if found.status is not CollectionStatus.AT_HOME:
        _wrong_state(
            found, "只能在书箱在馆时加入图书，请先召回", "items are added at home: recall it first"
        )
    wanted = _distinct(barcodes)
    if not wanted:
        raise InvalidRotationInput("没有给出册条码", "no barcodes were given")
    rows = {
        item.barcode: (item, title)
        for item, title in session.execute(
            select(Item, BibRecord.title)
            .join(BibRecord, BibRecord.id == Item.bib_id)
            .where(Item.barcode.in_(wanted))
            .with_for_update(of=Item)
        )
    }
    taken = dict(
        session.execute(
            select(Item.barcode, RotatingCollection.code)
            .join(CollectionMember, CollectionMember.item_id == Item.id)
            .join(RotatingCollection, RotatingCollection.id == CollectionMember.collection_id)
            .where(Item.barcode.in_(wanted), CollectionMember.removed_at.is_(None))
        ).all()
    )
    problems: list[ItemProblem] = []
    added: list[str] = []
    already: list[str] = []
    for barcode in wanted:
        row = rows.get(barcode)
        if row is None:
            problems.append(ItemProblem(barcode, None, "没有此条码", "no such barcode"))
        elif taken.get(barcode) == found.code:
            already.append(barcode)
        elif barcode in taken:
            other = taken[barcode]
            problems.append(
                ItemProblem(
                    barcode, row[1], f"已在流动书箱 {other} 中", f"already in collection {other}"
                )
            )
        elif row[0].status is ItemStatus.WITHDRAWN:
            problems.append(ItemProblem(barcode, row[1], "已剔除", "withdrawn"))
        else:
            added.append(barcode)
    if problems:
        raise ItemsNotReady(found.code, "加入", "added", problems)
    for barcode in added:
        session.add(
            CollectionMember(collection_id=found.id, item_id=rows[barcode][0].id, added_at=now)
        )
    session.flush()
    return MembershipResult(found.code, added, already)


def remove_items(
    session: Session,
    *,
    collection: str,
    barcodes: Iterable[str],
    now: datetime | None = None,
    actor: str | None = None,
) -> MembershipResult:
    """Take items out of a collection. An item taken out at a station goes back to its home
    point (in transit, reason rotation); one on loan goes home when returned."""
    now = now or utcnow()
    found = collection_for_update(session, collection)
    wanted = _distinct(barcodes)
    if not wanted:
        raise InvalidRotationInput("没有给出册条码", "no barcodes were given")
    members = {item.barcode: (item, title) for item, title in _members(session, found)}
    removed: list[str] = []
    missing: list[str] = []
    sent_home: list[str] = []
    for barcode in wanted:
        if barcode not in members:
            missing.append(barcode)
            continue
        item, _title = members[barcode]
        session.execute(
            update(CollectionMember)
            .where(
                CollectionMember.item_id == item.id,
                CollectionMember.collection_id == found.id,
                CollectionMember.removed_at.is_(None),
            )
            .values(removed_at=now)
        )
        if item.stationed_point_id is not None:
            update_row(session, item, {"stationed_point_id": None}, label=item.barcode)
        if item.status is ItemStatus.AVAILABLE and item.current_point_id != item.owning_point_id:
            start_transit(
                session,
                item=item,
                from_point=point_by_id(session, item.current_point_id),
                to_point=point_by_id(session, item.owning_point_id),
                reason=TransitReason.ROTATION,
                now=now,
                actor=actor,
                note=f"移出流动书箱 {found.code}，送回原馆",
            )
            sent_home.append(barcode)
        removed.append(barcode)
    return MembershipResult(found.code, removed, missing, sent_home)


def _distinct(barcodes: Iterable[str]) -> list[str]:
    out: list[str] = []
    for barcode in barcodes:
        code = barcode.strip()
        if code and code not in out:
            out.append(code)
    return out


# --- moving a batch --------------------------------------------------------------------


def _destination(
    session: Session, collection: RotatingCollection, to: PointRef | None, after: int | None
) -> PointFacts:
    if to is not None:
        point = _point(session, to)
    else:
        if collection.plan_id is None:
            raise InvalidRotationInput(
                f"流动书箱 {collection.code} 没有轮换计划，请用 --to 指定站点",
                f"Collection {collection.code} follows no rotation plan: name a station with --to",
            )
        stops = list(
            session.scalars(
                select(RotationStop.point_id)
                .where(RotationStop.plan_id == collection.plan_id)
                .order_by(RotationStop.position)
            )
        )
        following = next_stop(stops, after)
        if following is None:
            raise InvalidRotationInput("轮换计划没有站点", "the rotation plan has no stations")
        point = point_by_id(session, following)
    if point.id == collection.home_point_id:
        raise InvalidRotationInput(
            f"{point.name}（{point.code}）是书箱的所属馆，送回所属馆请用 recall",
            f"{point.name} ({point.code}) is the collection's home: use recall to send it home",
        )
    if not (point.lends and point.active):
        raise InvalidRotationInput(
            f"{point.name}（{point.code}）不对外借阅，不能接收流动书箱",
            f"{point.name} ({point.code}) does not lend, so it cannot take a rotating collection",
        )
    return point


def _last_station(session: Session, collection: RotatingCollection) -> int | None:
    return session.scalar(
        select(CollectionStay.point_id)
        .where(CollectionStay.collection_id == collection.id)
        .order_by(CollectionStay.id.desc())
        .limit(1)
    )


def _move(
    session: Session,
    collection: RotatingCollection,
    *,
    origin: PointFacts,
    destination: PointFacts,
    going_home: bool,
    refuse_held_back: bool,
    now: datetime,
    actor: str | None,
) -> MoveResult:
    members = _members(session, collection)
    if not members:
        raise CollectionEmpty(collection.code)
    plan: list[tuple[Item, Disposition]] = []
    held_back: list[ItemProblem] = []
    for item, title in members:
        move = item_move(item.status, item.current_point_id, origin.id)
        if move.disposition is Disposition.HOLD_BACK:
            held_back.append(ItemProblem(item.barcode, title, move.why_zh, move.why_en))
        plan.append((item, move.disposition))
    if held_back and refuse_held_back:
        raise ItemsNotReady(collection.code, "发出", "sent", held_back)
    stationed = None if going_home else destination.id
    note = f"流动书箱 {collection.code}"
    sent: list[str] = []
    following: list[str] = []
    for item, disposition in plan:
        if item.stationed_point_id != stationed:
            update_row(session, item, {"stationed_point_id": stationed}, label=item.barcode)
        if disposition is Disposition.SEND:
            start_transit(
                session,
                item=item,
                from_point=origin,
                to_point=destination,
                reason=TransitReason.ROTATION,
                now=now,
                actor=actor,
                note=note,
            )
            sent.append(item.barcode)
        elif disposition is Disposition.FOLLOW:
            following.append(item.barcode)
    return MoveResult(
        collection.code, destination.code, destination.name, sent, following, held_back
    )


def send_collection(
    session: Session,
    *,
    collection: str,
    to: PointRef | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> MoveResult:
    """Send a collection from home to a station (``to``, or the next station of its plan).

    Every item on the shelf at home goes in transit (reason rotation); items out on
    loan are noted and follow the batch when returned. Any other item (elsewhere,
    in transit, damaged, missing …) stops the send, with the list of what to fix.
    """
    now = now or utcnow()
    found = collection_for_update(session, collection)
    if found.status is not CollectionStatus.AT_HOME:
        _wrong_state(
            found,
            "只能发出在馆的书箱；驻站的书箱请用 recall --next 送往下一站",
            "only a collection at home can be sent; recall --next moves one on from a station",
        )
    destination = _destination(session, found, to, _last_station(session, found))
    origin = point_by_id(session, found.home_point_id)
    result = _move(
        session,
        found,
        origin=origin,
        destination=destination,
        going_home=False,
        refuse_held_back=True,
        now=now,
        actor=actor,
    )
    _set_status(found, CollectionStatus.IN_TRANSIT, destination.id)
    session.add(
        CollectionStay(
            collection_id=found.id,
            point_id=destination.id,
            sent_at=now,
            items_sent=len(result.sent),
            items_following=len(result.following),
        )
    )
    session.flush()
    return result


def recall_collection(
    session: Session,
    *,
    collection: str,
    to_next: bool = False,
    to: PointRef | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> MoveResult:
    """Recall a collection from its station: home (the default), on to the next station of its
    plan (``to_next``), or on to station ``to``.

    Items on the station's shelf go in transit; items on loan follow when returned;
    items in any other state are listed and go where the batch went once they are
    dealt with (received, repaired, found).
    """
    now = now or utcnow()
    found = collection_for_update(session, collection)
    if found.status is not CollectionStatus.AT_STATION or found.station_point_id is None:
        _wrong_state(
            found,
            "只能召回驻站的书箱；在途的书箱请先在站点接收",
            "only a collection at a station can be recalled; receive it at the station first",
        )
    station = point_by_id(session, found.station_point_id)
    going_home = not to_next and (to is None or _point(session, to).id == found.home_point_id)
    if going_home:
        destination = point_by_id(session, found.home_point_id)
    else:
        destination = _destination(session, found, to, station.id)
        if destination.id == station.id:
            raise InvalidRotationInput(
                f"书箱已在 {station.name}（{station.code}）",
                f"the collection is already at {station.code}",
            )
    result = _move(
        session,
        found,
        origin=station,
        destination=destination,
        going_home=going_home,
        refuse_held_back=False,
        now=now,
        actor=actor,
    )
    stay = _current_stay(session, found)
    if stay is not None:
        stay.left_at = now
    if going_home:
        _set_status(found, CollectionStatus.RECALLED, None)
    else:
        _set_status(found, CollectionStatus.IN_TRANSIT, destination.id)
        session.add(
            CollectionStay(
                collection_id=found.id,
                point_id=destination.id,
                sent_at=now,
                items_sent=len(result.sent),
                items_following=len(result.following),
            )
        )
    session.flush()
    return result


_IN_TRANSIT_TO = (
    select(Item.barcode)
    .join(CollectionMember, CollectionMember.item_id == Item.id)
    .join(Transit, Transit.item_id == Item.id)
    .where(
        CollectionMember.collection_id == bindparam("collection_id"),
        CollectionMember.removed_at.is_(None),
        Transit.status == literal_column("'in_transit'"),
        Transit.to_point_id == bindparam("point_id"),
    )
    .order_by(Item.barcode)
)


def receive_collection(
    session: Session,
    *,
    collection: str,
    at: PointRef,
    barcodes: Iterable[str] | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> ReceiptResult:
    """Receive a collection where it is going: every item of it in transit to ``at`` (or only
    ``barcodes``) becomes available there.

    The first receipt at a station starts the stay (its due-back date is the plan's
    stay from today); items that arrive later are received the same way while the
    collection is there. A receipt at home ends the rotation. Items received one by
    one at the desk (``wenjin transit receive``) count as received already.
    """
    now = now or utcnow()
    found = collection_for_update(session, collection)
    here = _point(session, at)
    if found.status in (CollectionStatus.IN_TRANSIT, CollectionStatus.AT_STATION):
        expected_id = found.station_point_id  # at the station: stragglers of the batch
    elif found.status is CollectionStatus.RECALLED:
        expected_id = found.home_point_id
    else:
        _wrong_state(found, "没有在途的书箱可接收", "there is nothing on its way to receive")
    assert expected_id is not None
    if here.id != expected_id:
        raise WrongPointForCollection(found.code, here.code, point_by_id(session, expected_id).code)
    params = {"collection_id": found.id, "point_id": here.id}
    on_the_way = list(session.scalars(_IN_TRANSIT_TO, params))
    if barcodes is None:
        wanted = on_the_way
    else:
        wanted = _distinct(barcodes)
        strangers = [b for b in wanted if b not in on_the_way]
        if strangers:
            raise ItemsNotReady(
                found.code,
                "接收",
                "received",
                [
                    ItemProblem(
                        b,
                        None,
                        f"不是本书箱送往 {here.code} 的在途图书",
                        f"not on its way to {here.code} with this collection",
                    )
                    for b in strangers
                ],
            )
    received = [
        receive_transit(session, at=here, barcode=barcode, now=now, actor=actor)
        for barcode in wanted
    ]
    remaining = [b for b in on_the_way if b not in set(wanted)]
    if found.status is CollectionStatus.IN_TRANSIT:
        stay = _current_stay(session, found)
        if stay is not None and stay.arrived_at is None:
            stay.arrived_at = now
            stay.due_back_on = due_back_on(network_date(now), _stay_days(session, found))
        _set_status(found, CollectionStatus.AT_STATION, here.id)
    elif found.status is CollectionStatus.RECALLED:
        _set_status(found, CollectionStatus.AT_HOME, None)
    session.flush()
    return ReceiptResult(found.code, here.code, received, remaining, found.status)


def _stay_days(session: Session, collection: RotatingCollection) -> int:
    days = None
    if collection.plan_id is not None:
        days = session.scalar(
            select(RotationPlan.stay_days).where(RotationPlan.id == collection.plan_id)
        )
    return days or DEFAULT_STAY_DAYS[collection.kind]


def place_collection_at(
    session: Session,
    *,
    collection: str,
    station: PointRef,
    since: datetime,
) -> RotatingCollection:
    """Record that a collection resting at home is in fact already at ``station`` since ``since``
    (taken over from an older system, or built by the demo): its items must be there (on the
    shelf, on loan from there, or otherwise held there); nothing travels."""
    found = collection_for_update(session, collection)
    if found.status is not CollectionStatus.AT_HOME:
        _wrong_state(found, "只能登记在馆的书箱", "only a collection at home can be placed")
    point = _point(session, station)
    members = _members(session, found)
    if not members:
        raise CollectionEmpty(found.code)
    elsewhere = [
        ItemProblem(item.barcode, title, "不在该站点", f"not at {point.code}")
        for item, title in members
        if item.current_point_id != point.id
        or item.status in (ItemStatus.IN_TRANSIT, ItemStatus.WITHDRAWN)
    ]
    if elsewhere:
        raise ItemsNotReady(found.code, "登记驻站", "placed at the station", elsewhere)
    for item, _title in members:
        if item.stationed_point_id != point.id:
            update_row(session, item, {"stationed_point_id": point.id}, label=item.barcode)
    _set_status(found, CollectionStatus.AT_STATION, point.id)
    session.add(
        CollectionStay(
            collection_id=found.id,
            point_id=point.id,
            sent_at=None,
            arrived_at=since,
            due_back_on=due_back_on(network_date(since), _stay_days(session, found)),
            items_sent=len(members),
        )
    )
    session.flush()
    return found
