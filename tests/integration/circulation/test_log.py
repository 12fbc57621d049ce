"""The circulation log is append-only, in the ORM and in the database itself."""

from __future__ import annotations

import pytest
from circ_library import ADULT, CircLibrary, day
from helpers import Uow, give_back, lend
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from wenjin.circulation.errors import LogIsAppendOnly
from wenjin.circulation.log import record_event
from wenjin.circulation.models import CirculationEvent
from wenjin.circulation.queries import events


def test_every_change_leaves_an_entry_with_who_where_when_and_what(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000001")
    give_back(uow, "ZC01000001", at="ZC-CC", now=day(3, 20))
    with uow(readonly=True) as work:
        lines = events(work.session, item_id=library.items["ZC01000001"])
    assert [line.action for line in lines] == ["checkin", "transit_created", "checkout"]
    checkin_line = lines[0]
    assert checkin_line.point == "ZC-CC"
    assert checkin_line.barcode == "ZC01000001"
    assert checkin_line.at == day(3, 20)
    assert checkin_line.before is not None
    assert checkin_line.before["loan_status"] == "open"
    assert checkin_line.after is not None
    assert checkin_line.after["loan_status"] == "returned"
    with uow(readonly=True) as work:
        mine = events(work.session, patron_id=library.patrons[ADULT])
    assert {line.action for line in mine} == {"checkout", "checkin"}


def test_record_event_stores_dates_and_enums_as_plain_values(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        entry = record_event(
            work.session,
            action="fee_waived",
            point=library.points["ZC"],
            actor="财务室",
            after={"on": day(3, 3).date(), "at": day(3, 3), "nested": {"list": [day(3, 3).date()]}},
        )
        work.commit()
        entry_id = entry.id
    with uow(readonly=True) as work:
        stored = work.session.get(CirculationEvent, entry_id)
        assert stored is not None
        assert stored.actor == "财务室"
        assert stored.after == {
            "on": "2026-03-03",
            "at": "2026-03-03T10:00:00+08:00",
            "nested": {"list": ["2026-03-03"]},
        }


def _one_entry(uow: Uow, library: CircLibrary) -> int:
    with uow() as work:
        entry = record_event(work.session, action="checkout", point=library.points["ZC"])
        work.commit()
        return entry.id


def test_the_orm_refuses_to_change_a_log_entry(library: CircLibrary, uow: Uow) -> None:
    entry_id = _one_entry(uow, library)
    with uow() as work:
        entry = work.session.get(CirculationEvent, entry_id)
        assert entry is not None
        entry.action = "checkin"
        with pytest.raises(LogIsAppendOnly):
            work.session.flush()


def test_the_orm_refuses_to_delete_a_log_entry(library: CircLibrary, uow: Uow) -> None:
    entry_id = _one_entry(uow, library)
    with uow() as work:
        work.session.delete(work.session.get(CirculationEvent, entry_id))
        with pytest.raises(LogIsAppendOnly):
            work.session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        update(CirculationEvent).values(action="tampered"),
        delete(CirculationEvent),
        text("UPDATE circulation_events SET actor = 'someone else'"),
        text("DELETE FROM circulation_events"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_the_database_refuses_to_change_or_delete_log_entries(
    library: CircLibrary, uow: Uow, statement: object
) -> None:
    _one_entry(uow, library)
    with uow() as work, pytest.raises(DatabaseError) as caught:
        work.session.execute(statement)  # type: ignore[call-overload]
    assert "append-only" in str(caught.value)
    with uow(readonly=True) as work:
        assert work.session.scalars(select(CirculationEvent.action)).all() == ["checkout"]
