"""The MARC editor's text form: reading it back, and every problem named with its line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wenjin.catalog.marc.editor import editor_text, isbn_problem, read_editor_text
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.rules import split_call_number
from wenjin.catalog.states import MarcFlavour

CN = MarcFlavour.CNMARC
US = MarcFlavour.MARC21

HONGLOU = """LDR 00000nam0#2200000###450#
001 ZC1982000001
010 ##$a978-7-02-000220-7$dCNY59.70
100 ##$a20200101d1982####em#y0chiy50######ea
200 1#$a红楼梦$A hong lou meng$f曹雪芹著
210 ##$a北京$c人民文学出版社$d1982
690 ##$aI242.47$v5
701 #0$a曹雪芹$4著
"""


def test_a_record_survives_the_trip_to_text_and_back() -> None:
    record = MarcRecord(
        "00000nam0 2200000   450 ",
        [
            Field("001", data="ZC1982000001"),
            Field("008", data="820101s1982    ch            000 0 chi d"),
            Field("200", "1", " ", [("a", "红楼梦"), ("f", "曹雪芹著")]),
            Field("010", " ", " ", [("a", "978-7-02-000220-7"), ("d", "CNY$59.70")]),
        ],
    )
    read = read_editor_text(editor_text(record), CN)
    assert read.problems == []
    assert read.record == record


def test_the_editor_shows_one_line_per_field_with_blanks_as_hashes() -> None:
    record = MarcRecord("00000nam0 2200000   450 ", [Field("200", "1", " ", [("a", "红楼梦")])])
    assert editor_text(record).splitlines() == ["LDR 00000nam0#2200000###450#", "200 1#$a红楼梦"]


def test_a_well_formed_cnmarc_record_has_no_problems_and_keeps_field_order() -> None:
    read = read_editor_text(HONGLOU, CN)
    assert read.problems == []
    assert [f.tag for f in read.record.fields] == ["001", "010", "100", "200", "210", "690", "701"]
    title = read.record.first("200")
    assert title is not None
    assert title.ind1 == "1"
    assert title.ind2 == " "
    assert title.subfields[1] == ("A", " hong lou meng")


def test_a_bad_indicator_is_reported_with_its_line() -> None:
    read = read_editor_text(HONGLOU.replace("200 1#$a", "200 1*$a"), CN)
    assert [(p.line, p.is_error) for p in read.problems] == [(5, True)]
    assert "第 5 行" in read.problems[0].message("zh")
    assert "indicator 2" in read.problems[0].message("en")


def test_a_tag_must_be_three_digits() -> None:
    read = read_editor_text(HONGLOU.replace("690 ##", "69A ##"), CN)
    assert read.errors[0].line == 7
    assert "3 digits" in read.errors[0].en


def test_a_control_field_has_no_indicators_or_subfields() -> None:
    read = read_editor_text(HONGLOU.replace("001 ZC1982000001", "001 ##$aZC1982000001"), CN)
    assert read.errors[0].line == 2
    assert "控制字段 001" in read.errors[0].zh


def test_a_data_field_needs_exactly_two_indicators() -> None:
    read = read_editor_text(HONGLOU.replace("210 ##$a", "210 #$a"), CN)
    assert read.errors[0].line == 6
    assert "two indicators" in read.errors[0].en


def test_a_subfield_code_is_one_letter_or_digit() -> None:
    read = read_editor_text(HONGLOU.replace("$c人民", "$*人民"), CN)
    assert read.errors[0].line == 6
    assert "'*'" in read.errors[0].en


def test_a_dollar_without_a_code_is_an_error() -> None:
    read = read_editor_text(HONGLOU.replace("$4著", "$"), CN)
    assert read.errors[0].line == 8


def test_the_leader_must_be_24_characters() -> None:
    read = read_editor_text(HONGLOU.replace("LDR 00000nam0#", "LDR 00000nam0"), CN)
    assert read.errors[0].line == 1
    assert "24" in read.errors[0].zh


def test_a_record_without_a_leader_is_refused() -> None:
    read = read_editor_text(HONGLOU.split("\n", 1)[1], CN)
    assert [p.line for p in read.errors] == [0]


def test_cnmarc_needs_200_a_and_marc21_needs_245_a() -> None:
    no_title = read_editor_text(HONGLOU.replace("200 1#$a红楼梦", "200 1#$e红楼梦"), CN)
    assert [(p.line, "200") for p in no_title.errors] == [(5, "200")]
    marc21 = read_editor_text("LDR 00000nam#a2200000#a#4500\n100 1#$aCao, Xueqin\n", US)
    assert [p.line for p in marc21.errors] == [0]
    assert "245" in marc21.errors[0].en
    good = read_editor_text("LDR 00000nam#a2200000#a#4500\n245 10$aDream of the red chamber\n", US)
    assert good.problems == []


def test_a_wrong_isbn_check_digit_is_a_warning_that_names_the_right_digit() -> None:
    read = read_editor_text(HONGLOU.replace("978-7-02-000220-7", "978-7-02-000220-8"), CN)
    assert read.errors == []
    assert [p.line for p in read.warnings] == [3]
    assert "7" in read.warnings[0].en
    assert "check digit" in read.warnings[0].en


def test_isbn_checks_use_the_number_before_its_qualifier() -> None:
    assert isbn_problem("978-7-02-000220-7 (精装)") is None
    assert isbn_problem("7-02-000220-1") is not None
    assert isbn_problem("702000220X") is None
    problem = isbn_problem("978702000")
    assert problem is not None
    assert "length" in problem[1]


def test_a_holdings_field_describing_a_copy_belongs_in_the_copies_form() -> None:
    read = read_editor_text(HONGLOU + "905 ##$aZC$bZC00000001$dI242.47/1\n", CN)
    assert read.errors[0].line == 9


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = HONGLOU.replace("200 1#", "200 1?").replace("210 ##", "21 ##")
    read = read_editor_text(text, CN)
    assert [p.line for p in read.errors] == [5, 6]


def test_clc_call_numbers_split_into_class_and_book_number() -> None:
    assert split_call_number("I247.5/123") == ("I247.5", "123")
    assert split_call_number("K825.6=76/12") == ("K825.6=76", "12")
    assert split_call_number("TP311.561") == ("TP311.561", "")
    assert split_call_number(None) == ("", "")


_CODES = "0123456789abcdefghijklmnopqrstuvwxyz"
_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}"),
    min_size=1,
    max_size=20,
).filter(lambda v: v.strip() != "")
_data_fields = st.builds(
    lambda tag, ind1, ind2, subfields: Field(tag, ind1, ind2, subfields),
    st.integers(min_value=10, max_value=999).map(lambda n: f"{n:03d}"),
    st.sampled_from(_CODES + " "),
    st.sampled_from(_CODES + " "),
    st.lists(st.tuples(st.sampled_from(_CODES), _values), min_size=1, max_size=4),
)


@given(st.lists(_data_fields, max_size=8), _values)
def test_any_well_formed_record_survives_the_editor_unchanged(
    fields: list[Field], title: str
) -> None:
    record = MarcRecord(
        "00000nam0 2200000   450 ",
        [Field("001", data="ZC1 "), Field("200", "1", " ", [("a", title)]), *fields],
    )
    read = read_editor_text(editor_text(record), CN)
    assert read.errors == []
    assert read.record == record


def test_trailing_blanks_of_coded_data_are_kept() -> None:
    text = HONGLOU.replace("50######ea", "50######ea    ")
    general = read_editor_text(text, CN).record.first("100")
    assert general is not None
    assert general.subfields[0][1].endswith("ea    ")
    padded = read_editor_text(HONGLOU.replace("###450#", "###450#   "), CN)
    assert padded.errors == []


def test_empty_subfields_and_fields_are_left_out_with_a_warning() -> None:
    text = HONGLOU.replace("$dCNY59.70", "$d").replace("701 #0$a曹雪芹$4著", "701 #0$a$4")
    read = read_editor_text(text, CN)
    assert read.errors == []
    assert [(p.line, p.severity) for p in read.problems] == [(3, "warning"), (8, "warning")]
    isbn = read.record.first("010")
    assert isbn is not None
    assert isbn.subfields == [("a", "978-7-02-000220-7")]
    assert "701" not in read.record
