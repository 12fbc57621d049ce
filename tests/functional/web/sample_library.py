"""A small network with a few catalogue records, written straight with the models.

Used by the web page tests and the browser tests (which load this file by path).
Dates are relative to today in the network's time zone, so that "closed today"
and "upcoming closed days" mean the same thing whenever the tests run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from wenjin.catalog.models import BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.network.models import ClosedDay, ServicePoint
from wenjin.network.states import PointKind

NETWORK_TZ = ZoneInfo("Asia/Shanghai")
EVERY_DAY = {str(day): ["09:00-17:00"] for day in range(1, 8)}


@dataclass(frozen=True)
class SampleLibrary:
    today: date
    novel_id: int  # 平凡的世界: copies at the central library, a town branch, one in transit
    scifi_id: int  # 三体: on the hold shelf at the centre, on the shelf in a village
    no_copies_id: int  # Python编程: a record without items


def network_today() -> date:
    return datetime.now(NETWORK_TZ).date()


def _cnmarc(fields: list[tuple[str, str, list[tuple[str, str]]] | tuple[str, str]]) -> str:
    out: list[dict[str, object]] = []
    for field in fields:
        if len(field) == 2:
            out.append({field[0]: field[1]})
        else:
            tag, indicators, subfields = field
            out.append(
                {
                    tag: {
                        "ind1": indicators[0],
                        "ind2": indicators[1],
                        "subfields": [{code: value} for code, value in subfields],
                    }
                }
            )
    return json.dumps({"leader": "01024nam0 2200277   450 ", "fields": out}, ensure_ascii=False)


def build_sample_library(session: Session) -> SampleLibrary:
    today = network_today()
    root = ServicePoint(
        code="ZC",
        name="诸城市图书馆总分馆",
        name_en="Zhucheng Library Network",
        kind=PointKind.NETWORK,
        lends=False,
        sort_order=0,
    )
    central = ServicePoint(
        code="ZC-CEN",
        name="诸城市图书馆",
        name_en="Zhucheng City Library",
        kind=PointKind.CENTRAL,
        parent=root,
        address="山东省诸城市密州路 1 号",
        phone="0536-6062345",
        is_pickup_point=True,
        opening_hours=EVERY_DAY,
        sort_order=1,
    )
    town = ServicePoint(
        code="ZC-XZ",
        name="相州镇图书馆",
        name_en="Xiangzhou Town Library",
        kind=PointKind.BRANCH,
        parent=central,
        address="诸城市相州镇驻地",
        is_pickup_point=True,
        sort_order=2,
    )
    village = ServicePoint(
        code="XZ-WJZ",
        name="王家庄村农家书屋",
        kind=PointKind.VILLAGE,
        parent=town,
        sort_order=1,
        opening_hours={"6": ["14:00-17:00"], "7": ["14:00-17:00"]},
    )
    session.add_all([root, central, town, village])
    session.flush()
    session.add_all(
        [
            # The town branch closes today; the whole network closes in three days.
            ClosedDay(point_id=town.id, day=today, reason="设备检修"),
            ClosedDay(point_id=root.id, day=today + timedelta(days=3), reason="全馆盘点"),
        ]
    )
    book = ItemType(code="BOOK", name="普通图书", name_en="Book", lendable=True)
    session.add(book)
    session.flush()

    novel = BibRecord(
        source="test",
        control_number="ZC2012000101",
        fingerprint="a" * 40,
        flavour=MarcFlavour.CNMARC,
        marc=_cnmarc(
            [
                ("001", "ZC2012000101"),
                ("010", "  ", [("a", "978-7-5302-1678-1"), ("d", "CNY108.00")]),
                ("200", "1 ", [("a", "平凡的世界"), ("d", "Ordinary world"), ("f", "路遥著")]),
                ("210", "  ", [("a", "北京"), ("c", "北京十月文艺出版社"), ("d", "2012")]),
                ("690", "  ", [("a", "I247.57"), ("v", "5")]),
                ("701", " 0", [("a", "路遥"), ("4", "著")]),
            ]
        ),
        title="平凡的世界",
        title_parallel=["Ordinary world"],
        responsibility="路遥著",
        authors=["路遥"],
        isbn="9787530216781",
        publisher="北京十月文艺出版社",
        pub_place="北京",
        year=2012,
        language="chi",
        clc="I247.57",
        subjects=["长篇小说—中国—当代"],
        price_fen=10800,
        isbns=[BibIsbn(position=0, isbn="9787530216781", valid=True)],
    )
    scifi = BibRecord(
        source="test",
        control_number="ZC2008000202",
        fingerprint="b" * 40,
        flavour=MarcFlavour.CNMARC,
        marc=_cnmarc(
            [
                ("001", "ZC2008000202"),
                ("010", "  ", [("a", "978-7-5366-9293-0"), ("d", "CNY23.00")]),
                ("200", "1 ", [("a", "三体"), ("f", "刘慈欣著")]),
                ("210", "  ", [("a", "重庆"), ("c", "重庆出版社"), ("d", "2008")]),
            ]
        ),
        title="三体",
        responsibility="刘慈欣著",
        authors=["刘慈欣"],
        isbn="9787536692930",
        publisher="重庆出版社",
        pub_place="重庆",
        year=2008,
        language="chi",
        clc="I247.55",
        series=["中国科幻基石丛书"],
        price_fen=2300,
        isbns=[BibIsbn(position=0, isbn="9787536692930", valid=True)],
    )
    no_copies = BibRecord(
        source="test",
        control_number="ZC2016000303",
        fingerprint="c" * 40,
        flavour=MarcFlavour.CNMARC,
        marc=_cnmarc([("001", "ZC2016000303")]),
        title="Python编程：从入门到实践",
        title_parallel=["Python crash course"],
        responsibility="(美) 埃里克·马瑟斯著 ; 袁国忠译",
        authors=["马瑟斯", "袁国忠"],
        isbn="9787115428028",
        publisher="人民邮电出版社",
        year=2016,
        clc="TP311.561",
        price_fen=8900,
        isbns=[
            BibIsbn(position=0, isbn="9787115428028", valid=True),
            BibIsbn(position=1, isbn="7-115-4280X", valid=False, qualifier="平装"),
        ],
    )
    session.add_all([novel, scifi, no_copies])
    session.flush()

    def item(
        barcode: str,
        bib: BibRecord,
        home: ServicePoint,
        status: ItemStatus = ItemStatus.AVAILABLE,
        *,
        here: ServicePoint | None = None,
        call_number: str | None = None,
    ) -> Item:
        return Item(
            barcode=barcode,
            bib_id=bib.id,
            owning_point_id=home.id,
            current_point_id=(here or home).id,
            item_type_id=book.id,
            status=status,
            call_number=call_number,
            location="中文图书借阅区",
            price_fen=bib.price_fen,
        )

    session.add_all(
        [
            item("ZC00000101", novel, central, call_number="I247.57/4"),
            item("ZC00000102", novel, central, ItemStatus.ON_LOAN, call_number="I247.57/4"),
            item(
                "ZC00000103",
                novel,
                central,
                ItemStatus.IN_TRANSIT,
                here=town,
                call_number="I247.57/4",
            ),
            item("XZ00000104", novel, town, call_number="I247.57/4"),
            item("ZC00000105", novel, central, ItemStatus.WITHDRAWN, call_number="I247.57/4"),
            item("ZC00000201", scifi, central, ItemStatus.ON_HOLD_SHELF, call_number="I247.55/12"),
            item("XZ00000202", scifi, village, call_number="I247.55/12"),
        ]
    )
    session.flush()
    return SampleLibrary(
        today=today, novel_id=novel.id, scifi_id=scifi.id, no_copies_id=no_copies.id
    )
