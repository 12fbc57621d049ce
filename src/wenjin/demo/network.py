"""The network of the 2020 report as :class:`~wenjin.network.io.NetworkData`.

诸城市图书馆总分馆: the central library with its two buildings (新馆, opened 2018,
and 老馆), the 24-hour self-service library at the new building, 13 town branches,
16 school libraries, 237 village reading rooms (农家书屋), 32 rotating book stations
(seven of them new in 2020) and the scenic-spot reading room 小镇书房 at 金查理小镇.

Besides the network itself, every point that holds books gets a :class:`Shelf`:
how many volumes it holds at report scale, what its readers read, and how its
barcodes are printed. The catalogue generator spreads the copies by these.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date

from wenjin.demo.names import (
    SCHOOLS,
    STATIONS,
    TOWNS,
    TOWNS_BY_CODE,
    VILLAGE_AFTER_JIA,
    VILLAGE_AFTER_SURNAME,
    VILLAGE_DIRECTIONS,
    VILLAGE_FEATURE_ENDINGS,
    VILLAGE_FEATURES,
    VILLAGE_PLACES,
    VILLAGE_SURNAMES,
    Station,
    Town,
)
from wenjin.network.io import NetworkData
from wenjin.network.rules import ClosedSpan, public_holidays
from wenjin.network.states import PointKind

ROOT = "ZC"
CENTRAL = "ZX"
NEW_BUILDING = "ZX-XG"
OLD_BUILDING = "ZX-LG"
SELF_SERVICE = "ZX-24H"
SCENIC = "ZX-SF"

REPORT_VOLUMES = 3_070_000  # 总藏书量 306.7万册
HOLIDAY_YEARS = (2020, 2026)


@dataclass(frozen=True)
class Shelf:
    """The collection at one point, as the demo fills it.

    ``profile`` says what its readers read (``village``: farming, health,
    children's books …); ``owner`` is the point that owns the items, which for a
    rotating book station is the central library's new building (the batches are
    its books on loan to the station).
    """

    code: str
    kind: PointKind
    profile: str
    report_volumes: int
    opened: int
    barcode_prefix: str
    barcode_digits: int
    owner: str
    location: str


@dataclass(frozen=True)
class DemoNetwork:
    data: NetworkData
    shelves: tuple[Shelf, ...]
    new_in_2020: tuple[str, ...]  # codes of the stations opened in the report's year

    def points_by_kind(self) -> dict[str, int]:
        return dict(Counter(p.kind.value for p in self.data.points))


# ---------------------------------------------------------------------------
# Opening hours and closed days

CENTRAL_HOURS = {"mon": "14:00-20:30", "tue-sun": "09:00-20:30"}  # Monday mornings: 闭馆整理
OLD_BUILDING_HOURS = {"mon": "closed", "tue-sun": "09:00-17:00"}
BRANCH_HOURS = {"mon": "closed", "tue-sun": "09:00-17:00"}
SCHOOL_HOURS = {"mon-fri": ["07:30-11:30", "13:30-17:00"]}
ALL_DAY = {"mon-sun": "00:00-24:00"}
SCENIC_HOURS = {"mon-sun": "09:00-18:00"}
STATION_HOURS = {
    "community": {"mon-fri": ["08:30-11:30", "14:00-17:30"]},
    "care_home": {"mon-sun": "09:00-11:00"},
    "hospital": {"mon-sun": "08:00-17:30"},
    "barracks": {"sat-sun": "14:00-17:00"},
    "enterprise": {"mon-sat": "11:30-13:30"},
    "museum": {"tue-sun": "09:00-17:00"},
}
VILLAGE_AFTERNOONS = ("14:00-17:00", "14:30-17:30", "15:00-18:00")

SCHOOL_HOLIDAYS = (
    ClosedSpan(date(2020, 1, 18), date(2020, 2, 16), "寒假"),
    ClosedSpan(date(2020, 7, 11), date(2020, 8, 31), "暑假"),
    ClosedSpan(date(2026, 1, 31), date(2026, 3, 1), "寒假"),
    ClosedSpan(date(2026, 7, 11), date(2026, 8, 31), "暑假"),
)
SPRING_FESTIVAL_EVE = (
    ClosedSpan(date(2020, 1, 24), date(2020, 1, 25), "除夕、春节"),
    ClosedSpan(date(2026, 2, 16), date(2026, 2, 17), "除夕、春节"),
)

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# ---------------------------------------------------------------------------
# Village names


@dataclass(frozen=True)
class Village:
    name: str  # 王家庄
    pinyin: str  # Wangjiazhuang

    @property
    def room_name(self) -> str:
        base = self.name if self.name.endswith("村") else f"{self.name}村"
        return f"{base}农家书屋"

    @property
    def room_name_en(self) -> str:
        return f"{self.pinyin} Village Reading Room"


def _village(rng: random.Random) -> Village:
    pattern = rng.random()
    if pattern < 0.35:
        surname, after = rng.choice(VILLAGE_SURNAMES), rng.choice(VILLAGE_AFTER_JIA)
        parts = [surname, ("家", "jia"), after]
    elif pattern < 0.55:
        parts = [rng.choice(VILLAGE_SURNAMES), rng.choice(VILLAGE_AFTER_SURNAME)]
    elif pattern < 0.8:
        parts = [rng.choice(VILLAGE_DIRECTIONS), rng.choice(VILLAGE_PLACES)]
        if rng.random() < 0.3:
            parts.insert(1, rng.choice(VILLAGE_SURNAMES))
            parts.insert(2, ("家", "jia"))
    else:
        parts = [rng.choice(VILLAGE_FEATURES), rng.choice(VILLAGE_FEATURE_ENDINGS)]
    name = "".join(zh for zh, _ in parts)
    pinyin = "".join(py for _, py in parts)
    return Village(name, pinyin[:1].upper() + pinyin[1:])


def village_names(seed: int, count: int) -> list[Village]:
    """``count`` distinct village names, the same for the same seed."""
    rng = random.Random(f"wenjin-demo-villages:{seed}")
    seen: set[str] = set()
    villages: list[Village] = []
    while len(villages) < count:
        village = _village(rng)
        if village.name in seen or len(village.name) < 2:
            continue
        seen.add(village.name)
        villages.append(village)
    return villages


def _village_hours(rng: random.Random) -> dict[str, str]:
    # A village room opens a few afternoons a week, often on the market days (集日).
    days = sorted(rng.sample(range(7), k=rng.choice((2, 3, 3, 4))))
    hours = rng.choice(VILLAGE_AFTERNOONS)
    return {WEEKDAY_KEYS[d]: hours for d in days}


# ---------------------------------------------------------------------------
# The network


def _holidays() -> list[ClosedSpan]:
    return [span for year in HOLIDAY_YEARS for span in public_holidays(year)]


def _station_volumes(rng: random.Random, stations: list[Station]) -> dict[str, int]:
    # The report: 32 stations, 20,000+ books in all; the seven opened in 2020 hold 798.
    volumes: dict[str, int] = {}
    for opened_2020, total in ((False, 19_600), (True, 798)):
        batch = [s for s in stations if (s.opened == 2020) is opened_2020]
        shares = [rng.uniform(0.8, 1.2) for _ in batch]
        remaining = total
        for i, station in enumerate(batch):
            volume = remaining if i == len(batch) - 1 else round(total * shares[i] / sum(shares))
            volumes[station.code] = volume
            remaining -= volume
    return volumes


def _station_address(station: Station, town: Town) -> str:
    host = station.host.removeprefix("诸城市").removeprefix("诸城")
    if host.startswith(town.name):
        return f"山东省诸城市{host}"
    return f"山东省诸城市{town.name}（{host}）"


def demo_network(seed: int = 2020) -> DemoNetwork:
    """The report's network; the same for the same seed (village names, hours, collection sizes)."""
    rng = random.Random(f"wenjin-demo-network:{seed}")
    net = NetworkData()
    shelves: list[Shelf] = []
    holidays = _holidays()

    net.point(
        ROOT,
        "诸城市图书馆总分馆",
        PointKind.NETWORK,
        name_en="Zhucheng Library Network",
        address="山东省诸城市",
        lends=False,
        closed=holidays,
    )
    net.point(
        CENTRAL,
        "诸城市图书馆",
        PointKind.CENTRAL,
        parent=ROOT,
        name_en="Zhucheng City Library",
        address="山东省诸城市龙都街道府前街",
        lends=False,  # readers are served in its two buildings
        hours=CENTRAL_HOURS,
        sort_order=0,
    )
    net.point(
        NEW_BUILDING,
        "诸城市图书馆新馆",
        PointKind.BUILDING,
        parent=CENTRAL,
        name_en="Zhucheng City Library, New Building",
        address="山东省诸城市龙都街道府前街（新馆）",
        pickup=True,
        sort_order=1,
    )
    net.point(
        OLD_BUILDING,
        "诸城市图书馆老馆",
        PointKind.BUILDING,
        parent=CENTRAL,
        name_en="Zhucheng City Library, Old Building",
        address="山东省诸城市密州街道和平街（老馆）",
        pickup=True,
        hours=OLD_BUILDING_HOURS,
        sort_order=2,
    )
    net.point(
        SELF_SERVICE,
        "诸城市图书馆24小时自助图书馆",
        PointKind.SELF_SERVICE,
        parent=CENTRAL,
        name_en="Zhucheng City Library 24-hour Self-service Library",
        address="山东省诸城市龙都街道府前街（新馆东侧）",
        hours=ALL_DAY,
        inherit_closed_days=False,
        sort_order=3,
    )
    net.point(
        SCENIC,
        "小镇书房",
        PointKind.SCENIC,
        parent=CENTRAL,
        name_en="Xiaozhen Study, Jinchali Town (scenic-spot reading room)",
        address="山东省诸城市金查理小镇景区",
        hours=SCENIC_HOURS,
        inherit_closed_days=False,  # a tourist spot opens over the holidays
        closed=list(SPRING_FESTIVAL_EVE),
        sort_order=4,
    )
    net.route(CENTRAL, NEW_BUILDING, 0, note="中心馆物流设在新馆")
    net.route(CENTRAL, OLD_BUILDING, 1)
    net.route(NEW_BUILDING, OLD_BUILDING, 1, note="新老馆每日班车")
    net.route(CENTRAL, SELF_SERVICE, 0)
    net.route(CENTRAL, SCENIC, 1, weekdays=(2, 5))

    shelves.append(
        Shelf(
            SELF_SERVICE,
            PointKind.SELF_SERVICE,
            "self_service",
            4_000,
            2018,
            "Z",
            7,
            SELF_SERVICE,
            "24小时自助图书馆",
        )
    )
    shelves.append(Shelf(SCENIC, PointKind.SCENIC, "scenic", 400, 2019, "J", 7, SCENIC, "小镇书房"))  # fmt: skip

    branch_volumes = {"MZ": 36_000, "LD": 42_000, "SW": 24_000}
    for order, town in enumerate(TOWNS, start=10):
        net.point(
            town.code,
            f"{town.name}图书馆",
            PointKind.BRANCH,
            parent=ROOT,
            name_en=f"{town.name_en} Library",
            address=f"山东省诸城市{town.name}综合文化站",
            pickup=True,
            hours=BRANCH_HOURS,
            sort_order=order,
        )
        net.route(CENTRAL, town.code, 1, weekdays=town.courier_weekdays)
        volumes = branch_volumes.get(town.code) or rng.randint(12_000, 30_000)
        shelves.append(Shelf(town.code, PointKind.BRANCH, "branch", volumes, 2012, town.code, 7, town.code, "借阅室"))  # fmt: skip

    school_volumes = {
        "senior": (60_000, 90_000),
        "junior": (25_000, 45_000),
        "primary": (15_000, 30_000),
    }
    for order, school in enumerate(SCHOOLS, start=100):
        town = TOWNS_BY_CODE[school.town]
        parent = CENTRAL if school.in_city else town.code
        net.point(
            school.code,
            school.name,
            PointKind.SCHOOL,
            parent=parent,
            name_en=school.name_en,
            address=f"山东省诸城市{town.name}",
            hours=SCHOOL_HOURS,
            closed=list(SCHOOL_HOLIDAYS),
            sort_order=order,
        )
        net.route(parent, school.code, 1)
        volumes = rng.randint(*school_volumes[school.level])
        prefix = school.code.replace("-", "")
        shelves.append(Shelf(school.code, PointKind.SCHOOL, f"school_{school.level}", volumes, 2015, prefix, 6, school.code, "学校图书馆"))  # fmt: skip

    villages = iter(village_names(seed, sum(t.villages for t in TOWNS)))
    for town in TOWNS:
        for number in range(1, town.villages + 1):
            village = next(villages)
            code = f"{town.code}-V{number:03d}"
            net.point(
                code,
                village.room_name,
                PointKind.VILLAGE,
                parent=town.code,
                name_en=village.room_name_en,
                address=f"山东省诸城市{town.name}{village.name}{'' if village.name.endswith('村') else '村'}",
                hours=_village_hours(rng),
                sort_order=1000 + number,
            )
            net.route(town.code, code, 2, weekdays=town.courier_weekdays[-1:])
            prefix = code.replace("-", "")
            shelves.append(Shelf(code, PointKind.VILLAGE, "village", rng.randint(500, 2_000), rng.randint(2008, 2012), prefix, 4, code, "农家书屋"))  # fmt: skip

    station_volumes = _station_volumes(rng, list(STATIONS))
    for number, station in enumerate(STATIONS, start=1):
        town = TOWNS_BY_CODE[station.town]
        net.point(
            station.code,
            station.name,
            PointKind.STATION,
            parent=town.code,
            name_en=station.name_en,
            address=_station_address(station, town),
            hours=STATION_HOURS[station.host_kind],
            sort_order=2000 + number,
        )
        net.route(town.code, station.code, 1)
        profile = (
            "station_community"
            if station.host_kind in ("community", "care_home")
            else f"station_{station.host_kind}"
        )
        # A station's books are the central library's, lent to it in batches: A-barcodes.
        shelves.append(Shelf(station.code, PointKind.STATION, profile, station_volumes[station.code], station.opened, "A", 7, NEW_BUILDING, "流动站书架"))  # fmt: skip

    # The central library holds the rest, about two thirds of it in the new building.
    central_total = REPORT_VOLUMES - sum(s.report_volumes for s in shelves)
    new_building = round(central_total * 0.65)
    shelves[:0] = [
        Shelf(NEW_BUILDING, PointKind.BUILDING, "central", new_building, 1980, "A", 7, NEW_BUILDING, "中文图书借阅区"),
        Shelf(OLD_BUILDING, PointKind.BUILDING, "central", central_total - new_building, 1980, "A", 7, OLD_BUILDING, "基藏书库"),
    ]  # fmt: skip
    return DemoNetwork(
        data=net,
        shelves=tuple(shelves),
        new_in_2020=tuple(s.code for s in STATIONS if s.opened == 2020),
    )
