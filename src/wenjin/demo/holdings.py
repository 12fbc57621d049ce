"""Where a title's copies are: spreading the catalogue over the network like a county library.

Every point that holds books has a :class:`~wenjin.demo.network.Shelf` with its
size at report scale and a *profile* (what its readers read). Points with the
same profile form a group; for each title the planner expects

    copies in group = group volumes × affinity(group, title) / Σ affinity over all titles

and rounds that stochastically, then picks points of the group in proportion to
their size. Affinity is how much the group wants the title: its shelf group
(farming books for village rooms, children's books for primary schools), its
year (a village room opened in 2010 holds few books from the 1980s) and its
popularity. So each point ends up with about its size, filled the way such a
point is filled, and the whole network adds up to the scale's volumes.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from wenjin.demo.network import NEW_BUILDING, OLD_BUILDING, REPORT_VOLUMES, DemoNetwork, Shelf
from wenjin.demo.scales import Scale
from wenjin.demo.titles import LAST_YEAR, Title, TitleProfile, title_profile
from wenjin.demo.vocabulary import CLASSICS

SURVEY_SIZE = 20_000  # titles sampled to estimate the normalisers of a large catalogue
MAX_CENTRAL_COPIES = 25  # a bestseller in both buildings
MAX_REFERENCE_COPIES = 2


@dataclass(frozen=True)
class Holding:
    """One copy: what becomes an item when the record is saved."""

    barcode: str
    home: str  # owning point code (馆藏地)
    current: str  # where it stands now
    item_type: str  # BOOK, CHILD, REF, LOCAL
    location: str
    call_number: str
    price_fen: int
    acquired_on: date


# What each kind of point holds: affinity by shelf group (missing groups: ``default``),
# how strongly popularity counts, and which years it collects.
@dataclass(frozen=True)
class Appetite:
    groups: dict[str, float]
    default: float
    popularity_power: float
    recent_from: int  # books before this year are rarer here
    old_weight: float  # ... by this factor


APPETITES: dict[str, Appetite] = {
    "central": Appetite({}, 1.0, 1.0, 1980, 1.0),
    "branch": Appetite(
        {"fiction": 1.6, "children": 1.4, "farming": 1.5, "health": 1.3, "family": 1.2,
         "cooking": 1.3, "rural": 1.2, "popsci": 1.2, "office": 1.0, "technique": 1.0,
         "computing": 0.4, "philosophy": 0.4, "language": 0.6, "reference": 0.3,
         "english": 0.02, "economy": 0.6, "science": 0.4, "art": 0.6, "local": 0.8},
        0.9, 1.2, 1995, 0.5,
    ),
    "school_primary": Appetite(
        {"children": 5.0, "popsci": 4.0, "teen": 1.5, "language": 1.2, "family": 0.8,
         "art": 0.8, "sport": 0.6, "history": 0.5, "reference": 0.8, "fiction": 0.4},
        0.05, 1.2, 2000, 0.3,
    ),
    "school_junior": Appetite(
        {"children": 2.0, "teen": 4.0, "popsci": 2.0, "fiction": 1.5, "language": 2.0,
         "history": 1.5, "science": 1.5, "art": 1.0, "sport": 0.8, "culture": 1.0,
         "computing": 0.5, "philosophy": 0.5, "english": 0.3, "reference": 0.8},
        0.1, 1.2, 2000, 0.3,
    ),
    "school_senior": Appetite(
        {"teen": 3.0, "fiction": 2.0, "history": 2.0, "philosophy": 1.2, "science": 2.0,
         "language": 2.5, "english": 1.2, "computing": 1.0, "culture": 1.2, "psychology": 1.0,
         "popsci": 1.0, "economy": 0.6, "law": 0.6, "children": 0.3, "reference": 0.8},
        0.1, 1.2, 2000, 0.4,
    ),
    "village": Appetite(
        {"farming": 8.0, "health": 4.0, "children": 2.5, "rural": 5.0, "fiction": 1.5,
         "law": 2.0, "family": 1.5, "cooking": 2.0, "office": 1.0, "popsci": 1.0,
         "technique": 1.0, "history": 0.6, "culture": 0.6, "sport": 0.8, "local": 0.5},
        0.05, 1.2, 2005, 0.2,
    ),
    "station_community": Appetite(
        {"fiction": 2.0, "health": 3.0, "family": 1.5, "children": 1.2, "cooking": 2.0,
         "history": 1.2, "sport": 1.2, "art": 1.0, "culture": 1.0},
        0.2, 1.3, 2008, 0.2,
    ),
    "station_hospital": Appetite(
        {"health": 4.0, "fiction": 2.0, "psychology": 2.0, "children": 1.0, "family": 1.5},
        0.2, 1.3, 2008, 0.2,
    ),
    "station_barracks": Appetite(
        {"military": 5.0, "fiction": 2.0, "history": 2.0, "law": 1.5, "psychology": 1.5,
         "computing": 0.8, "sport": 1.5},
        0.2, 1.3, 2008, 0.2,
    ),
    "station_enterprise": Appetite(
        {"computing": 1.5, "economy": 2.0, "fiction": 2.0, "law": 1.2, "psychology": 1.2,
         "office": 1.5, "technique": 1.5},
        0.2, 1.3, 2008, 0.2,
    ),
    "station_museum": Appetite(
        {"popsci": 4.0, "history": 3.0, "local": 4.0, "children": 2.0, "culture": 1.5},
        0.1, 1.3, 2005, 0.3,
    ),
    "self_service": Appetite(
        {"fiction": 2.5, "children": 2.0, "psychology": 1.5, "family": 1.2, "economy": 1.0,
         "history": 1.0, "health": 1.0},
        0.3, 1.6, 2012, 0.1,
    ),
    "scenic": Appetite(
        {"local": 60.0, "history": 3.0, "travel": 3.0, "culture": 2.0, "art": 1.5, "fiction": 0.6},
        0.05, 1.0, 1980, 1.0,
    ),
}  # fmt: skip


def affinity(appetite: Appetite, profile: TitleProfile, *, central: bool = False) -> float:
    """How many copies (relative) a point with ``appetite`` wants of a title."""
    weight = appetite.groups.get(profile.group, appetite.default)
    if profile.year < appetite.recent_from:
        weight *= appetite.old_weight
    if central:
        # Nearly every title is in the central library; popular ones in several copies.
        return weight * (0.8 + profile.popularity)
    return weight * profile.popularity**appetite.popularity_power


@dataclass
class _Group:
    profile: str
    shelves: list[Shelf]
    volumes: list[int]  # at this scale
    cumulative: list[int]
    normaliser: float = 0.0

    @property
    def total(self) -> int:
        return self.cumulative[-1] if self.cumulative else 0


def scaled_volumes(shelves: Iterable[Shelf], scale: Scale) -> dict[str, int]:
    """Each point's volumes at ``scale``; the central library takes what the others leave."""
    factor = scale.volumes / REPORT_VOLUMES
    out: dict[str, int] = {}
    central = [s for s in shelves if s.profile == "central"]
    for shelf in shelves:
        if shelf.profile != "central":
            out[shelf.code] = max(scale.min_per_point, round(shelf.report_volumes * factor))
    rest = max(scale.volumes - sum(out.values()), len(central))
    central_report = sum(s.report_volumes for s in central)
    for shelf in central:
        out[shelf.code] = round(rest * shelf.report_volumes / central_report)
    return out


def _stochastic_round(rng: random.Random, value: float) -> int:
    whole = math.floor(value)
    return whole + (1 if rng.random() < value - whole else 0)


class HoldingsPlanner:
    """Turns each title into its copies. Feed it the titles in order (barcodes are numbered)."""

    def __init__(self, network: DemoNetwork, *, scale: Scale, seed: int) -> None:
        self.seed = seed
        self.scale = scale
        volumes = scaled_volumes(network.shelves, scale)
        self.expected_volumes = volumes
        by_profile: dict[str, list[Shelf]] = {}
        for shelf in network.shelves:
            by_profile.setdefault(shelf.profile, []).append(shelf)
        self._groups: list[_Group] = []
        for profile, shelves in by_profile.items():
            sizes = [volumes[s.code] for s in shelves]
            self._groups.append(_Group(profile, shelves, sizes, list(itertools.accumulate(sizes))))
        self._central = next(g for g in self._groups if g.profile == "central")
        self._shelves = {s.code: s for s in network.shelves}
        self._counters: dict[str, int] = {}
        self._survey(scale.titles)

    def _survey(self, titles: int) -> None:
        """Estimate Σ affinity over the whole catalogue for every group."""
        classics = min(len(CLASSICS), titles)
        profiles = [title_profile(self.seed, i) for i in range(classics)]
        rest = range(classics, titles)
        step = max(1, len(rest) // SURVEY_SIZE)
        sample = [title_profile(self.seed, i) for i in rest[::step]]
        weight = len(rest) / len(sample) if sample else 0.0
        for group in self._groups:
            appetite = APPETITES[group.profile]
            central = group is self._central
            exact = sum(affinity(appetite, p, central=central) for p in profiles)
            sampled = sum(affinity(appetite, p, central=central) for p in sample)
            group.normaliser = exact + weight * sampled

    # --- copies of one title ---------------------------------------------------

    def plan(self, title: Title) -> list[Holding]:
        rng = random.Random(f"wenjin-demo-holdings:{self.seed}:{title.index}")
        profile = title.profile
        holdings: list[Holding] = []
        for group in self._groups:
            if group.total == 0 or group.normaliser == 0:
                continue
            central = group is self._central
            expected = (
                group.total
                * affinity(APPETITES[group.profile], profile, central=central)
                / group.normaliser
            )
            copies = _stochastic_round(rng, expected)
            if central:
                holdings.extend(self._central_copies(rng, title, copies))
            elif copies:
                for shelf in self._pick(rng, group, copies):
                    holdings.append(self._copy(rng, title, shelf))
        if not holdings:
            holdings.extend(self._central_copies(rng, title, 1))
        if profile.local:
            holdings.append(self._copy(rng, title, self._shelves[NEW_BUILDING], item_type="LOCAL"))
        return holdings

    def _central_copies(self, rng: random.Random, title: Title, copies: int) -> list[Holding]:
        profile = title.profile
        if profile.reference:
            copies = min(max(copies, 1), MAX_REFERENCE_COPIES)
            # the reading room copy in the new building, a second one in the stacks
            return [
                self._copy(rng, title, self._shelves[NEW_BUILDING if n == 0 else OLD_BUILDING])
                for n in range(copies)
            ]
        out = []
        for _ in range(min(copies, MAX_CENTRAL_COPIES)):
            out.append(self._copy(rng, title, self._shelves[self._central_building(rng, profile)]))
        return out

    @staticmethod
    def _central_building(rng: random.Random, profile: TitleProfile) -> str:
        # The new building (2018) took the children's library, the foreign-language
        # books and the local collection, and most recent books; older books are in
        # the old building's stacks.
        if profile.audience == "child" or profile.english or profile.local:
            return NEW_BUILDING
        chance_old = 0.8 if profile.year < 2000 else 0.5 if profile.year < 2010 else 0.18
        return OLD_BUILDING if rng.random() < chance_old else NEW_BUILDING

    def _pick(self, rng: random.Random, group: _Group, copies: int) -> list[Shelf]:
        """``copies`` points of ``group``, distinct while there are enough, in proportion to size."""
        count = len(group.shelves)
        chosen: list[Shelf] = []
        taken: set[int] = set()
        for _ in range(copies):
            for _attempt in range(8):
                index = bisect.bisect(group.cumulative, rng.random() * group.total)
                if index not in taken or len(taken) >= count:
                    break
            taken.add(index)
            chosen.append(group.shelves[index])
        return chosen

    def _copy(
        self, rng: random.Random, title: Title, shelf: Shelf, *, item_type: str | None = None
    ) -> Holding:
        profile = title.profile
        if item_type is None:
            if profile.reference:
                item_type = "REF"
            elif profile.audience == "child":
                item_type = "CHILD"
            else:
                item_type = "BOOK"
        return Holding(
            barcode=self._barcode(shelf),
            home=shelf.owner,
            current=shelf.code,
            item_type=item_type,
            location=_location(shelf, item_type, profile),
            call_number=title.call_number,
            price_fen=title.price_fen,
            acquired_on=self._acquired(rng, title.year, shelf),
        )

    def _barcode(self, shelf: Shelf) -> str:
        number = self._counters.get(shelf.barcode_prefix, 0) + 1
        self._counters[shelf.barcode_prefix] = number
        return f"{shelf.barcode_prefix}{number:0{shelf.barcode_digits}d}"

    @staticmethod
    def _acquired(rng: random.Random, year: int, shelf: Shelf) -> date:
        # Bought the year it came out or soon after; a point opened later got its
        # books when it opened (a village room set up in 2010 was stocked in 2010).
        lag = 0 if rng.random() < 0.8 else 1 if rng.random() < 0.85 else 2
        opened = shelf.opened if shelf.profile in _STOCKED_WHEN_OPENED else year
        bought = min(LAST_YEAR, max(year + lag, opened))
        start = date(bought, 1, 1)
        last = date(bought, 12, 31)
        return min(last, start + timedelta(days=rng.randrange(365)))


_STOCKED_WHEN_OPENED = frozenset({"village", "self_service", "scenic"})

_CENTRAL_LOCATIONS = {
    "CHILD": "少儿借阅区",
    "REF": "工具书阅览区",
    "LOCAL": "地方文献室",
}


def _location(shelf: Shelf, item_type: str, profile: TitleProfile) -> str:
    if shelf.code == NEW_BUILDING:
        if profile.english and item_type == "BOOK":
            return "外文图书借阅区"
        return _CENTRAL_LOCATIONS.get(item_type, shelf.location)
    if shelf.profile == "branch" and item_type == "CHILD":
        return "少儿阅览室"
    return shelf.location


def expected_total(planner: HoldingsPlanner) -> int:
    """The volumes the planner aims at (the scale's volumes, after rounding per point)."""
    return sum(planner.expected_volumes.values())


def count_by_point(holdings: Sequence[Holding]) -> dict[str, int]:
    out: dict[str, int] = {}
    for holding in holdings:
        out[holding.current] = out.get(holding.current, 0) + 1
    return out
