"""A small catalogue to search: a network of four points and records chosen to test ranking.

Loaded by the search tests of integration/ and functional/ (``load_test_module``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from wenjin.catalog.marc.reading import IncomingRecord
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.services import ensure_default_item_types, save_records
from wenjin.catalog.states import MarcFlavour
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.search.documents import record_text, write_documents


def cnmarc(
    control_number: str,
    title: str,
    *,
    author: str | None = None,
    year: int = 2020,
    isbn: str | None = None,
    clc: str | None = None,
    publisher: str = "人民文学出版社",
    subjects: tuple[str, ...] = (),
    parallel: str | None = None,
    copies: tuple[tuple[str, str], ...] = (),
) -> IncomingRecord:
    """A CNMARC record; ``copies`` are (point code, barcode) pairs in 905."""
    fields = [Field("001", data=control_number)]
    if isbn:
        fields.append(Field("010", " ", " ", [("a", isbn)]))
    fields.append(Field("100", " ", " ", [("a", f"20200101d{year}    em y0chiy50      ea")]))
    fields.append(Field("101", "0", " ", [("a", "chi")]))
    title_subfields = [("a", title)]
    if parallel:
        title_subfields.append(("d", parallel))
    if author:
        title_subfields.append(("f", author))
    fields.append(Field("200", "1", " ", title_subfields))
    fields.append(Field("210", " ", " ", [("a", "北京"), ("c", publisher), ("d", str(year))]))
    fields.extend(Field("606", "0", " ", [("a", s)]) for s in subjects)
    if clc:
        fields.append(Field("690", " ", " ", [("a", clc), ("v", "5")]))
    if author:
        fields.append(Field("701", " ", "0", [("a", author), ("4", "著")]))
    fields.extend(Field("905", " ", " ", [("a", p), ("b", b)]) for p, b in copies)
    return IncomingRecord(MarcRecord("00000nam0 2200000   450 ", fields), MarcFlavour.CNMARC, 1)


def marc21(
    control_number: str,
    title: str,
    *,
    author: str,
    year: int,
    isbn: str | None = None,
    copies: tuple[tuple[str, str], ...] = (),
) -> IncomingRecord:
    fields = [Field("001", data=control_number)]
    fields.append(Field("008", data=f"200101s{year}    nyu           000 1 eng d"))
    if isbn:
        fields.append(Field("020", " ", " ", [("a", isbn)]))
    fields.append(Field("100", "1", " ", [("a", author)]))
    fields.append(Field("245", "1", "4", [("a", title)]))
    fields.append(Field("264", " ", "1", [("b", "Scribner"), ("c", str(year))]))
    fields.extend(Field("952", " ", " ", [("a", p), ("p", b)]) for p, b in copies)
    return IncomingRecord(MarcRecord("00000nam a2200000 a 4500", fields), MarcFlavour.MARC21, 1)


# code, name, kind, parent
POINTS = [
    ("ZC", "诸城市图书馆总分馆", PointKind.NETWORK, None),
    ("ZX", "诸城市图书馆", PointKind.CENTRAL, "ZC"),
    ("CC", "昌城镇图书馆", PointKind.BRANCH, "ZC"),
    ("CC-V001", "后凉台村农家书屋", PointKind.VILLAGE, "CC"),
]


def catalogue() -> list[IncomingRecord]:
    """The records, made afresh each time (saving a record takes its holdings out of it)."""
    return [
        cnmarc(
            "HL1996",
            "红楼梦",
            author="曹雪芹",
            year=1996,
            isbn="7-02-000220-X",
            clc="I242.47",
            subjects=("章回小说",),
            copies=(("ZX", "ZX0000001"), ("CC-V001", "CC0000001")),
        ),
        cnmarc(
            "HL2005",
            "红楼梦",
            author="曹雪芹",
            year=2005,
            clc="I242.47",
            copies=(("ZX", "ZX0000002"),),
        ),
        cnmarc(
            "HLYJ",
            "红楼梦研究",
            author="俞平伯",
            year=2019,
            clc="I207.411",
            copies=(("ZX", "ZX0000003"),),
        ),
        cnmarc(
            "CXQZ",
            "曹雪芹传",
            author="周汝昌",
            year=2012,
            clc="K825.6",
            copies=(("CC", "CC0000002"),),
        ),
        cnmarc(
            "CQLY",
            "重庆旅游指南",
            author="张明",
            year=2018,
            clc="K928.971",
            copies=(("CC", "CC0000003"),),
        ),
        cnmarc(
            "CASE",
            "长安十二时辰",
            author="马伯庸",
            year=2017,
            isbn="978-7-5404-7967-1",
            clc="I247.5",
            copies=(("ZX", "ZX0000004"), ("CC", "CC0000004")),
        ),
        cnmarc(
            "ZGTS",
            "中国图书馆分类法",
            author="国家图书馆",
            year=2010,
            clc="G254.12",
            publisher="国家图书馆出版社",
            copies=(("ZX", "ZX0000005"),),
        ),
        cnmarc(
            "XYJ",
            "西游记",
            author="吴承恩",
            year=2015,
            clc="I242.4",
            copies=(("CC-V001", "CC0000005"),),
        ),
        marc21(
            "OMS1",
            "The old man and the sea",
            author="Hemingway, Ernest",
            year=1952,
            isbn="0-684-80122-1",
            copies=(("ZX", "ZX0000006"),),
        ),
        marc21(
            "SEA2",
            "The sea around us",
            author="Carson, Rachel",
            year=1951,
            copies=(("ZX", "ZX0000007"),),
        ),
        marc21(
            "BRON",
            "Wuthering heights",
            author="Brontë, Emily",
            year=2003,
            copies=(("CC", "CC0000006"),),
        ),
    ]


@dataclass(frozen=True)
class SearchLibrary:
    points: dict[str, int]
    records: dict[str, int]  # control number → record id


def build_search_library(session: Session) -> SearchLibrary:
    ensure_default_item_types(session)
    points: dict[str, int] = {}
    for code, name, kind, parent in POINTS:
        point = ServicePoint(
            code=code, name=name, kind=kind, parent_id=points[parent] if parent else None
        )
        session.add(point)
        session.flush()
        points[code] = point.id
    incoming = catalogue()
    control_numbers = [r.record.control("001") for r in incoming]
    result = save_records(session, incoming, source="zc")
    assert not result.rejected, result.problems
    records = dict(zip(control_numbers, result.record_ids, strict=True))
    return SearchLibrary(points, records)


def set_loan_counts(session: Session, counts: dict[int, int]) -> None:
    """Give records loan counts, as years of circulation would have."""
    from wenjin.catalog.models import BibRecord

    records = []
    for bib_id in counts:
        bib = session.get(BibRecord, bib_id)
        assert bib is not None
        columns = {
            name: getattr(bib, name)
            for name in (
                "title",
                "title_parallel",
                "authors",
                "responsibility",
                "subjects",
                "series",
                "publisher",
                "isbn",
                "clc",
                "classes",
                "year",
                "language",
            )
        }
        records.append(record_text(bib_id, columns, [i.isbn for i in bib.isbns]))
    write_documents(session, records, loan_counts=counts)
