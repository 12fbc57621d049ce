"""Extraction: golden files for every sample, and the rules a cataloguer would check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import isbn as stdnum_isbn

from wenjin.catalog.marc.extract import clean, extract, is_valid_isbn13, parse_isbn
from wenjin.catalog.marc.reading import IncomingRecord, read_marc
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.states import MarcFlavour

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"
EXPECTED = DATA / "expected"

GOLDEN = [
    "marc.dat",
    "marc8.dat",
    "multi_isbn.dat",
    "utf8_with_leader_flag.dat",
    "testunimarc.dat",
    "cnmarc_bnu10_from_dp2_sru_sample.utf8.iso",
    "sample_cnmarcxml.xml",
    "marc21_chinese_sample_marcxml.xml",
    "batch.xml",
    "batch.json",
]


def extracted_file(name: str) -> list[dict[str, object]]:
    out = []
    for result in read_marc(DATA / name):
        if isinstance(result, IncomingRecord):
            assert isinstance(result.record, MarcRecord)
            data = extract(result.record, result.flavour).as_dict()
            out.append({"position": result.position, "flavour": result.flavour.value, **data})
    return out


@pytest.mark.parametrize("name", GOLDEN)
def test_extraction_matches_the_golden_file(name: str) -> None:
    got = extracted_file(name)
    expected_path = EXPECTED / f"{name}.json"
    if not expected_path.exists():
        expected_path.write_text(
            json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        pytest.fail(f"no expectation for {name}: wrote {expected_path}; review it and run again")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected


def test_gb18030_and_utf8_exports_of_the_same_records_extract_the_same() -> None:
    assert extracted_file("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso") == extracted_file(
        "cnmarc_bnu10_from_dp2_sru_sample.utf8.iso"
    )


def marc21(*fields: Field, leader: str = "00000nam a2200000   4500") -> MarcRecord:
    return MarcRecord(leader, list(fields))


def cnmarc(*fields: Field) -> MarcRecord:
    return MarcRecord("00000nam0 2200000   450 ", list(fields))


def data(tag: str, *subfields: tuple[str, str], ind1: str = " ", ind2: str = " ") -> Field:
    return Field(tag, ind1, ind2, list(subfields))


def test_a_romanised_245_with_an_880_gives_the_vernacular_title_and_keeps_the_pinyin() -> None:
    record = marc21(
        Field("008", data="950214s1994    cc            000 0 chi d"),
        data("100", ("6", "880-01"), ("a", "Fan, Wenlan,"), ind1="1"),
        data(
            "245", ("6", "880-02"), ("a", "Zhongguo tong shi /"), ("c", "Fan Wenlan zhu."), ind1="1"
        ),
        data("880", ("6", "100-01/$1"), ("a", "范文澜,"), ind1="1"),
        data("880", ("6", "245-02/$1"), ("a", "中国通史 /"), ("c", "范文澜著."), ind1="1"),
    )
    e = extract(record, MarcFlavour.MARC21)
    assert e.title == "中国通史"
    assert e.title_parallel == ["Zhongguo tong shi"]
    assert e.title_pinyin == "Zhongguo tong shi"
    assert e.responsibility == "范文澜著"
    assert e.authors == ["范文澜", "Fan, Wenlan"]
    assert e.author_pinyin == "Fan, Wenlan"
    assert e.language == "chi"


def test_marc21_title_parts_lose_their_isbd_punctuation() -> None:
    record = marc21(
        data(
            "245",
            ("a", "中国大百科全书."),
            ("n", "第2卷,"),
            ("p", "天文学 /"),
            ("c", "中国大百科全书出版社编辑部编."),
        )
    )
    e = extract(record, MarcFlavour.MARC21)
    assert e.title == "中国大百科全书. 第2卷, 天文学"
    assert e.responsibility == "中国大百科全书出版社编辑部编"


def test_clc_comes_from_084_with_source_clc_and_other_classes_keep_their_scheme() -> None:
    record = marc21(
        data("245", ("a", "平凡的世界")),
        data("050", ("a", "PL2879.L8"), ("b", "P56 2008"), ind2="4"),
        data("082", ("a", "895.1/352"), ("2", "22")),
        data("084", ("a", "I247.5"), ("2", "clc")),
    )
    e = extract(record, MarcFlavour.MARC21)
    assert e.clc == "I247.5"
    assert e.classes == [
        {"scheme": "lcc", "number": "PL2879.L8 P56 2008"},
        {"scheme": "ddc", "number": "895.1/352"},
        {"scheme": "clc", "number": "I247.5"},
    ]


def test_isbns_are_normalised_to_isbn13_and_invalid_ones_are_kept_and_flagged() -> None:
    record = marc21(
        data("245", ("a", "Test")),
        data("020", ("a", "0-596-00085-5 (pbk.) :"), ("c", "CNY45.80")),
        data("020", ("a", "7-5037-1744-9")),
        data("020", ("z", "7503717440")),
    )
    e = extract(record, MarcFlavour.MARC21)
    assert e.isbn == "9780596000851"
    assert e.isbns[0].qualifier == "pbk."
    assert (e.isbns[1].isbn, e.isbns[1].valid) == ("7-5037-1744-9", False)
    assert e.isbns[2].cancelled
    assert e.isbn_invalid
    assert e.price_fen == 4580


def test_cnmarc_extraction_reads_pinyin_from_upper_case_subfields() -> None:
    record = cnmarc(
        data("010", ("a", "978-7-02-000220-7"), ("b", "精装"), ("d", "CNY59.70")),
        data("100", ("a", "20080111d2008    m  y0chiy50      ea")),
        data("101", ("a", "chi"), ind1="0"),
        data(
            "200",
            ("a", "红楼梦"),
            ("A", "Hong Lou Meng"),
            ("e", "校注本"),
            ("f", "曹雪芹著"),
            ("g", "高鹗续"),
            ind1="1",
        ),
        data("205", ("a", "3版")),
        data("210", ("a", "北京"), ("c", "人民文学出版社"), ("d", "2008.7")),
        data("225", ("a", "中国古典文学读本丛书"), ind1="2"),
        data("606", ("a", "章回小说"), ("y", "中国"), ("z", "清代"), ind1="0"),
        data("690", ("a", "I242.47"), ("v", "5")),
        data("701", ("a", "曹雪芹"), ("A", "Cao Xue Qin"), ("4", "著"), ind2="0"),
        data("702", ("a", "高鹗"), ("A", "Gao E"), ("4", "续"), ind2="0"),
    )
    e = extract(record, MarcFlavour.CNMARC)
    assert e.title == "红楼梦：校注本"
    assert e.title_pinyin == "Hong Lou Meng"
    assert e.responsibility == "曹雪芹著 ; 高鹗续"
    assert e.authors == ["曹雪芹", "高鹗"]
    assert e.author_pinyin == "Cao Xue Qin; Gao E"
    assert e.isbn == "9787020002207"
    assert e.isbns[0].qualifier == "精装"
    assert e.price_fen == 5970
    assert (e.edition, e.publisher, e.pub_place, e.year) == ("3版", "人民文学出版社", "北京", 2008)
    assert e.clc == "I242.47"
    assert e.subjects == ["章回小说 -- 中国 -- 清代"]
    assert e.series == ["中国古典文学读本丛书"]
    assert e.language == "chi"


def test_a_cnmarc_multi_volume_title_keeps_its_part_number_and_name() -> None:
    record = cnmarc(data("200", ("a", "中国通史"), ("h", "第3册"), ("i", "秦汉"), ind1="1"))
    assert extract(record, MarcFlavour.CNMARC).title == "中国通史. 第3册, 秦汉"


def test_the_year_falls_back_to_the_publication_field_when_008_has_none() -> None:
    record = marc21(
        Field("008", data="190611s########                  e chi  "),
        data("245", ("a", "'92中国备忘")),
        data("260", ("b", "贵州人民出版社"), ("c", "1993.3")),
    )
    assert extract(record, MarcFlavour.MARC21).year == 1993


def test_a_foreign_price_is_not_taken_as_yuan() -> None:
    record = marc21(
        data("245", ("a", "Halcyon")), data("020", ("a", "9781848092259"), ("c", "£20.00"))
    )
    assert extract(record, MarcFlavour.MARC21).price_fen is None


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("The pragmatic programmer :", "The pragmatic programmer"),
        ("Lutz, Mark.", "Lutz, Mark"),
        ("Wu, Z.Y.", "Wu, Z.Y."),
        ("2nd ed.", "2nd ed."),
        ("  中国  发展报告 /", "中国 发展报告"),
        ("\x88L'\x89altra faccia", "L'altra faccia"),
        ("remazim ...", "remazim ..."),
    ],
)
def test_clean_drops_isbd_punctuation_but_keeps_initials_and_abbreviations(
    raw: str, cleaned: str
) -> None:
    assert clean(raw) == cleaned


def test_parse_isbn_separates_the_number_from_its_qualifier() -> None:
    entry = parse_isbn("9781848092259 (hbk.) :")
    assert entry is not None
    assert (entry.isbn, entry.valid, entry.qualifier) == ("9781848092259", True, "hbk.")
    assert parse_isbn("(pbk.)") is None


@given(
    st.sampled_from(["978", "979", "977", "123"]), st.text("0123456789", min_size=10, max_size=10)
)
def test_the_fast_isbn13_check_agrees_with_python_stdnum(prefix: str, rest: str) -> None:
    number = prefix + rest
    assert is_valid_isbn13(number) is stdnum_isbn.is_valid(number)
