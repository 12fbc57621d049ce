"""The demo's readers: the report's 13.5万 card holders, scaled with the collection.

    plan = generate_patrons(network, scale=SCALES["small"], seed=2020, today=date(2026, 11, 24))
    plan.patrons        # DemoPatron values, in a fixed order
    save_patrons(session, plan.patrons, pin_hash=hash_pin(DEMO_PIN))

Individual readers get a realistic name, a resident ID number that passes the
check digit (born where and when their category says: mostly 诸城 370782,
children 3–13, seniors 60 and over), a mobile number, a home point where such
people live and a card number printed in the series of that kind of point
(``ZC1…`` the central library, ``ZC2…`` town branches …). Classes of the school
libraries and the village reading rooms are institutional borrowers (集体读者).

Around them, what a real register holds: deposits paid by the categories that
pay one, 信易阅 readers rated by the city's credit platform instead (a few of
whose ratings lapsed), expired cards, lost cards replaced by a new number (the
old one kept, blocked), manual blocks with their reasons, readers who switched
their history off.

Rows are stored as the patrons services store them: the ID number only as its
keyed hash and masked form (:mod:`wenjin.patrons.identity`), the PIN as an
Argon2 hash. The same seed and ``today`` give the same readers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import ric

from wenjin.catalog.bulk import DbValues, allocate_ids, bulk_insert
from wenjin.config import get_settings
from wenjin.demo.names import GIVEN_NAME_CHARACTERS, SCHOOLS, STATIONS, SURNAME_WEIGHTS, SURNAMES
from wenjin.demo.network import NEW_BUILDING, OLD_BUILDING, REPORT_VOLUMES, DemoNetwork, Shelf
from wenjin.demo.scales import Scale
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.identity import id_hash, mask_id_number
from wenjin.patrons.models import PatronCard, PatronCategory
from wenjin.patrons.rules import add_years
from wenjin.patrons.states import CardStatus, DepositMethod, Gender, PatronStatus

REPORT_PATRONS = 135_000  # 一卡通持卡读者 13.5万
DEMO_ACTOR = "demo"
# Every demo reader's PIN (documented in the README): readers log in to the OPAC with it.
DEMO_PIN = "123456"

# Shares of the individual readers. 信易阅 grew markedly in 2020; the preferential
# policy for medical staff and firefighters was introduced that year.
CATEGORY_SHARES: dict[str, float] = {
    "ADULT": 0.49,
    "CHILD": 0.16,
    "STUDENT": 0.14,
    "SENIOR": 0.08,
    "CREDIT": 0.095,
    "MEDICAL": 0.03,
    "FIREFIGHTER": 0.005,
}
STAFF_AT_REPORT_SCALE = 80
CLASSES_PER_SCHOOL = 30  # at report scale; one institutional card per class

# Ages (周岁) on the demo's today, by category.
AGES: dict[str, tuple[int, int]] = {
    "ADULT": (18, 59),
    "CHILD": (4, 13),
    "STUDENT": (13, 22),
    "SENIOR": (60, 86),
    "CREDIT": (22, 62),
    "MEDICAL": (23, 58),
    "FIREFIGHTER": (20, 42),
    "STAFF": (23, 58),
}

# Where readers of a category live, as shares of kinds of home point. "school:…"
# picks among schools of those levels; "station:…" among stations of those hosts.
HOMES: dict[str, tuple[tuple[str, float], ...]] = {
    "ADULT": (("new", 0.40), ("old", 0.12), ("branch", 0.30), ("village", 0.12), ("station:community,enterprise", 0.06)),
    "CHILD": (("new", 0.35), ("branch", 0.20), ("school:primary", 0.35), ("village", 0.10)),
    "STUDENT": (("school:junior,senior", 0.55), ("new", 0.30), ("branch", 0.15)),
    "SENIOR": (("old", 0.25), ("new", 0.20), ("branch", 0.25), ("village", 0.20), ("station:care_home,community", 0.10)),
    "CREDIT": (("new", 0.60), ("old", 0.10), ("branch", 0.30)),
    "MEDICAL": (("new", 0.50), ("station:hospital", 0.50)),
    "FIREFIGHTER": (("station:barracks", 0.60), ("new", 0.40)),
    "STAFF": (("new", 0.80), ("old", 0.20)),
}  # fmt: skip

# One card-number series per kind of home point: ZC + 8 digits, the first the series.
CARD_SERIES: dict[PointKind, int] = {
    PointKind.BUILDING: 1,
    PointKind.BRANCH: 2,
    PointKind.SCHOOL: 3,
    PointKind.VILLAGE: 4,
    PointKind.STATION: 5,
}
INSTITUTION_SERIES = 9

# Most readers were born in Zhucheng; the rest in the rest of Weifang and beyond.
HOME_AREA = "370782"  # 诸城市
OTHER_AREAS = ("370702", "370703", "370781", "370784", "370785", "370724", "370102", "370202")
MOBILE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)] + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + [f"18{d}" for d in range(10)]
)  # fmt: skip

CREDIT_SOURCES = ("信用诸城（诸城市公共信用信息平台）", "潍坊市公共信用信息平台")
BLOCK_REASONS = (
    "多次逾期不还，经劝告仍不归还，暂停借阅一个月",
    "损坏图书（水渍、撕页）未按规定赔偿",
    "冒用他人读者证借书",
    "在馆内大声喧哗、不听劝阻，暂停借阅",
    "归还图书夹带他馆图书，待核实",
)
LIFT_REASON = "已归还并赔偿，恢复借阅"
DEPOSIT_METHODS = (DepositMethod.WECHAT, DepositMethod.CASH, DepositMethod.ALIPAY, DepositMethod.BANK_CARD)  # fmt: skip
DEPOSIT_METHOD_WEIGHTS = (0.45, 0.30, 0.20, 0.05)
GRADE_NAMES = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
SCHOOL_GRADES = {
    "primary": ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级"),
    "junior": ("七年级", "八年级", "九年级"),
    "senior": ("高一", "高二", "高三"),
}


@dataclass(frozen=True)
class DemoCard:
    number: str
    status: CardStatus
    issued_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None


@dataclass(frozen=True)
class DemoBlock:
    reason: str
    blocked_at: datetime
    lifted_at: datetime | None = None


@dataclass
class DemoPatron:
    """One reader as the generator made them; ``id`` is set once saved."""

    index: int
    name: str
    category: str
    home_code: str
    registered_at: datetime
    expires_on: date
    cards: list[DemoCard]
    phone: str
    id_number: str | None = None
    birth_date: date | None = None
    gender: Gender | None = None
    keep_history: bool = True
    credit_source: str | None = None
    credit_verified_on: date | None = None
    credit_expires_on: date | None = None
    deposit_fen: int = 0
    deposit_method: DepositMethod | None = None
    block: DemoBlock | None = None
    notes: str | None = None
    # Institutional borrowers borrow in bulk at this point (a village room's books
    # come from its town branch); None: like anyone else.
    bulk_point_code: str | None = None
    id: int = 0
    card_ids: list[int] = field(default_factory=list)

    @property
    def registered_on(self) -> date:
        return _local(self.registered_at)

    def card_on(self, moment: datetime) -> str | None:
        """The number of the card that was active at ``moment`` (None: none was)."""
        for card in self.cards:
            if card.issued_at <= moment and (card.ended_at is None or moment < card.ended_at):
                return card.number
        return None


@dataclass
class PatronPlan:
    patrons: list[DemoPatron]
    today: date


def patron_count(scale: Scale) -> int:
    """The report's card holders in the proportion of ``scale``'s volumes."""
    return max(50, round(REPORT_PATRONS * scale.volumes / REPORT_VOLUMES))


def _local(moment: datetime) -> date:
    return moment.astimezone(get_settings().tz).date()


def local_moment(day: date, minute: int) -> datetime:
    """``minute`` minutes after midnight of ``day`` in the network's zone, as UTC."""
    wall = datetime.combine(day, time(minute // 60, minute % 60), get_settings().tz)
    return wall.astimezone(UTC)


class _Generator:
    def __init__(self, network: DemoNetwork, scale: Scale, seed: int, today: date) -> None:
        self.rng = random.Random(f"wenjin-demo-patrons:{seed}")
        self.network = network
        self.scale = scale
        self.today = today
        self.factor = scale.volumes / REPORT_VOLUMES
        self.ids: set[str] = set()
        self.next_number: dict[int, int] = {}
        kinds = {p.code: p.kind for p in network.data.points}
        self.kinds = kinds
        self.shelves: dict[str, Shelf] = {s.code: s for s in network.shelves}
        self.schools = {s.code: s for s in SCHOOLS}
        self.stations = {s.code: s for s in STATIONS}
        self.parents = {p.code: p.parent for p in network.data.points}
        self.names = {p.code: p.name for p in network.data.points}
        self._choices: dict[str, tuple[list[str], list[float]]] = {}

    # --- places ---

    def _points_for(self, spec: str) -> tuple[list[str], list[float]]:
        found = self._choices.get(spec)
        if found is not None:
            return found
        kind, _, detail = spec.partition(":")
        wanted = set(detail.split(",")) if detail else set()
        if kind == "new":
            codes = [NEW_BUILDING]
        elif kind == "old":
            codes = [OLD_BUILDING]
        elif kind == "branch":
            codes = [c for c, k in self.kinds.items() if k is PointKind.BRANCH]
        elif kind == "village":
            codes = [c for c, k in self.kinds.items() if k is PointKind.VILLAGE]
        elif kind == "school":
            codes = [c for c, s in self.schools.items() if s.level in wanted]
        else:
            codes = [c for c, s in self.stations.items() if s.host_kind in wanted]
        weights = [
            float(self.shelves[c].report_volumes) if c in self.shelves else 1.0 for c in codes
        ]
        self._choices[spec] = (codes, weights)
        return codes, weights

    def home_for(self, category: str) -> str:
        specs = HOMES[category]
        spec = self.rng.choices([s for s, _ in specs], [w for _, w in specs])[0]
        codes, weights = self._points_for(spec)
        return self.rng.choices(codes, weights)[0]

    # --- people ---

    def person_name(self) -> str:
        surname = self.rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        given = "".join(self.rng.choices(GIVEN_NAME_CHARACTERS, k=self.rng.choice((1, 2, 2, 2))))
        return surname + given

    def birth_date(self, category: str) -> date:
        youngest, oldest = AGES[category]
        latest = add_years(self.today, -youngest)
        earliest = add_years(self.today, -oldest - 1) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def id_number(self, born: date, gender: Gender) -> str:
        while True:
            area = HOME_AREA if self.rng.random() < 0.88 else self.rng.choice(OTHER_AREAS)
            order = self.rng.randrange(500) * 2 + (1 if gender is Gender.MALE else 0)
            body = f"{area}{born:%Y%m%d}{order:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def card_number(self, series: int) -> str:
        number = self.next_number.get(series, 0) + 1
        self.next_number[series] = number
        return f"ZC{series}{number:07d}"

    def moment(self, day: date) -> datetime:
        return local_moment(day, self.rng.randrange(9 * 60, 17 * 60))

    # --- the register ---

    def membership(self, category: str, years: int, born: date | None) -> tuple[date, date]:
        """(registered on, expires on): a few cards expired, the rest valid today."""
        today = self.today
        if self.rng.random() < 0.07:
            expires = today - timedelta(days=self.rng.randint(1, 700))
            registered = add_years(expires, -years)
        else:
            recent = 0.35 if category == "CREDIT" else 0.18  # readers new this year
            if self.rng.random() < recent:
                registered = today - timedelta(days=self.rng.randint(1, 364))
            else:
                registered = today - timedelta(days=self.rng.randint(365, 365 * 9))
            expires = add_years(registered, years)
            while expires < today:  # renewed at the desk each time it ran out
                expires = add_years(expires, years)
        if born is not None:
            registered = max(registered, add_years(born, 3))
        return registered, expires

    def individual(self, index: int, category: str, years: int, deposit_fen: int) -> DemoPatron:
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.48 else Gender.FEMALE
        if category in ("MEDICAL",):
            gender = Gender.FEMALE if rng.random() < 0.7 else Gender.MALE
        if category == "FIREFIGHTER":
            gender = Gender.MALE if rng.random() < 0.93 else Gender.FEMALE
        born = self.birth_date(category)
        registered_on, expires_on = self.membership(category, years, born)
        home = self.home_for(category)
        series = CARD_SERIES[self.kinds[home]]
        registered_at = self.moment(registered_on)
        cards = [DemoCard(self.card_number(series), CardStatus.ACTIVE, registered_at)]
        if rng.random() < 0.012 and registered_on < self.today - timedelta(days=30):
            lost_on = registered_on + timedelta(
                days=rng.randint(1, (self.today - registered_on).days - 1)
            )
            lost_at = self.moment(lost_on)
            cards = [
                DemoCard(cards[0].number, CardStatus.LOST, registered_at, lost_at, "挂失补卡 lost, replaced"),
                DemoCard(self.card_number(series), CardStatus.ACTIVE, lost_at),
            ]  # fmt: skip
        patron = DemoPatron(
            index=index,
            name=self.person_name(),
            category=category,
            home_code=home,
            registered_at=registered_at,
            expires_on=expires_on,
            cards=cards,
            phone=self.phone(),
            birth_date=born,
            gender=gender,
            keep_history=rng.random() >= 0.05,
        )
        patron.id_number = self.id_number(born, gender)
        if category == "CREDIT":
            patron.credit_source = rng.choice(CREDIT_SOURCES)
            if rng.random() < 0.06:  # the rating lapsed this year and was not verified again
                patron.credit_expires_on = self.today - timedelta(days=rng.randint(1, 200))
            else:
                patron.credit_expires_on = self.today + timedelta(days=rng.randint(30, 700))
            patron.credit_verified_on = max(
                registered_on, add_years(patron.credit_expires_on, -2) + timedelta(days=1)
            )
        elif deposit_fen:
            patron.deposit_fen = deposit_fen
            patron.deposit_method = rng.choices(DEPOSIT_METHODS, DEPOSIT_METHOD_WEIGHTS)[0]
        if rng.random() < 0.004 and registered_on < self.today - timedelta(days=20):
            # Blocked by staff some day this year after registering; a third lifted a month on.
            earliest = max(registered_on, self.today - timedelta(days=364)) + timedelta(days=1)
            blocked_on = earliest + timedelta(days=rng.randint(0, (self.today - earliest).days - 1))
            lifted = None
            if rng.random() < 0.3 and (self.today - blocked_on).days > 31:
                lifted = self.moment(blocked_on + timedelta(days=30))
            patron.block = DemoBlock(rng.choice(BLOCK_REASONS), self.moment(blocked_on), lifted)
        return patron

    def institution(
        self, index: int, name: str, home: str, bulk_point: str, years: int, note: str
    ) -> DemoPatron:
        registered_on = self.today - timedelta(days=self.rng.randint(400, 365 * 6))
        expires = add_years(registered_on, years)
        while expires < self.today:
            expires = add_years(expires, years)
        registered_at = self.moment(registered_on)
        return DemoPatron(
            index=index,
            name=name,
            category="INSTITUTION",
            home_code=home,
            registered_at=registered_at,
            expires_on=expires,
            cards=[
                DemoCard(self.card_number(INSTITUTION_SERIES), CardStatus.ACTIVE, registered_at)
            ],
            phone=self.phone(),
            notes=note,
            bulk_point_code=bulk_point,
        )

    def institutions(self, start: int, years: int) -> list[DemoPatron]:
        """A class per school at report scale (fewer, spread over the schools, when smaller),
        and a card for each village reading room that borrows from its town branch."""
        found: list[DemoPatron] = []
        classes = max(2, round(CLASSES_PER_SCHOOL * len(SCHOOLS) * self.factor))
        for n in range(classes):
            school = SCHOOLS[n % len(SCHOOLS)]
            grades = SCHOOL_GRADES[school.level]
            in_school = n // len(SCHOOLS)
            grade = grades[in_school % len(grades)]
            section = GRADE_NAMES[(in_school // len(grades)) % len(GRADE_NAMES)]
            teacher = self.rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
            found.append(
                self.institution(
                    start + len(found),
                    f"{school.name.removesuffix('图书馆')}{grade}{section}班",
                    school.code,
                    school.code,
                    years,
                    f"班级集体借阅，班主任{teacher}老师负责借还",
                )
            )
        villages = [c for c, k in self.kinds.items() if k is PointKind.VILLAGE]
        count = min(len(villages), max(2, round(len(villages) * self.factor)))
        for code in sorted(self.rng.sample(villages, count)):
            keeper = self.person_name()
            found.append(
                self.institution(
                    start + len(found),
                    f"{self.names[code]}（集体借阅）",
                    code,
                    self.parents[code] or code,
                    years,
                    f"农家书屋从镇图书馆集体借阅，管理员{keeper}",
                )
            )
        return found


def generate_patrons(
    network: DemoNetwork,
    *,
    scale: Scale,
    seed: int,
    today: date,
    categories: Sequence[PatronCategory] | None = None,
) -> PatronPlan:
    """The demo's readers for ``scale``, as of ``today`` (a date in the network's zone).

    ``categories`` gives each category's deposit and card validity (the defaults
    of :data:`wenjin.patrons.services.DEFAULT_CATEGORIES` when not given).
    """
    from wenjin.patrons.services import DEFAULT_CATEGORIES

    terms = {c.code: (c.deposit_fen, c.expiry_years) for c in DEFAULT_CATEGORIES}
    for category in categories or ():
        terms[category.code] = (category.deposit_fen, category.expiry_years)
    gen = _Generator(network, scale, seed, today)
    institutions = gen.institutions(0, terms["INSTITUTION"][1])
    staff = max(2, round(STAFF_AT_REPORT_SCALE * gen.factor))
    individuals = max(0, patron_count(scale) - len(institutions) - staff)
    plan: list[str] = ["STAFF"] * staff
    for code, share in CATEGORY_SHARES.items():
        plan += [code] * round(individuals * share)
    gen.rng.shuffle(plan)
    patrons = [
        gen.individual(i, code, terms[code][1], terms[code][0]) for i, code in enumerate(plan)
    ]
    for offset, patron in enumerate(institutions):
        patron.index = len(patrons) + offset
    patrons += institutions
    return PatronPlan(patrons, today)


# --- saving ---------------------------------------------------------------------------


def last_card_number(plan: PatronPlan) -> str:
    """The card number saved last: the patrons are in when it is."""
    return plan.patrons[-1].cards[-1].number


def patrons_are_saved(session: Session, plan: PatronPlan) -> bool:
    found = session.scalar(
        select(PatronCard.patron_id).where(PatronCard.number == last_card_number(plan))
    )
    return found is not None


def attach_ids(session: Session, plan: PatronPlan) -> None:
    """Read back the ids of readers saved by an earlier run (matched on card numbers)."""
    by_number = {card.number: patron for patron in plan.patrons for card in patron.cards}
    rows = session.execute(select(PatronCard.number, PatronCard.patron_id, PatronCard.id))
    for number, patron_id, _card_id in rows:
        patron = by_number.get(number)
        if patron is not None:
            patron.id = patron_id


def save_patrons(
    session: Session,
    plan: PatronPlan,
    *,
    pin_hash: str,
    on_rows: Callable[[int], None] | None = None,
) -> None:
    """Write the readers with their cards, deposits and blocks (bulk, in the session's
    transaction) and set each :class:`DemoPatron`'s ``id``.

    ``pin_hash`` is one Argon2 hash of :data:`DEMO_PIN`, shared by every reader:
    Argon2 is slow on purpose (tens of milliseconds a hash), and 135,000 of them
    would take the build over an hour for nothing, every salt guarding the same PIN.
    """
    patrons = plan.patrons
    values = DbValues(session)
    points = dict(session.execute(select(ServicePoint.code, ServicePoint.id)).all())
    categories = dict(session.execute(select(PatronCategory.code, PatronCategory.id)).all())
    settings = get_settings()
    now = values.timestamp(datetime.now(UTC))
    ids = allocate_ids(session, "patrons", len(patrons))
    rows = []
    for patron, new_id in zip(patrons, ids, strict=True):
        patron.id = new_id
        number = patron.id_number
        rows.append(
            (
                new_id,
                patron.name,
                id_hash(number, secret_key=settings.secret_key) if number else None,
                mask_id_number(number) if number else None,
                values.date(patron.birth_date),
                patron.gender.value if patron.gender else None,
                patron.phone,
                points[patron.home_code],
                categories[patron.category],
                values.date(patron.expires_on),
                pin_hash,
                PatronStatus.ACTIVE.value,
                patron.keep_history,
                patron.credit_source,
                values.date(patron.credit_verified_on),
                values.date(patron.credit_expires_on),
                patron.notes,
                values.timestamp(patron.registered_at),
                now,
            )
        )
    bulk_insert(session, "patrons", PATRON_COLUMNS, rows)
    if on_rows:
        on_rows(len(rows))

    cards = [(p, c) for p in patrons for c in p.cards]
    card_ids = allocate_ids(session, "patron_cards", len(cards))
    bulk_insert(
        session,
        "patron_cards",
        ("id", "patron_id", "number", "status", "issued_at", "ended_at", "end_reason"),
        [
            (
                card_id,
                p.id,
                c.number,
                c.status.value,
                values.timestamp(c.issued_at),
                values.timestamp(c.ended_at) if c.ended_at else None,
                c.end_reason,
            )
            for card_id, (p, c) in zip(card_ids, cards, strict=True)
        ],
    )
    deposits = [p for p in patrons if p.deposit_fen]
    bulk_insert(
        session,
        "deposits",
        ("id", "patron_id", "amount_fen", "method", "paid_at", "recorded_by"),
        [
            (
                deposit_id,
                p.id,
                p.deposit_fen,
                p.deposit_method.value if p.deposit_method else None,
                values.timestamp(p.registered_at),
                DEMO_ACTOR,
            )
            for deposit_id, p in zip(
                allocate_ids(session, "deposits", len(deposits)), deposits, strict=True
            )
        ],
    )
    blocked = [p for p in patrons if p.block]
    bulk_insert(
        session,
        "patron_blocks",
        ("id", "patron_id", "reason", "blocked_by", "blocked_at", "lifted_at", "lifted_by", "lifted_reason"),
        [
            (
                block_id,
                p.id,
                p.block.reason,
                DEMO_ACTOR,
                values.timestamp(p.block.blocked_at),
                values.timestamp(p.block.lifted_at) if p.block.lifted_at else None,
                DEMO_ACTOR if p.block.lifted_at else None,
                LIFT_REASON if p.block.lifted_at else None,
            )
            for block_id, p in zip(
                allocate_ids(session, "patron_blocks", len(blocked)), blocked, strict=True
            )
            if p.block is not None
        ],
    )  # fmt: skip
    if on_rows:
        on_rows(len(cards) + len(deposits) + len(blocked))


PATRON_COLUMNS = (
    "id",
    "name",
    "id_hash",
    "id_masked",
    "birth_date",
    "gender",
    "phone",
    "home_point_id",
    "category_id",
    "expires_on",
    "pin_hash",
    "status",
    "keep_history",
    "credit_source",
    "credit_verified_on",
    "credit_expires_on",
    "notes",
    "created_at",
    "updated_at",
)
