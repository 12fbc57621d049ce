"""The hot path's single-statement writes check versions and keep the session's objects in step."""

from __future__ import annotations

import pytest
from circ_library import CircLibrary
from helpers import Uow
from sqlalchemy.orm.attributes import set_committed_value

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import ConcurrentChange
from wenjin.circulation.writes import update_row


def test_an_update_changes_the_row_and_the_object_and_bumps_the_version(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        item = work.session.get(Item, library.items["ZC01000002"])
        assert item is not None
        seen = item.version
        update_row(work.session, item, {"status": ItemStatus.MISSING}, label=item.barcode)
        assert (item.status, item.version) == (ItemStatus.MISSING, seen + 1)
        assert not work.session.dirty  # nothing left for the ORM to write twice
        work.commit()
    with uow(readonly=True) as work:
        stored = work.session.get(Item, library.items["ZC01000002"])
        assert stored is not None
        assert (stored.status, stored.version) == (ItemStatus.MISSING, seen + 1)


def test_a_row_changed_since_it_was_read_is_not_written_over(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work:
        item = work.session.get(Item, library.items["ZC01000002"])
        assert item is not None
        set_committed_value(item, "version", item.version - 1)  # as if read before another change
        with pytest.raises(ConcurrentChange) as caught:
            update_row(work.session, item, {"status": ItemStatus.MISSING}, label=item.barcode)
    assert "ZC01000002" in caught.value.message_zh
