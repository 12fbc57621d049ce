"""Targeting (选定副本): choosing the copy to fetch for waiting holds, one or all at once.

:class:`Targeter` loads, for a set of records, their copies, the copies already chosen
and the readers' policy categories in bulk, then judges and ranks copies in memory with
:mod:`wenjin.holds.rules`. :func:`target_hold` serves one hold (placing, resuming,
retargeting); :func:`target_all_waiting` serves every waiting hold of the network in one
pass, with no query per hold.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.catalog.models import Item, ItemType
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.policy import PolicySnapshot, policy_snapshot
from wenjin.circulation.rules import LoanContext, PolicyRule, policy_category_id, resolve_rule
from wenjin.circulation.writes import update_row
from wenjin.config import get_settings
from wenjin.db.types import utcnow
from wenjin.holds import rules
from wenjin.holds.models import Hold
from wenjin.holds.network import NetworkView, network_view
from wenjin.holds.rules import CopyFacts, PointLoad, Rejection
from wenjin.holds.states import ACTIVE_HOLD_STATUSES, HoldStatus, check_hold_transition
from wenjin.patrons.models import Patron, PatronCategory
from wenjin.patrons.queries import network_date
from wenjin.patrons.rules import CreditStatus, credit_status

_ACTIVE = tuple(s.value for s in ACTIVE_HOLD_STATUSES)
_CHUNK = 500


@dataclass
class TargetingSummary:
    holds: int = 0  # waiting, unsuspended holds looked at
    kept: int = 0  # their chosen copy is still good
    targeted: int = 0  # a copy was chosen (newly or again)
    without_copy: int = 0  # no copy can fill them now
    released: int = 0  # their chosen copy is gone and nothing replaced it
    records: int = 0
    copies_considered: int = 0
    seconds: float = 0.0


def change_hold(
    session: Session, hold: Hold, now: datetime, *, status: HoldStatus | None = None, **values: Any
) -> None:
    """Write a hold's new status (checked against the transition table) and other columns."""
    if status is not None and status is not hold.status:
        check_hold_transition(hold.status, status)
        values |= {"status": status, "status_changed_at": now}
    if values:
        update_row(session, hold, values, label=f"#{hold.id}")


# --- who may hold what ---------------------------------------------------------------------


@dataclass(frozen=True)
class _CreditFacts:
    credit_source: str | None
    credit_verified_on: date | None
    credit_expires_on: date | None


def policy_categories(
    session: Session, patron_ids: Iterable[int], *, today: date, snapshot: PolicySnapshot
) -> dict[int, int]:
    """The category whose rules each reader borrows under (a lapsed 信易阅 reader: ADULT)."""
    ids = sorted(set(patron_ids))
    found: dict[int, int] = {}
    stmt = (
        select(
            Patron.id,
            Patron.category_id,
            PatronCategory.credit_based,
            Patron.credit_source,
            Patron.credit_verified_on,
            Patron.credit_expires_on,
        )
        .join(PatronCategory, PatronCategory.id == Patron.category_id)
        .where(Patron.id.in_(bindparam("ids", expanding=True)))
    )
    for start in range(0, len(ids), _CHUNK):
        for pid, category_id, credit_based, source, verified, expires in session.execute(
            stmt, {"ids": ids[start : start + _CHUNK]}
        ):
            valid = credit_status(_CreditFacts(source, verified, expires), today)
            found[pid] = policy_category_id(
                category_id,
                credit_based=credit_based,
                credit_valid=valid is CreditStatus.VALID,
                fallback_category_id=snapshot.fallback_category_id,
            )
    return found


# --- targeting ------------------------------------------------------------------------------


_COPIES = (
    select(
        Item.id,
        Item.barcode,
        Item.bib_id,
        Item.status,
        Item.current_point_id,
        Item.owning_point_id,
        Item.item_type_id,
        ItemType.lendable,
        Item.call_number,
        Item.location,
    )
    .join(ItemType, ItemType.id == Item.item_type_id)
    .where(Item.bib_id.in_(bindparam("bib_ids", expanding=True)))
)
_AVAILABLE_COPIES = _COPIES.where(Item.status == ItemStatus.AVAILABLE)
_TAKEN = select(Hold.targeted_item_id, Hold.id).where(
    Hold.bib_id.in_(bindparam("bib_ids", expanding=True)),
    Hold.status.in_(_ACTIVE),
    Hold.targeted_item_id.is_not(None),
)


def _copy(row: Any) -> CopyFacts:
    return CopyFacts(
        item_id=row.id,
        barcode=row.barcode,
        bib_id=row.bib_id,
        status=ItemStatus(row.status),
        point_id=row.current_point_id,
        owning_point_id=row.owning_point_id,
        item_type_id=row.item_type_id,
        type_lendable=row.lendable,
        call_number=row.call_number,
        location=row.location,
    )


@dataclass(frozen=True)
class HoldToTarget:
    """A hold as targeting reads it (``hold_id`` 0: a hold about to be placed)."""

    hold_id: int
    bib_id: int
    item_id: int | None
    pickup_point_id: int
    patron_id: int
    targeted_item_id: int | None


@dataclass(frozen=True)
class CopyVerdict:
    """One copy as targeting judged it for one hold: rejected (and why) or ranked."""

    copy: CopyFacts
    rejection: Rejection | None
    rank: tuple[int, int, int, int, str] | None
    load: PointLoad


@dataclass
class Targeter:
    """Chooses copies for holds over one set of records, loaded in bulk: the copies on the
    shelf, the copies already chosen, the readers' policy categories."""

    session: Session
    today: date
    snapshot: PolicySnapshot
    network: NetworkView
    open_today: frozenset[int]
    copies: dict[int, list[CopyFacts]] = field(default_factory=dict)
    taken: dict[int, int] = field(default_factory=dict)  # item id → hold id
    categories: dict[int, int] = field(default_factory=dict)  # patron id → policy category
    given_today: Counter[int] = field(default_factory=Counter)  # point id → copies chosen
    _rules: dict[tuple[int, int | None, int], PolicyRule | None] = field(default_factory=dict)

    @classmethod
    def start(cls, session: Session, today: date) -> Targeter:
        network = network_view(session)
        return cls(
            session=session,
            today=today,
            snapshot=policy_snapshot(session),
            network=network,
            open_today=network.open_on(session, today),
        )

    def load(
        self, bib_ids: Sequence[int], patron_ids: Iterable[int], *, every_copy: bool = False
    ) -> None:
        ids = sorted(set(bib_ids) - set(self.copies))
        statement = _COPIES if every_copy else _AVAILABLE_COPIES
        for bib in ids:
            self.copies[bib] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            connection = self.session.connection()
            for row in connection.execute(statement, {"bib_ids": chunk}):
                self.copies[row.bib_id].append(_copy(row))
            for item_id, hold_id in connection.execute(_TAKEN, {"bib_ids": chunk}):
                if item_id is not None:
                    self.taken[item_id] = hold_id
        missing = set(patron_ids) - set(self.categories)
        if missing:
            self.categories.update(
                policy_categories(self.session, missing, today=self.today, snapshot=self.snapshot)
            )

    def rule(self, category_id: int, copy: CopyFacts) -> PolicyRule | None:
        """The rule for the reader's category and the copy's type at the copy's owning point."""
        key = (category_id, copy.item_type_id, copy.owning_point_id)
        if key not in self._rules:
            owner = self.network.points[copy.owning_point_id]
            self._rules[key] = resolve_rule(
                self.snapshot.rules,
                LoanContext(
                    point_id=owner.id,
                    point_kind=owner.kind,
                    category_id=category_id,
                    item_type_id=copy.item_type_id,
                ),
            )
        return self._rules[key]

    def verdicts(self, hold: HoldToTarget) -> list[CopyVerdict]:
        """Every loaded copy of the hold's record, judged; the ranked ones best first."""
        category = self.categories.get(hold.patron_id)
        judged: list[tuple[CopyFacts, Rejection | None]] = []
        for copy in self.copies.get(hold.bib_id, ()):
            taken_by = self.taken.get(copy.item_id)
            point = self.network.points.get(copy.point_id)
            rejection = rules.copy_rejection(
                copy,
                targeted_for_another=taken_by is not None and taken_by != hold.hold_id,
                point_active=point is not None and point.active,
                point_open_today=copy.point_id in self.open_today,
                rule=self.rule(category, copy) if category is not None else None,
                held_item_id=hold.item_id,
            )
            judged.append((copy, rejection))
        left: Counter[int] = Counter(c.point_id for c, r in judged if r is None)
        days = self.network.days_to(hold.pickup_point_id)
        loads = {
            point: PointLoad(available_left=left[point], targeted_today=self.given_today[point])
            for point in {c.point_id for c, _ in judged}
        }
        verdicts = [
            CopyVerdict(
                copy=copy,
                rejection=rejection,
                rank=None
                if rejection is not None
                else rules.rank_key(
                    copy, pickup_point_id=hold.pickup_point_id, travel_days=days, load=loads
                ),
                load=loads[copy.point_id],
            )
            for copy, rejection in judged
        ]
        ranked = sorted((v for v in verdicts if v.rank is not None), key=lambda v: v.rank or ())
        return ranked + [v for v in verdicts if v.rank is None]

    def choose(self, hold: HoldToTarget) -> CopyFacts | None:
        verdicts = self.verdicts(hold)
        if not verdicts or verdicts[0].rank is None:
            return None
        return verdicts[0].copy

    def give(self, hold: HoldToTarget, copy: CopyFacts) -> None:
        if (
            hold.targeted_item_id is not None
            and self.taken.get(hold.targeted_item_id) == hold.hold_id
        ):
            del self.taken[hold.targeted_item_id]
        self.taken[copy.item_id] = hold.hold_id
        self.given_today[copy.point_id] += 1

    def release(self, hold: HoldToTarget) -> None:
        if (
            hold.targeted_item_id is not None
            and self.taken.get(hold.targeted_item_id) == hold.hold_id
        ):
            del self.taken[hold.targeted_item_id]


def hold_to_target(hold: Hold) -> HoldToTarget:
    return HoldToTarget(
        hold_id=hold.id,
        bib_id=hold.bib_id,
        item_id=hold.item_id,
        pickup_point_id=hold.pickup_point_id,
        patron_id=hold.patron_id,
        targeted_item_id=hold.targeted_item_id,
    )


def target_hold(
    session: Session,
    *,
    hold: Hold,
    now: datetime | None = None,
    exclude: frozenset[int] = frozenset(),
) -> CopyFacts | None:
    """Choose the copy to fetch for one waiting hold (or none, when no copy can fill it now).

    A copy in ``exclude`` is never chosen (the one just found missing). The choice is
    written at once; if another hold took the same copy in a concurrent transaction, the
    hold is left untargeted and the next targeting run tries again.
    """
    now = now or utcnow()
    today = network_date(now)
    if hold.status is not HoldStatus.WAITING or rules.is_suspended(hold.suspended_until, today):
        return None
    targeter = Targeter.start(session, today)
    wanted = hold_to_target(hold)
    targeter.load([hold.bib_id], [hold.patron_id])
    targeter.copies[hold.bib_id] = [
        c for c in targeter.copies[hold.bib_id] if c.item_id not in exclude
    ]
    chosen = targeter.choose(wanted)
    new_id = chosen.item_id if chosen else None
    if new_id == hold.targeted_item_id:
        return chosen
    try:
        with session.begin_nested():
            change_hold(
                session,
                hold,
                now,
                targeted_item_id=new_id,
                targeted_at=now if new_id is not None else None,
            )
    except IntegrityError:  # another transaction chose the same copy first
        session.refresh(hold)
        return None
    return chosen


def target_all_waiting(
    session: Session, *, now: datetime | None = None, retarget_all: bool = False
) -> TargetingSummary:
    """Choose a copy for every waiting, unsuspended hold, earliest placed first.

    Loads in bulk: the holds (one query), then per chunk of records their copies on the
    shelf and the copies already chosen, and the readers' policy categories; chooses in
    memory; writes with two multi-row UPDATEs (releases first, so that a copy moving from
    one hold to another never meets the unique index twice). A hold keeps a chosen copy
    that is still good unless ``retarget_all``.
    """
    started = time.perf_counter()
    now = now or utcnow()
    today = network_date(now)
    summary = TargetingSummary()
    rows = session.execute(
        select(
            Hold.id,
            Hold.bib_id,
            Hold.item_id,
            Hold.pickup_point_id,
            Hold.patron_id,
            Hold.targeted_item_id,
        )
        .where(
            Hold.status == HoldStatus.WAITING,
            (Hold.suspended_until.is_(None)) | (Hold.suspended_until <= today),
        )
        .order_by(Hold.placed_at, Hold.id)
    ).all()
    holds = [HoldToTarget(*row) for row in rows]
    summary.holds = len(holds)
    if not holds:
        summary.seconds = time.perf_counter() - started
        return summary
    targeter = Targeter.start(session, today)
    bib_ids = sorted({h.bib_id for h in holds})
    targeter.load(bib_ids, (h.patron_id for h in holds))
    summary.records = len(bib_ids)
    summary.copies_considered = sum(len(c) for c in targeter.copies.values())
    targeter.given_today.update(_given_today(session, today))

    releases: list[dict[str, Any]] = []
    choices: list[dict[str, Any]] = []
    if retarget_all:
        for hold in holds:
            targeter.release(hold)
    for hold in holds:
        if not retarget_all and hold.targeted_item_id is not None:
            current = next(
                (c for c in targeter.copies[hold.bib_id] if c.item_id == hold.targeted_item_id),
                None,
            )
            if current is not None and targeter.taken.get(current.item_id) == hold.hold_id:
                verdicts = targeter.verdicts(hold)
                if any(v.copy.item_id == current.item_id and v.rank for v in verdicts):
                    summary.kept += 1
                    continue
            targeter.release(hold)
        chosen = targeter.choose(hold)
        if chosen is None:
            summary.without_copy += 1
            if hold.targeted_item_id is not None:
                releases.append({"hold_id": hold.hold_id})
                summary.released += 1
            continue
        if chosen.item_id == hold.targeted_item_id:
            summary.kept += 1
            targeter.taken[chosen.item_id] = hold.hold_id
            continue
        targeter.give(hold, chosen)
        if hold.targeted_item_id is not None:
            releases.append({"hold_id": hold.hold_id})
        choices.append({"hold_id": hold.hold_id, "b_item": chosen.item_id})
        summary.targeted += 1
    connection = session.connection()
    if releases:
        connection.execute(_RELEASE, [{**r, "now": now} for r in releases])
    if choices:
        connection.execute(_CHOOSE, [{**c, "now": now} for c in choices])
    session.expire_all()
    summary.seconds = time.perf_counter() - started
    return summary


_RELEASE = (
    update(Hold)
    .where(Hold.id == bindparam("hold_id"), Hold.status == HoldStatus.WAITING)
    .values(targeted_item_id=None, targeted_at=None, version=Hold.version + 1)
    .execution_options(synchronize_session=False)
)
_CHOOSE = (
    update(Hold)
    .where(Hold.id == bindparam("hold_id"), Hold.status == HoldStatus.WAITING)
    .values(
        targeted_item_id=bindparam("b_item"),
        targeted_at=bindparam("now"),
        version=Hold.version + 1,
    )
    .execution_options(synchronize_session=False)
)


def _given_today(session: Session, today: date) -> dict[int, int]:
    """Copies each point has given to holds today (chosen today and still chosen)."""
    since = _start_of(today)
    return dict(
        session.execute(
            select(Item.current_point_id, func.count(Hold.id))
            .join(Item, Item.id == Hold.targeted_item_id)
            .where(Hold.status.in_(_ACTIVE), Hold.targeted_at >= since)
            .group_by(Item.current_point_id)
        ).all()
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=get_settings().tz)
