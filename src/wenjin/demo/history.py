"""A year of circulation for the demo, ending at the demo's today in a consistent state.

The report counts 54万 册次 lent in a year, 3.2万 of them at the 24-hour
self-service library. :func:`simulate_year` plays such a year day by day in
memory, for the demo's readers and the copies on the shelves;
:func:`wenjin.demo.history_rows.save_history` writes the result in bulk. The
year is the 365 days before the demo's today (the day its build started): so what the services see when the
demo opens is current, with loans out, some of them overdue, items on their way
home in the courier's box, and fines paid, waived or still owed.

The simulation follows the rules the services apply, from the same functions:

* a checkout takes the rule that applies (:func:`~wenjin.circulation.rules.resolve_rule`
  over the policy matrix, a lapsed 信易阅 reader as an ordinary adult) and is
  refused as a desk would refuse it: card expired or blocked by staff, deposit
  missing, more overdue items or unpaid fines than the rule allows, the limit
  reached; the due date falls on a day the lending point is open;
* a return elsewhere (通借通还) sends the item home in transit, or makes a
  floating item the returning point's; the courier takes it the next day and it
  is received at home after the route's travel days;
* a late return is fined by the open days of the lending point after the due
  date, capped (:func:`~wenjin.fees.rules.overdue_fine_fen`), except during the
  year's 特别还书日, whose fines are recorded waived; most fines are paid, a few
  waived by staff, some still owed; a handful of items are declared lost and
  their price and processing fee charged;
* every change is written to the circulation log as the services write it,
  with the actor ``demo``.

Only the clock stands apart: the same seed and the same today give the same year.
"""

from __future__ import annotations

import bisect
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from wenjin.catalog.models import BibRecord, Item, ItemType
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.policy import PolicySnapshot, policy_snapshot
from wenjin.circulation.rules import LoanContext, PolicyRule, fine_cap_fen, open_days_late
from wenjin.circulation.rules import resolve_rule as resolve_policy_rule
from wenjin.circulation.states import CirculationAction, LoanStatus, TransitReason, TransitStatus
from wenjin.demo.network import NEW_BUILDING, REPORT_VOLUMES, SELF_SERVICE
from wenjin.demo.patrons import (
    DemoPatron,
    PatronPlan,
    local_moment,
)
from wenjin.demo.scales import Scale
from wenjin.fees.errors import yuan
from wenjin.fees.rules import (
    RECEIPT_PREFIX,
    lost_item_charge,
    overdue_fine_fen,
    receipt_number,
    settled_status,
)
from wenjin.fees.states import FeeAction, FeeKind, FeeStatus, PaymentMethod
from wenjin.network.models import ServicePoint
from wenjin.network.queries import calendars_for, list_points, route_map
from wenjin.network.rules import OpeningCalendar
from wenjin.network.states import PointKind
from wenjin.patrons.models import PatronCategory
from wenjin.patrons.queries import network_date

REPORT_LOANS = 540_000  # 2020: 外借 54万册次
REPORT_SELF_SERVICE_LOANS = 32_000  # 24小时自助图书馆 3.2万册次
YEAR_DAYS = 365
AMNESTY_NAME = "世界读书日特别还书日"

# Reader behaviour. Shares of loans unless said otherwise.
LATE_SHARE = 0.10  # returned after the due date
LOST_SHARE = 0.002  # declared lost by the reader
RENEW_SHARE = 0.12
RETURN_ELSEWHERE_SHARE = 0.15  # 通借通还: returned at another point than the lending one
HOME_POINT_SHARE = 0.80  # of a reader's visits, at their home point
FINE_PAID_AT_ONCE = 0.72
FINE_PAID_LATER = 0.13
FINE_WAIVED = 0.05  # by staff; the rest stays owed
LOST_PAID = 0.8
INSTITUTION_BATCHES = (2, 4)  # 集体借阅 a year
BATCH_BOOKS = (10, 25)
WAIVER_REASONS = (
    "读者家庭困难，经馆长批准减免",
    "逾期因住院治疗，凭诊断证明减免",
    "系统故障期间逾期，统一减免",
    "新冠肺炎疫情期间闭馆顺延，减免滞纳金",
)
PAYMENT_METHODS = (PaymentMethod.WECHAT, PaymentMethod.CASH, PaymentMethod.ALIPAY, PaymentMethod.CARD)  # fmt: skip
PAYMENT_METHOD_WEIGHTS = (0.5, 0.28, 0.2, 0.02)


def loan_target(scale: Scale) -> int:
    """The report's loans of a year in the proportion of ``scale``'s volumes."""
    return max(200, round(REPORT_LOANS * scale.volumes / REPORT_VOLUMES))


# --- the simulation's own records ---------------------------------------------------


class _Item:
    __slots__ = (
        "bib_price",
        "changed_at",
        "current",
        "floating",
        "id",
        "owning",
        "price",
        "status",
        "type_id",
    )

    def __init__(
        self, item_id: int, owning: int, current: int, type_id: int, price: int | None,
        bib_price: int | None, floating: bool,
    ) -> None:  # fmt: skip
        self.id = item_id
        self.owning = owning
        self.current = current
        self.type_id = type_id
        self.price = price
        self.bib_price = bib_price
        self.floating = floating
        self.status = ItemStatus.AVAILABLE
        self.changed_at: datetime | None = None


class _Loan:
    __slots__ = (
        "card",
        "due",
        "fine",
        "id",
        "item",
        "max_fine",
        "out_at",
        "patron",
        "point",
        "renewals",
        "renewed_at",
        "return_point",
        "returned_at",
        "rule",
        "status",
        "status_at",
        "version",
    )

    def __init__(
        self, item: _Item, patron: _Reader, card: str, point: int, out_at: datetime, due: date,
        rule: PolicyRule,
    ) -> None:  # fmt: skip
        self.id = 0
        self.item = item
        self.patron = patron
        self.card = card
        self.point = point
        self.out_at = out_at
        self.due = due
        self.renewals = 0
        self.renewed_at: datetime | None = None
        self.returned_at: datetime | None = None
        self.return_point: int | None = None
        self.status = LoanStatus.OPEN
        self.status_at = out_at
        self.rule = rule
        self.max_fine = fine_cap_fen(rule, item.price)
        self.fine: int | None = None
        self.version = 1


class _Transit:
    __slots__ = ("created_at", "id", "item", "loan", "received_at", "sent_at", "source", "status", "target")  # fmt: skip

    def __init__(self, item: _Item, source: int, target: int, loan: _Loan, at: datetime) -> None:
        self.id = 0
        self.item = item
        self.source = source
        self.target = target
        self.loan = loan
        self.created_at = at
        self.sent_at: datetime | None = None
        self.received_at: datetime | None = None
        self.status = TransitStatus.IN_TRANSIT


class _Fee:
    __slots__ = (
        "amount",
        "created_at",
        "id",
        "item",
        "kind",
        "loan",
        "note",
        "paid",
        "parent",
        "patron",
        "point",
        "settled_at",
        "status",
        "waived",
    )

    def __init__(
        self, patron: _Reader, kind: FeeKind, amount: int, loan: _Loan, point: int, at: datetime,
        note: str, parent: _Fee | None = None,
    ) -> None:  # fmt: skip
        self.id = 0
        self.patron = patron
        self.kind = kind
        self.amount = amount
        self.paid = 0
        self.waived = 0
        self.loan = loan
        self.item = loan.item
        self.point = point
        self.parent = parent
        self.created_at = at
        self.settled_at: datetime | None = None
        self.note = note
        self.status = FeeStatus.OPEN

    @property
    def balance(self) -> int:
        return self.amount - self.paid - self.waived

    def money(self) -> dict[str, Any]:
        """What the fees services log of a fee (``fee_id`` is filled in when it is saved)."""
        return {
            "fee_id": self,
            "kind": self.kind.value,
            "status": self.status.value,
            "amount_fen": self.amount,
            "paid_fen": self.paid,
            "waived_fen": self.waived,
            "cancelled_fen": 0,
            "refunded_fen": 0,
            "balance_fen": self.balance,
        }


class _Window:
    """The year's amnesty window, named in log entries before it has an id."""

    id = 0


@dataclass
class _Payment:
    patron: _Reader
    amount: int
    method: PaymentMethod
    point: int
    at: datetime
    receipt: str
    id: int = 0


@dataclass
class _Waiver:
    fee: _Fee
    amount: int
    reason: str
    at: datetime
    point: int | None
    amnesty: bool


class _Reader:
    """A demo reader as the simulation tracks them."""

    __slots__ = (
        "bulk_point",
        "busy_until",
        "category_id",
        "credit_until",
        "fees",
        "home",
        "id",
        "open",
        "patron",
    )

    def __init__(self, patron: DemoPatron, category_id: int, home: int, bulk: int | None) -> None:
        self.patron = patron
        self.id = patron.id
        self.category_id = category_id
        self.credit_until = patron.credit_expires_on if patron.category == "CREDIT" else None
        self.home = home
        self.bulk_point = bulk
        self.open: list[_Loan] = []
        self.fees: list[_Fee] = []
        self.busy_until: datetime | None = None

    def outstanding(self) -> int:
        return sum(f.balance for f in self.fees if f.status is FeeStatus.OPEN)

    def overdue(self, day: date) -> int:
        return sum(1 for loan in self.open if loan.due < day)

    def may_borrow(self, day: date) -> bool:
        """The blocks that do not depend on the rule: membership, staff blocks, deposit."""
        patron = self.patron
        if day < patron.registered_on or day > patron.expires_on:
            return False
        block = patron.block
        if block is not None:
            since = _local(block.blocked_at)
            until = _local(block.lifted_at) if block.lifted_at else None
            if since <= day and (until is None or day < until):
                return False
        # A lapsed 信易阅 rating leaves a deposit to pay, which these readers have not.
        return self.credit_until is None or day <= self.credit_until


@dataclass
class _Event:
    at: datetime
    action: str
    point: int | None
    patron: _Reader | None
    item: _Item | None
    loan: _Loan | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class History:
    """The simulated year, ready to be saved."""

    first_day: date
    last_day: date
    amnesty_start: date
    amnesty_end: date
    items: list[_Item]
    loans: list[_Loan]
    transits: list[_Transit]
    fees: list[_Fee]
    payments: list[_Payment]
    allocations: list[tuple[_Payment, _Fee, int]]
    waivers: list[_Waiver]
    events: list[_Event]
    receipts: dict[date, int]
    window: _Window
    counts: Counter[str] = field(default_factory=Counter)


def _local(moment: datetime) -> date:
    return network_date(moment)


def _iso(moment: datetime | date) -> str:
    return moment.isoformat()


# --- the world the simulation reads --------------------------------------------------


@dataclass
class _World:
    points: dict[int, ServicePoint]
    by_code: dict[str, int]
    calendars: dict[int, OpeningCalendar]
    snapshot: PolicySnapshot
    categories: dict[str, int]
    pools: dict[int, list[_Item]]
    routes: Callable[[int, int], int]


def _load_world(session: Session, scale: Scale, loans: int, seed: int) -> _World:
    points_list = list_points(session)
    points = {p.id: p for p in points_list}
    calendars = calendars_for(session, points_list)
    snapshot = policy_snapshot(session)
    categories = dict(session.execute(select(PatronCategory.code, PatronCategory.id)).all())
    lending = {p.id for p in points_list if p.lends and p.active}
    # A year's loans reach a fraction of a large collection: the simulation draws from a
    # fixed sample of each shelf (by a hash of the id, so the same for the same catalogue).
    total_items = session.scalar(select(func.count(Item.id))) or 1
    keep_permille = min(1000, max(250, round(3000 * loans / total_items)))
    pools: dict[int, list[_Item]] = defaultdict(list)
    # Core, not ORM, rows: a medium catalogue is 300,000 items and a report one ten times more.
    rows = session.connection().execute(
        select(
            Item.id,
            Item.owning_point_id,
            Item.current_point_id,
            Item.item_type_id,
            Item.price_fen,
            BibRecord.price_fen,
            Item.floating,
        )
        .join(ItemType, ItemType.id == Item.item_type_id)
        .join(BibRecord, BibRecord.id == Item.bib_id)
        .where(Item.status == ItemStatus.AVAILABLE, ItemType.lendable.is_(True))
        .order_by(Item.id)
        .execution_options(stream_results=True, yield_per=20_000)
    )
    salt = seed * 7919
    for item_id, owning, current, type_id, price, bib_price, floating in rows:
        if current not in lending:
            continue
        if keep_permille < 1000 and ((item_id + salt) * 2654435761) % 1000 >= keep_permille:
            continue
        pools[current].append(
            _Item(item_id, owning, current, type_id, price, bib_price, bool(floating))
        )
    routes = route_map(session)
    distances: dict[int, dict[int, int]] = {}

    def travel(source: int, target: int) -> int:
        found = distances.get(source)
        if found is None:
            found = distances[source] = routes.distances_from(source)
        return found.get(target, 3)

    return _World(
        points=points,
        by_code={p.code: p.id for p in points_list},
        calendars=calendars,
        snapshot=snapshot,
        categories=categories,
        pools=pools,
        routes=travel,
    )


# --- the simulation ---------------------------------------------------------------------


class _Year:
    def __init__(
        self, world: _World, plan: PatronPlan, scale: Scale, seed: int, today: date
    ) -> None:
        self.world = world
        self.rng = random.Random(f"wenjin-demo-history:{seed}")
        self.last_day = today - timedelta(days=1)
        self.first_day = today - timedelta(days=YEAR_DAYS)
        self.target = loan_target(scale)
        self.amnesty_start, self.amnesty_end = _amnesty_days(self.first_day, self.last_day)
        self.self_service = world.by_code[SELF_SERVICE]
        self.new_building = world.by_code[NEW_BUILDING]
        self.branches = [p.id for p in world.points.values() if p.kind is PointKind.BRANCH]
        self.fallback_category = world.snapshot.fallback_category_id
        self.readers: list[_Reader] = []
        for patron in plan.patrons:
            home = world.by_code[patron.home_code]
            bulk = world.by_code[patron.bulk_point_code] if patron.bulk_point_code else None
            self.readers.append(_Reader(patron, world.categories[patron.category], home, bulk))
        self.items: dict[int, _Item] = {}
        self.loans: list[_Loan] = []
        self.transits: list[_Transit] = []
        self.fees: list[_Fee] = []
        self.payments: list[_Payment] = []
        self.allocations: list[tuple[_Payment, _Fee, int]] = []
        self.waivers: list[_Waiver] = []
        self.events: list[_Event] = []
        self.receipts: dict[date, int] = {}
        self.agenda: dict[date, list[tuple[int, str, Any]]] = defaultdict(list)
        self.shelve_tomorrow: list[tuple[int, _Item]] = []
        self.rules: dict[tuple[int, int, int], PolicyRule | None] = {}
        self.open_days: dict[int, dict[date, bool]] = defaultdict(dict)
        self.counts: Counter[str] = Counter()
        self.existing_receipts: dict[date, int] = {}
        self.window = _Window()

    # --- calendar and clock ---

    def is_open(self, point: int, day: date) -> bool:
        known = self.open_days[point].get(day)
        if known is None:
            known = self.open_days[point][day] = self.world.calendars[point].is_open(day)
        return known

    def next_open(self, point: int, day: date, limit: int = 120) -> date | None:
        """The first day on or after ``day`` the point is open (a school reopens after the
        summer holidays: up to ``limit`` days later)."""
        for offset in range(limit):
            candidate = day + timedelta(days=offset)
            if self.is_open(point, candidate):
                return candidate
        return None

    def moment(self, point: int, day: date, reader: _Reader | None = None) -> datetime:
        """A time on ``day`` within the point's hours, after the reader's last action."""
        periods = self.world.calendars[point].hours_on(day)
        if periods:
            period = self.rng.choice(periods)
            minute = self.rng.randrange(period.start, max(period.start + 1, period.end - 5))
        else:
            minute = self.rng.randrange(9 * 60, 17 * 60)
        at = local_moment(day, minute)
        if reader is not None:
            if reader.busy_until is not None and at <= reader.busy_until:
                at = reader.busy_until + timedelta(minutes=self.rng.randint(1, 4))
            reader.busy_until = at
        return at

    def plan(self, day: date, kind: str, what: Any, order: int = 5) -> None:
        if day <= self.last_day:
            self.agenda[day].append((order, kind, what))

    # --- rules ---

    def rule(self, point: int, reader: _Reader, type_id: int, day: date) -> PolicyRule | None:
        category = reader.category_id
        if reader.credit_until is not None and day > reader.credit_until:
            category = self.fallback_category or category
        key = (point, category, type_id)
        if key not in self.rules:
            kind = self.world.points[point].kind
            context = LoanContext(point, kind, category, type_id)
            self.rules[key] = resolve_policy_rule(self.world.snapshot.rules, context)
        return self.rules[key]

    def allowed(self, reader: _Reader, rule: PolicyRule, day: date) -> bool:
        if reader.overdue(day) > rule.max_overdue_items:
            return False
        if reader.outstanding() > rule.max_unpaid_fen:
            return False
        open_count = sum(1 for loan in reader.open if loan.status is LoanStatus.OPEN)
        return open_count < rule.max_items

    # --- logging ---

    def log(
        self,
        at: datetime,
        action: str,
        point: int | None,
        *,
        reader: _Reader | None = None,
        item: _Item | None = None,
        loan: _Loan | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(_Event(at, action, point, reader, item, loan, before, after))

    def set_item(self, item: _Item, at: datetime, status: ItemStatus, **values: int) -> None:
        self.items[item.id] = item
        if status is not item.status or status is not ItemStatus.AVAILABLE:
            item.status = status
            item.changed_at = at
        for name, value in values.items():
            setattr(item, name, value)

    # --- checkouts ---

    def take_from_shelf(self, point: int) -> _Item | None:
        pool = self.world.pools.get(point)
        if not pool:
            return None
        index = self.rng.randrange(len(pool))
        pool[index], pool[-1] = pool[-1], pool[index]
        return pool.pop()

    def checkout(self, reader: _Reader, point: int, day: date, at: datetime) -> _Loan | None:
        item = self.take_from_shelf(point)
        if item is None:
            return None
        rule = self.rule(point, reader, item.type_id, day)
        if rule is None or not rule.lendable or not self.allowed(reader, rule, day):
            self.world.pools[point].append(item)
            return None
        card = reader.patron.card_on(at)
        if card is None:
            self.world.pools[point].append(item)
            return None
        due = self.world.calendars[point].due_date(day, rule.loan_days)
        loan = _Loan(item, reader, card, point, at, due, rule)
        self.loans.append(loan)
        reader.open.append(loan)
        self.set_item(item, at, ItemStatus.ON_LOAN)
        self.log(
            at,
            CirculationAction.CHECKOUT,
            point,
            reader=reader,
            item=item,
            loan=loan,
            before={"item_status": ItemStatus.AVAILABLE.value},
            after={
                "item_status": ItemStatus.ON_LOAN.value,
                "card": card,
                "due_on": _iso(due),
                "rule_id": rule.id,
            },
        )
        self.counts["loans"] += 1
        if point == self.self_service:
            self.counts["self_service_loans"] += 1
        return loan

    def plan_loan(self, loan: _Loan, day: date, *, batch_return: date | None = None) -> None:
        """Decide what the reader will do with the loan: renew, return (when, where), lose it."""
        rng = self.rng
        if batch_return is not None:
            self.plan_return(loan, batch_return, loan.point)
            return
        roll = rng.random()
        if roll < LOST_SHARE:
            self.plan(loan.due + timedelta(days=rng.randint(15, 60)), "lose", loan, 4)
            return
        if roll < LOST_SHARE + RENEW_SHARE and loan.rule.renewals > 0:
            renew_on = max(day + timedelta(days=1), loan.due - timedelta(days=rng.randint(0, 7)))
            self.plan(renew_on, "renew", loan, 3)
            return
        self.plan_return(loan, self.return_day(loan, day), self.return_point(loan))

    def return_day(self, loan: _Loan, since: date) -> date:
        rng = self.rng
        if rng.random() < LATE_SHARE:
            late = loan.due + timedelta(days=min(120, int(rng.expovariate(1 / 15)) + 1))
            # 特别还书日 brings back many a forgotten book.
            if loan.due < self.amnesty_start <= late and rng.random() < 0.5:
                span = (self.amnesty_end - self.amnesty_start).days
                return self.amnesty_start + timedelta(days=rng.randint(0, span))
            return late
        earliest = since + timedelta(days=1)
        span = max(0, (loan.due - earliest).days)
        return earliest + timedelta(days=rng.randint(min(span, 2), span) if span else 0)

    def return_point(self, loan: _Loan) -> int:
        rng = self.rng
        if loan.point == self.self_service:
            return self.self_service if rng.random() < 0.9 else self.new_building
        if rng.random() >= RETURN_ELSEWHERE_SHARE:
            return loan.point
        reader = loan.patron
        choices = [self.new_building, self.self_service, reader.home, rng.choice(self.branches)]
        others = [p for p in choices if p != loan.point and self.world.points[p].lends]
        return rng.choice(others) if others else loan.point

    def plan_return(self, loan: _Loan, day: date, point: int) -> None:
        actual = self.next_open(point, day)
        if actual is None:
            point, actual = loan.point, self.next_open(loan.point, day)
        if actual is not None:
            self.plan(actual, "return", (loan, point), 2)

    # --- what happens on a day ---

    def renew(self, loan: _Loan, day: date) -> None:
        reader = loan.patron
        rule = loan.rule
        fits = (
            loan.status is LoanStatus.OPEN
            and day <= loan.due
            and loan.renewals < rule.renewals
            and reader.may_borrow(day)
            and reader.overdue(day) <= rule.max_overdue_items
            and reader.outstanding() <= rule.max_unpaid_fen
        )
        calendar = self.world.calendars[loan.point]
        new_due = max(calendar.due_date(day, rule.renewal_days), loan.due)
        if fits and new_due > loan.due:
            at = self.moment(loan.point, day, reader)
            previous = loan.due
            loan.due = new_due
            loan.renewals += 1
            loan.renewed_at = at
            loan.version += 1
            self.log(
                at,
                CirculationAction.RENEW,
                loan.point,
                reader=reader,
                item=loan.item,
                loan=loan,
                before={"due_on": _iso(previous), "renewals": loan.renewals - 1},
                after={"due_on": _iso(new_due), "renewals": loan.renewals},
            )
            self.counts["renewals"] += 1
        self.plan_return(loan, self.return_day(loan, day), self.return_point(loan))

    def give_back(self, loan: _Loan, here: int, day: date) -> None:
        if loan.status is not LoanStatus.OPEN:
            return
        reader = loan.patron
        item = loan.item
        at = self.moment(here, day, reader)
        before = {
            "loan_status": LoanStatus.OPEN.value,
            "item_status": item.status.value,
            "due_on": _iso(loan.due),
            "current_point_id": item.current,
        }
        days_late = 0
        if day > loan.due and loan.rule.fine_per_day_fen > 0:
            calendar = self.world.calendars[loan.point]
            days_late = open_days_late(calendar, loan.due, day)
        loan.status = LoanStatus.RETURNED
        loan.status_at = at
        loan.returned_at = at
        loan.return_point = here
        loan.fine = 0
        loan.version += 1
        reader.open.remove(loan)
        fine = overdue_fine_fen(
            days_late, per_day_fen=loan.rule.fine_per_day_fen, max_fen=loan.max_fine
        )
        if fine:
            self.charge_overdue(loan, here, day, at, days_late, fine)
        transit: _Transit | None = None
        if item.owning == here:
            self.set_item(item, at, ItemStatus.AVAILABLE, current=here)
            self.shelve_tomorrow.append((here, item))
        elif item.floating:
            previous = item.owning
            self.set_item(item, at, ItemStatus.AVAILABLE, owning=here, current=here)
            self.shelve_tomorrow.append((here, item))
            self.log(
                at,
                CirculationAction.FLOATED,
                here,
                item=item,
                loan=loan,
                before={"owning_point_id": previous},
                after={"owning_point_id": here},
            )
        else:
            transit = self.send_home(item, here, loan, at, day)
        self.log(
            at,
            CirculationAction.CHECKIN,
            here,
            reader=reader,
            item=item,
            loan=loan,
            before=before,
            after={
                "loan_status": LoanStatus.RETURNED.value,
                "item_status": item.status.value,
                "current_point_id": item.current,
                "open_days_late": days_late,
                "fine_fen": loan.fine,
                "transit_id": transit,
            },
        )
        self.counts["returns"] += 1
        if here != loan.point:
            self.counts["returned_elsewhere"] += 1

    def send_home(self, item: _Item, here: int, loan: _Loan, at: datetime, day: date) -> _Transit:
        home = item.owning
        before = {"item_status": item.status.value, "current_point_id": item.current}
        self.set_item(item, at, ItemStatus.IN_TRANSIT, current=home)
        transit = _Transit(item, here, home, loan, at)
        self.transits.append(transit)
        self.log(
            at,
            CirculationAction.TRANSIT_CREATED,
            here,
            item=item,
            loan=loan,
            before=before,
            after={
                "item_status": ItemStatus.IN_TRANSIT.value,
                "transit_id": transit,
                "to_point": self.world.points[home].code,
                "reason": TransitReason.RETURN_HOME.value,
            },
        )
        sent_on = day + timedelta(days=1)
        self.plan(sent_on, "send", transit, 0)
        arrival = self.next_open(
            home, sent_on + timedelta(days=max(0, self.world.routes(here, home) - 1))
        )
        if arrival is not None:
            self.plan(arrival, "receive", transit, 1)
        return transit

    def send(self, transit: _Transit, day: date) -> None:
        at = local_moment(day, self.rng.randrange(8 * 60, 9 * 60))
        transit.sent_at = at
        self.log(
            at,
            CirculationAction.TRANSIT_SENT,
            transit.source,
            item=transit.item,
            before={"transit_id": transit, "sent_at": None},
            after={"transit_id": transit, "sent_at": _iso(at)},
        )

    def receive(self, transit: _Transit, day: date) -> None:
        at = local_moment(day, self.rng.randrange(9 * 60 + 5, 10 * 60 + 30))
        if transit.sent_at is None or at <= transit.sent_at:
            at = (transit.sent_at or transit.created_at) + timedelta(hours=2)
        item = transit.item
        transit.status = TransitStatus.RECEIVED
        transit.received_at = at
        self.set_item(item, at, ItemStatus.AVAILABLE, current=transit.target)
        self.shelve_tomorrow.append((transit.target, item))
        self.log(
            at,
            CirculationAction.TRANSIT_RECEIVED,
            transit.target,
            item=item,
            loan=transit.loan,
            before={"item_status": ItemStatus.IN_TRANSIT.value, "transit_id": transit},
            after={"item_status": ItemStatus.AVAILABLE.value, "current_point_id": transit.target},
        )

    # --- money ---

    def charge_overdue(
        self, loan: _Loan, here: int, day: date, at: datetime, days_late: int, fine: int
    ) -> None:
        reader = loan.patron
        per_day, cap = loan.rule.fine_per_day_fen, loan.max_fine
        capped = "（已达上限）" if fine == cap and days_late * per_day > cap else ""
        note = (
            f"逾期{days_late}个开馆日 × {yuan(per_day)}/日，上限 {yuan(cap)}{capped}；"
            f"应还日期 {loan.due.isoformat()}，归还日期 {day.isoformat()}"
        )
        fee = _Fee(reader, FeeKind.OVERDUE, fine, loan, here, at, note)
        self.fees.append(fee)
        self.counts["fines"] += 1
        if self.amnesty_start <= day <= self.amnesty_end:
            fee.waived = fine
            fee.status = FeeStatus.WAIVED
            fee.settled_at = at
            self.waivers.append(_Waiver(fee, fine, f"特别还书日：{AMNESTY_NAME}", at, here, True))
            self.log(
                at,
                FeeAction.AMNESTY_WAIVED,
                here,
                reader=reader,
                item=loan.item,
                loan=loan,
                after={
                    **fee.money(),
                    "amnesty_window_id": self.window,
                    "amnesty_name": AMNESTY_NAME,
                },
            )
            self.counts["amnesty_waived"] += 1
            return
        reader.fees.append(fee)
        loan.fine = fine
        loan.version += 1
        self.log(
            at, FeeAction.CHARGED, here, reader=reader, item=loan.item, loan=loan, after=fee.money()
        )
        roll = self.rng.random()
        # The 24-hour library has no desk: its readers pay at the next visit to one.
        desk = here if self.world.points[here].kind is not PointKind.SELF_SERVICE else None
        if roll < FINE_PAID_AT_ONCE and desk is not None:
            self.pay(reader, desk, day)
        elif roll < FINE_PAID_AT_ONCE + FINE_PAID_LATER:
            self.plan(day + timedelta(days=self.rng.randint(1, 30)), "pay", reader, 6)
        elif roll < FINE_PAID_AT_ONCE + FINE_PAID_LATER + FINE_WAIVED:
            self.plan(day + timedelta(days=self.rng.randint(0, 10)), "waive", fee, 7)

    def pay(self, reader: _Reader, point: int, day: date) -> None:
        """缴费: the reader pays everything owed, oldest first (as pay_fees spreads it)."""
        owed = [f for f in reader.fees if f.status is FeeStatus.OPEN]
        if not owed:
            return
        if not self.is_open(point, day):
            point = self.new_building
        at = self.moment(point, day, reader)
        sequence = self.receipts.get(day, self.existing_receipts.get(day, 0)) + 1
        self.receipts[day] = sequence
        method = self.rng.choices(PAYMENT_METHODS, PAYMENT_METHOD_WEIGHTS)[0]
        payment = _Payment(
            reader,
            sum(f.balance for f in owed),
            method,
            point,
            at,
            receipt_number(RECEIPT_PREFIX, day, sequence),
        )
        self.payments.append(payment)
        for fee in owed:
            before = fee.money()
            share = fee.balance
            fee.paid += share
            fee.status = settled_status(fee.paid)
            fee.settled_at = at
            self.allocations.append((payment, fee, share))
            self.log(
                at,
                FeeAction.PAID,
                point,
                reader=reader,
                item=fee.item,
                loan=fee.loan,
                before=before,
                after={
                    **fee.money(),
                    "receipt_number": payment.receipt,
                    "payment_fen": share,
                    "method": method.value,
                },
            )
        reader.fees = [f for f in reader.fees if f.status is FeeStatus.OPEN]

    def waive(self, fee: _Fee, day: date) -> None:
        if fee.status is not FeeStatus.OPEN:
            return
        at = local_moment(day, self.rng.randrange(9 * 60, 17 * 60))
        reason = self.rng.choice(WAIVER_REASONS)
        before = fee.money()
        amount = fee.balance
        fee.waived += amount
        fee.status = settled_status(fee.paid)
        fee.settled_at = at
        self.waivers.append(_Waiver(fee, amount, reason, at, None, False))
        self.log(
            at,
            FeeAction.WAIVED,
            None,
            reader=fee.patron,
            item=fee.item,
            loan=fee.loan,
            before=before,
            after={**fee.money(), "waiver_fen": amount, "reason": reason},
        )
        fee.patron.fees = [f for f in fee.patron.fees if f.status is FeeStatus.OPEN]

    def lose(self, loan: _Loan, day: date) -> None:
        """读者报失: the reader says the book is gone; its price and processing fee are charged."""
        if loan.status is not LoanStatus.OPEN:
            return
        reader = loan.patron
        item = loan.item
        here = (
            loan.point
            if self.world.points[loan.point].kind is not PointKind.SELF_SERVICE
            else self.new_building
        )
        if not self.is_open(here, day):
            here = self.new_building
        at = self.moment(here, day, reader)
        before = {"loan_status": loan.status.value, "item_status": item.status.value}
        loan.status = LoanStatus.LOST
        loan.status_at = at
        loan.version += 1
        reader.open.remove(loan)
        self.set_item(item, at, ItemStatus.LOST)
        charge = lost_item_charge(item.price, item.bib_price)
        price = _Fee(
            reader,
            FeeKind.LOST_ITEM,
            charge.price_fen,
            loan,
            here,
            at,
            f"lost:{charge.price_note_zh}",
        )
        processing = _Fee(
            reader, FeeKind.PROCESSING, charge.processing_fen, loan, here, at, "processing", price
        )
        for fee in (price, processing):
            self.fees.append(fee)
            reader.fees.append(fee)
            self.log(
                at, FeeAction.CHARGED, here, reader=reader, item=item, loan=loan, after=fee.money()
            )
        self.log(
            at,
            CirculationAction.DECLARED_LOST,
            here,
            reader=reader,
            item=item,
            loan=loan,
            before=before,
            after={
                "loan_status": LoanStatus.LOST.value,
                "item_status": ItemStatus.LOST.value,
                "fee_id": price,
                "charged_fen": price.amount + processing.amount,
            },
        )
        self.counts["lost"] += 1
        if self.rng.random() < LOST_PAID:
            self.pay(reader, here, day)

    # --- the year ---

    def day_weight(self, day: date) -> float:
        weight = 1.3 if day.isoweekday() >= 6 else 1.0
        if day.month in (7, 8):
            weight *= 1.25  # 暑期: children and students read most
        if (day.month, day.day) >= (1, 20) and (day.month, day.day) <= (2, 20):
            weight *= 0.7
        if day.month == 4 and 20 <= day.day <= 26:
            weight *= 1.2  # 世界读书日
        return weight

    def institution_batches(self) -> int:
        """Plan the bulk loans of classes and village rooms; returns the loans expected."""
        expected = 0
        for reader in self.readers:
            if reader.bulk_point is None:
                continue
            count = self.rng.randint(*INSTITUTION_BATCHES)
            gap = YEAR_DAYS // count
            for n in range(count):
                day = self.first_day + timedelta(days=n * gap + self.rng.randint(0, 20))
                self.plan(day, "batch", reader, 8)
                expected += sum(BATCH_BOOKS) // 2
        return expected

    def batch(self, reader: _Reader, day: date) -> None:
        point = reader.bulk_point
        assert point is not None
        open_day = self.next_open(point, day)
        if open_day is None or open_day != day:
            if open_day is not None:
                self.plan(open_day, "batch", reader, 8)
            return
        if not reader.may_borrow(day):
            return
        at = self.moment(point, day, reader)
        loans = [
            loan
            for _ in range(self.rng.randint(*BATCH_BOOKS))
            if (loan := self.checkout(reader, point, day, at)) is not None
        ]
        if not loans:
            return
        due = min(loan.due for loan in loans)
        back = due - timedelta(days=self.rng.randint(0, 20))
        if self.rng.random() < 0.05:
            back = due + timedelta(days=self.rng.randint(1, 15))
        for loan in loans:
            self.plan_loan(loan, day, batch_return=max(back, day + timedelta(days=1)))

    def visit(self, reader: _Reader, day: date) -> int:
        rng = self.rng
        roll = rng.random()
        self_service_share = REPORT_SELF_SERVICE_LOANS / REPORT_LOANS
        if roll < self_service_share:
            point = self.self_service
        elif roll < self_service_share + HOME_POINT_SHARE:
            point = reader.home
        else:
            point = self.new_building if rng.random() < 0.6 else rng.choice(self.branches)
        if not self.world.points[point].lends or not self.is_open(point, day):
            return 0
        if not reader.may_borrow(day):
            return 0
        wanted = 1 + (rng.random() < 0.45) + (rng.random() < 0.2)
        at = self.moment(point, day, reader)
        made = 0
        for _ in range(wanted):
            loan = self.checkout(reader, point, day, at)
            if loan is None:
                break
            self.plan_loan(loan, day)
            made += 1
        return made

    def run(self, on_day: Callable[[int], None] | None = None) -> History:
        rng = self.rng
        individuals = [r for r in self.readers if r.bulk_point is None]
        activity = [
            rng.lognormvariate(0, 1.1) * (1.6 if r.patron.category in ("CHILD", "STUDENT") else 1.0)
            for r in individuals
        ]
        cumulative: list[float] = []
        running = 0.0
        for weight in activity:
            running += weight
            cumulative.append(running)
        bulk_expected = self.institution_batches()
        days = [self.first_day + timedelta(days=n) for n in range(YEAR_DAYS)]
        weights = [self.day_weight(day) for day in days]
        per_weight = max(0, self.target - bulk_expected) / sum(weights)
        handlers: dict[str, Callable[[Any, date], None]] = {
            "send": self.send,
            "receive": self.receive,
            "return": lambda what, day: self.give_back(what[0], what[1], day),
            "renew": self.renew,
            "lose": self.lose,
            "pay": lambda reader, day: self.pay(reader, reader.home, day),
            "waive": self.waive,
            "batch": self.batch,
        }
        for number, (day, weight) in enumerate(zip(days, weights, strict=True)):
            for point, item in self.shelve_tomorrow:
                self.world.pools[point].append(item)
            self.shelve_tomorrow = []
            for _order, kind, what in sorted(self.agenda.pop(day, []), key=lambda a: a[0]):
                handlers[kind](what, day)
            target = round(per_weight * weight + rng.random() - 0.5)
            made = attempts = 0
            while made < target and attempts < target * 6 and individuals:
                attempts += 1
                reader = individuals[bisect.bisect(cumulative, rng.random() * running)]
                made += self.visit(reader, day)
            if on_day is not None:
                on_day(number + 1)
        for point, item in self.shelve_tomorrow:
            self.world.pools[point].append(item)
        self.events.sort(key=lambda e: e.at)
        return History(
            first_day=self.first_day,
            last_day=self.last_day,
            amnesty_start=self.amnesty_start,
            amnesty_end=self.amnesty_end,
            items=list(self.items.values()),
            loans=self.loans,
            transits=self.transits,
            fees=self.fees,
            payments=self.payments,
            allocations=self.allocations,
            waivers=self.waivers,
            events=self.events,
            receipts=self.receipts,
            window=self.window,
            counts=self.counts,
        )


def _amnesty_days(first: date, last: date) -> tuple[date, date]:
    """The year's 特别还书日: the week from World Book Day (23 April), inside the year."""
    for year in (last.year, first.year):
        start = date(year, 4, 23)
        if first + timedelta(days=30) <= start <= last - timedelta(days=7):
            return start, start + timedelta(days=6)
    start = first + timedelta(days=YEAR_DAYS // 2)
    return start, start + timedelta(days=6)


def simulate_year(
    session: Session,
    plan: PatronPlan,
    *,
    scale: Scale,
    seed: int,
    today: date,
    on_day: Callable[[int], None] | None = None,
) -> History:
    """Play the year before ``today`` for the readers of ``plan`` (already saved: their ids
    are set) over the demo's catalogue, as it stands in the database of ``session``."""
    world = _load_world(session, scale, loan_target(scale), seed)
    year = _Year(world, plan, scale, seed, today)
    year.existing_receipts = {
        as_date(day): number
        for day, number in session.execute(
            text("SELECT day, last_number FROM receipt_counters WHERE prefix = :prefix"),
            {"prefix": RECEIPT_PREFIX},
        )
    }
    return year.run(on_day)


def as_date(value: date | str) -> date:
    """A date column as the driver returns it (SQLite: text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
