"""A small network with readers, priced and unpriced books and loans, written with the models.

Shared by the fees integration tests (through their conftest) and the functional
tests (which load this file by path). Dates are fixed around World Book Day 2026
(4·23, the day Zhucheng holds its 特别还书日).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from wenjin.catalog.models import BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.circulation.models import Loan
from wenjin.circulation.states import LoanStatus
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.services import ensure_default_categories, register_patron

NETWORK_TZ = ZoneInfo("Asia/Shanghai")
BOOK_DAY = date(2026, 4, 23)


@dataclass(frozen=True)
class FeeLibrary:
    central: int  # ZC 诸城市图书馆
    branch: int  # ZC-XD 辛兴镇图书馆
    village: int  # ZC-XD-V01 辛兴镇王家庄农家书屋, under the branch
    school: int  # ZC-S01 诸城市实验中学图书馆
    reader: int  # 王小明, card ZC00012345
    other_reader: int  # 李娜, card ZC00012346
    novel: int  # ZC01000001 平凡的世界: the copy's own price ¥108.00
    scifi: int  # ZC01000002 三体: no copy price, the record's ¥23.00
    old_book: int  # ZC01000003 红岩 (1961 printing): no price anywhere


def local_time(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of a network-time-zone day (aware, so that it can be stored)."""
    return datetime.combine(day, time(hour, minute), tzinfo=NETWORK_TZ)


def _marc(control_number: str, title: str) -> str:
    return json.dumps(
        {
            "leader": "00714nam0 2200229   450 ",
            "fields": [
                {"001": control_number},
                {"200": {"ind1": "1", "ind2": " ", "subfields": [{"a": title}]}},
            ],
        },
        ensure_ascii=False,
    )


def _record(control_number: str, title: str, isbn: str | None, price_fen: int | None) -> BibRecord:
    return BibRecord(
        source="test",
        control_number=control_number,
        fingerprint=control_number.ljust(40, "0"),
        flavour=MarcFlavour.CNMARC,
        marc=_marc(control_number, title),
        title=title,
        isbn=isbn,
        price_fen=price_fen,
        language="chi",
        isbns=[BibIsbn(position=0, isbn=isbn, valid=True)] if isbn else [],
    )


def build_fee_library(session: Session) -> FeeLibrary:
    central = ServicePoint(code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL)
    branch = ServicePoint(code="ZC-XD", name="辛兴镇图书馆", kind=PointKind.BRANCH, parent=central)
    village = ServicePoint(
        code="ZC-XD-V01", name="辛兴镇王家庄农家书屋", kind=PointKind.VILLAGE, parent=branch
    )
    school = ServicePoint(
        code="ZC-S01", name="诸城市实验中学图书馆", kind=PointKind.SCHOOL, parent=central
    )
    session.add_all([central, branch, village, school])
    ensure_default_categories(session)
    session.flush()
    reader = register_patron(
        session,
        card_number="ZC00012345",
        name="王小明",
        category="SENIOR",
        home_point=branch,
        today=date(2026, 1, 5),
    )
    other = register_patron(
        session,
        card_number="ZC00012346",
        name="李娜",
        category="SENIOR",
        home_point=central,
        today=date(2026, 1, 5),
    )
    book = ItemType(code="BOOK", name="普通图书", name_en="Book", lendable=True)
    novel = _record("ZC2012000101", "平凡的世界", "9787530216781", 10800)
    scifi = _record("ZC2008000202", "三体", "9787536692930", 2300)
    old = _record("ZC1961000303", "红岩", None, None)
    items = [
        Item(
            barcode=barcode,
            bib=record,
            owning_point=central,
            current_point=central,
            item_type=book,
            status=ItemStatus.ON_LOAN,
            price_fen=price,
        )
        for barcode, record, price in (
            ("ZC01000001", novel, 10800),
            ("ZC01000002", scifi, None),
            ("ZC01000003", old, None),
        )
    ]
    session.add_all(items)
    session.flush()
    return FeeLibrary(
        central=central.id,
        branch=branch.id,
        village=village.id,
        school=school.id,
        reader=reader.id,
        other_reader=other.id,
        novel=items[0].id,
        scifi=items[1].id,
        old_book=items[2].id,
    )


def make_loan(
    session: Session,
    *,
    item_id: int,
    patron_id: int,
    point_id: int,
    due_on: date,
    returned_on: date | None = None,
    return_point_id: int | None = None,
) -> Loan:
    """A loan lent 30 days before ``due_on`` at ¥0.10 a day, capped at ¥20; returned on
    ``returned_on`` (at 10:00) when given."""
    item = session.get(Item, item_id)
    assert item is not None
    checked_out = local_time(date.fromordinal(due_on.toordinal() - 30))
    loan = Loan(
        item_id=item_id,
        patron_id=patron_id,
        card_number="ZC00012345",
        item_type_id=item.item_type_id,
        checkout_point_id=point_id,
        checked_out_at=checked_out,
        due_on=due_on,
        renewals=0,
        status=LoanStatus.RETURNED if returned_on else LoanStatus.OPEN,
        returned_at=local_time(returned_on) if returned_on else None,
        return_point_id=(return_point_id or point_id) if returned_on else None,
        loan_days=30,
        renewals_allowed=1,
        renewal_days=30,
        fine_per_day_fen=10,
        max_fine_fen=2000,
    )
    session.add(loan)
    session.flush()
    return loan
