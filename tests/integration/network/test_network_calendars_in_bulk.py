"""The network page resolves every point's calendar at once; it must agree with calendar_for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ClosedDay, ServicePoint
from wenjin.network.queries import calendar_for, calendars_for, list_points
from wenjin.network.states import PointKind

START = date(2026, 9, 28)  # the week before 国庆节


def _point(
    code: str, kind: PointKind, parent: ServicePoint | None, **fields: object
) -> ServicePoint:
    return ServicePoint(code=code, name=code, kind=kind, parent=parent, **fields)


def test_calendars_for_the_whole_network_agree_with_calendar_for_each_point(
    uow: Callable[..., UnitOfWork],
) -> None:
    with uow() as work:
        root = _point("ZC", PointKind.NETWORK, None, lends=False)
        central = _point(
            "ZC-CEN",
            PointKind.CENTRAL,
            root,
            opening_hours={str(d): ["09:00-12:00", "14:00-17:30"] for d in range(2, 8)},
        )
        town = _point("ZC-XZ", PointKind.BRANCH, central)
        own_hours = _point(
            "XZ-SCHOOL", PointKind.SCHOOL, town, opening_hours={"1": ["08:00-16:00"]}
        )
        keeps_open = _point("XZ-24H", PointKind.SELF_SERVICE, town, inherit_closed_days=False)
        village = _point("XZ-WJZ", PointKind.VILLAGE, town)
        unconfigured = _point("LONE", PointKind.STATION, None)
        work.session.add_all([root, central, town, own_hours, keeps_open, village, unconfigured])
        work.session.flush()
        work.session.add_all(
            [
                ClosedDay(point_id=root.id, day=date(2026, 10, 1), reason="国庆节"),
                ClosedDay(point_id=root.id, day=date(2026, 10, 2), reason="国庆节"),
                ClosedDay(point_id=town.id, day=date(2026, 10, 2), reason="镇馆搬迁"),
                ClosedDay(point_id=village.id, day=date(2026, 9, 30), reason=None),
                ClosedDay(point_id=keeps_open.id, day=date(2026, 10, 3), reason="设备检修"),
                ClosedDay(point_id=central.id, day=date(2026, 9, 1), reason="before START"),
            ]
        )
        work.commit()

    with uow(readonly=True) as work:
        points = list_points(work.session)
        bulk = calendars_for(work.session, points, since=START)
        for point in points:
            one = calendar_for(work.session, point)
            assert bulk[point.id].hours_configured == one.hours_configured, point.code
            for offset in range(10):
                day = START + timedelta(days=offset)
                assert bulk[point.id].status(day) == one.status(day), (point.code, day)
