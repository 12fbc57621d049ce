"""How a waiting item leaves: by which courier leg, on which day, arriving when. No database.

A transit names only its origin and destination; the courier network decides the
way. An item waiting at a point leaves on the first leg of the earliest-arriving
route (:meth:`~wenjin.network.rules.RouteMap.earliest_arrival`), on the first day
that leg's courier runs; at a hub on the way it is received and sent on (the
transit is re-routed there), so a manifest only ever lists first legs.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from wenjin.network.rules import Leg, RouteMap

N = TypeVar("N", bound=Hashable)


@dataclass(frozen=True)
class Dispatch(Generic[N]):
    """The way out for one item: the next stop, the day it leaves, the day it arrives."""

    next_stop: N
    leaves_on: date
    arrives_on: date
    path: tuple[N, ...]


def next_departure(leg: Leg[N], day: date) -> date:
    """The first day on or after ``day`` that the courier of ``leg`` leaves."""
    leave = day
    if leg.weekdays:
        while leave.isoweekday() not in leg.weekdays:
            leave += timedelta(days=1)
    return leave


def dispatch(routes: RouteMap[N], origin: N, destination: N, ready_on: date) -> Dispatch[N] | None:
    """How an item ready at ``origin`` on ``ready_on`` reaches ``destination``; ``None`` when
    no chain of courier legs joins them."""
    found = routes.earliest_arrival(origin, destination, ready_on)
    if found is None or len(found[1].path) < 2:
        return None
    arrives_on, route = found
    first = route.path[1]
    leg = next(leg for leg in routes.legs_from(origin) if leg.target == first)
    return Dispatch(first, next_departure(leg, ready_on), arrives_on, route.path)
