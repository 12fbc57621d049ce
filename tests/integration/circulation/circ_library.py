"""A small lending network for the circulation tests, built through the real services.

诸城市图书馆 (ZC, closed on Mondays and over 清明 2026), two town branches, a
village reading room, the 24-hour self-service library and an office that does
not lend; readers of the main categories; books, a floating book, a reference
book and local documents. Shared by the integration tests (through their
conftest), the concurrency tests and the functional tests (loaded by path).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from wenjin.catalog.models import BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.services import ensure_default_item_types
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.circulation.policy import ensure_default_rules
from wenjin.network.models import ClosedDay, ServicePoint
from wenjin.network.states import PointKind
from wenjin.patrons.services import (
    ensure_default_categories,
    pay_deposit,
    record_credit_rating,
    register_patron,
)

NETWORK_TZ = ZoneInfo("Asia/Shanghai")
REGISTERED = date(2026, 1, 5)
# A Tuesday: the central library is open.
TODAY = date(2026, 3, 3)

_WEEKDAY_HOURS = ["09:00-17:00"]
CLOSED_MONDAYS = {str(day): _WEEKDAY_HOURS for day in range(2, 8)}
EVERY_DAY = {str(day): _WEEKDAY_HOURS for day in range(1, 8)}

# Card numbers as the library prints them.
ADULT = "ZC00012345"  # 王小明, adult, deposit paid
SENIOR = "ZC00012346"  # 李娜, senior (no deposit)
DOCTOR = "ZC00020001"  # 张华医生, medical staff: 优待
CREDIT = "ZC00030001"  # 赵敏, 信易阅 with a valid rating
LAPSED = "ZC00030002"  # 钱进, 信易阅 whose rating has lapsed, deposit paid
CHILD = "ZC00040001"  # 孙小雨, child reader
CLASS = "ZC00050001"  # 实验中学初一(3)班, institutional


def local_time(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of a network-time-zone day (aware, so that it can be stored)."""
    return datetime.combine(day, time(hour, minute), tzinfo=NETWORK_TZ)


NOW = local_time(TODAY)


@dataclass(frozen=True)
class Book:
    barcode: str
    title: str
    isbn: str
    price_fen: int
    item_type: str = "BOOK"
    owner: str = "ZC"
    floating: bool = False
    call_number: str = "I247.5/1"


BOOKS: tuple[Book, ...] = (
    Book("ZC01000001", "平凡的世界", "9787530216781", 10800, call_number="I247.57/11"),
    Book("ZC01000002", "三体", "9787536692930", 2300, call_number="I247.55/42"),
    Book("ZC01000003", "活着", "9787506365437", 2000, call_number="I247.57/12"),
    Book("ZC01000004", "围城", "9787020090006", 1900, call_number="I246.57/3"),
    Book("ZC01000005", "白鹿原", "9787020090419", 3900, call_number="I247.5/9"),
    Book("ZC01000006", "红高粱家族", "9787533945077", 3900, call_number="I247.5/16"),
    Book("ZC01000007", "额尔古纳河右岸", "9787020082414", 2500, call_number="I247.5/21"),
    Book("ZC02000001", "繁花", "9787020103027", 5800, owner="ZC-CC", call_number="I247.5/33"),
    Book("ZC03000001", "人世间", "9787020144532", 13800, floating=True, call_number="I247.5/70"),
    Book(
        "ZC04000001", "现代汉语词典", "9787100124508", 8990, item_type="REF", call_number="H164/5"
    ),
    Book(
        "ZC05000001", "诸城县志", "9787501317301", 12000, item_type="LOCAL", call_number="K295.24/1"
    ),
    Book(
        "ZC06000001",
        "读者（2026年第5期）",
        "9771005173003",
        600,
        item_type="PERIODICAL",
        call_number="Z89/2026-5",
    ),
    Book("ZC07000001", "小王子", "9787020042494", 2200, item_type="CHILD", call_number="I565.88/1"),
)


@dataclass(frozen=True)
class CircLibrary:
    points: dict[str, int]
    patrons: dict[str, int]  # card number → patron id
    items: dict[str, int]  # barcode → item id


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


def add_book(session: Session, book: Book, points: dict[str, ServicePoint]) -> Item:
    types = {t.code: t for t in session.scalars(select(ItemType))}
    record = BibRecord(
        source="test",
        control_number=f"CN{book.barcode}",
        fingerprint=book.barcode.ljust(40, "0"),
        flavour=MarcFlavour.CNMARC,
        marc=_marc(f"CN{book.barcode}", book.title),
        title=book.title,
        isbn=book.isbn,
        price_fen=book.price_fen,
        language="chi",
        isbns=[BibIsbn(position=0, isbn=book.isbn, valid=True)],
    )
    item = Item(
        barcode=book.barcode,
        bib=record,
        owning_point=points[book.owner],
        current_point=points[book.owner],
        item_type=types[book.item_type],
        status=ItemStatus.AVAILABLE,
        price_fen=book.price_fen,
        call_number=book.call_number,
        location="中文图书借阅区",
        floating=book.floating,
    )
    session.add(item)
    return item


def build_circ_library(session: Session) -> CircLibrary:
    central = ServicePoint(
        code="ZC", name="诸城市图书馆", kind=PointKind.CENTRAL, opening_hours=CLOSED_MONDAYS
    )
    points = {
        "ZC": central,
        "ZC-CC": ServicePoint(
            code="ZC-CC", name="昌城镇图书馆", kind=PointKind.BRANCH, parent=central
        ),
        "ZC-XX": ServicePoint(
            code="ZC-XX", name="辛兴镇图书馆", kind=PointKind.BRANCH, parent=central
        ),
        "ZC-V01": ServicePoint(
            code="ZC-V01", name="辛兴镇王家庄农家书屋", kind=PointKind.VILLAGE, parent=central
        ),
        "ZC-24H": ServicePoint(
            code="ZC-24H",
            name="24小时自助图书馆",
            kind=PointKind.SELF_SERVICE,
            parent=central,
            opening_hours={str(day): ["00:00-24:00"] for day in range(1, 8)},
            inherit_closed_days=False,
        ),
        "ZC-OFFICE": ServicePoint(
            code="ZC-OFFICE",
            name="采编办公室",
            kind=PointKind.BUILDING,
            parent=central,
            lends=False,
        ),
    }
    session.add_all(points.values())
    # 清明节 2026 at the central library (the branches inherit it).
    session.add_all(
        ClosedDay(point=central, day=date(2026, 4, day), reason="清明节") for day in (4, 5, 6)
    )
    ensure_default_categories(session)
    ensure_default_item_types(session)
    session.flush()
    ensure_default_rules(session)

    patrons = {}
    for card, name, category in (
        (ADULT, "王小明", "ADULT"),
        (SENIOR, "李娜", "SENIOR"),
        (DOCTOR, "张华", "MEDICAL"),
        (CREDIT, "赵敏", "CREDIT"),
        (LAPSED, "钱进", "CREDIT"),
        (CHILD, "孙小雨", "CHILD"),
        (CLASS, "实验中学初一(3)班", "INSTITUTION"),
    ):
        patron = register_patron(
            session,
            card_number=card,
            name=name,
            category=category,
            home_point=central,
            today=REGISTERED,
        )
        patrons[card] = patron
    for card in (ADULT, CHILD):
        pay_deposit(session, patron=patrons[card], method="wechat", at=local_time(REGISTERED))
    record_credit_rating(
        session,
        patron=patrons[CREDIT],
        source="诸城市信用中心",
        verified_on=date(2026, 1, 2),
        expires_on=date(2026, 12, 31),
        today=REGISTERED,
    )
    lapsed = patrons[LAPSED]
    lapsed.credit_source = "诸城市信用中心"
    lapsed.credit_verified_on = date(2025, 1, 2)
    lapsed.credit_expires_on = date(2025, 12, 31)
    pay_deposit(session, patron=lapsed, method="cash", at=local_time(REGISTERED), today=REGISTERED)
    items = {book.barcode: add_book(session, book, points) for book in BOOKS}
    session.flush()
    return CircLibrary(
        points={code: p.id for code, p in points.items()},
        patrons={card: p.id for card, p in patrons.items()},
        items={barcode: item.id for barcode, item in items.items()},
    )


def day(month: int, dom: int, hour: int = 10) -> datetime:
    """A moment of 2026 in the network's time zone: ``day(4, 7)`` is 7 April, 10:00."""
    return local_time(date(2026, month, dom), hour)
