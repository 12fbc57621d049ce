from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from wenjin.patrons.errors import InvalidIdNumber, InvalidPin
from wenjin.patrons.identity import (
    age_on,
    hash_pin,
    id_hash,
    mask_id_number,
    normalise_id_number,
    pin_matches,
    validate_id_number,
)
from wenjin.patrons.states import Gender

TODAY = date(2025, 9, 1)
KEY = "test-secret"


def test_a_valid_number_keeps_only_its_hash_mask_birth_date_and_gender(
    resident_id: Callable[..., str],
) -> None:
    number = resident_id("19850312", "123")
    resident = validate_id_number(number, today=TODAY, secret_key=KEY)
    assert resident.masked == number[:4] + "**********" + number[-4:]
    assert resident.birth_date == date(1985, 3, 12)
    assert resident.gender is Gender.MALE  # the 17th digit is odd
    assert number not in repr(resident)
    assert len(resident.id_hash) == 64


def test_an_even_sequence_digit_is_a_woman(resident_id: Callable[..., str]) -> None:
    resident = validate_id_number(resident_id("20150601", "024"), today=TODAY, secret_key=KEY)
    assert resident.gender is Gender.FEMALE


def test_the_mask_looks_like_the_one_on_a_chinese_screen() -> None:
    assert mask_id_number("37078219850312123X") == "3707**********123X"


def test_lower_case_x_spaces_and_full_width_digits_are_the_same_number(
    resident_id: Callable[..., str],
) -> None:
    number = next(
        resident_id("19850312", f"{n:03d}")
        for n in range(1000)
        if resident_id("19850312", f"{n:03d}").endswith("X")
    )
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number[:17]) + "ｘ"
    variants = [number.lower(), f"{number[:6]} {number[6:14]} {number[14:]}", full_width]
    expected = id_hash(number, secret_key=KEY)
    for variant in variants:
        assert normalise_id_number(variant) == number
        assert validate_id_number(variant, today=TODAY, secret_key=KEY).id_hash == expected


def test_the_hash_is_keyed_so_a_copy_of_the_database_alone_cannot_reverse_it(
    resident_id: Callable[..., str],
) -> None:
    number = resident_id("19850312")
    assert id_hash(number, secret_key="one") != id_hash(number, secret_key="two")
    assert id_hash(number, secret_key=KEY) != hashlib.sha256(number.encode()).hexdigest()


def test_a_mistyped_digit_fails_the_check_digit_and_the_message_never_shows_the_number(
    resident_id: Callable[..., str],
) -> None:
    number = resident_id("19850312")
    wrong = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number(wrong, today=TODAY, secret_key=KEY)
    assert "校验位" in caught.value.message_zh
    assert "check digit" in caught.value.message_en
    assert wrong not in str(caught.value)
    assert mask_id_number(wrong) in caught.value.message_zh


def test_an_old_fifteen_digit_number_is_refused_with_what_to_ask_for() -> None:
    with pytest.raises(InvalidIdNumber, match="15位"):
        validate_id_number("370782850312123", today=TODAY, secret_key=KEY)


def test_a_number_of_the_wrong_length_says_how_long_it_was() -> None:
    with pytest.raises(InvalidIdNumber, match="实为17位"):
        validate_id_number("37078219850312123", today=TODAY, secret_key=KEY)


@pytest.mark.parametrize("birth", ["19850230", "19851301"])
def test_an_impossible_birth_date_is_refused(resident_id: Callable[..., str], birth: str) -> None:
    with pytest.raises(InvalidIdNumber, match="出生日期"):
        validate_id_number(resident_id(birth), today=TODAY, secret_key=KEY)


def test_a_birth_date_after_today_is_refused(resident_id: Callable[..., str]) -> None:
    with pytest.raises(InvalidIdNumber, match="不可能"):
        validate_id_number(resident_id("20300101"), today=TODAY, secret_key=KEY)


@pytest.mark.parametrize("area", ["999999", "379999"])
def test_an_area_code_that_does_not_exist_is_refused(
    resident_id: Callable[..., str], area: str
) -> None:
    with pytest.raises(InvalidIdNumber, match="行政区划"):
        validate_id_number(resident_id("19850312", area=area), today=TODAY, secret_key=KEY)


def test_a_zhucheng_reader_born_before_the_city_code_existed_is_accepted(
    resident_id: Callable[..., str],
) -> None:
    # 370782 dates from 1989; stdnum's own validate refuses everyone born earlier.
    number = resident_id("19620704", "031")
    with pytest.raises(ValidationError):
        ric.validate(number)
    assert validate_id_number(number, today=TODAY, secret_key=KEY).birth_date == date(1962, 7, 4)


def test_age_counts_completed_years() -> None:
    assert age_on(date(2011, 9, 2), TODAY) == 13
    assert age_on(date(2011, 9, 1), TODAY) == 14


def test_a_pin_is_six_digits_and_is_stored_only_as_an_argon2_hash() -> None:
    hashed = hash_pin("270415")
    assert hashed.startswith("$argon2id$")
    assert "270415" not in hashed
    assert pin_matches(hashed, "270415")
    assert pin_matches(hashed, "２７０４１５")  # typed with a full-width input method
    assert not pin_matches(hashed, "270416")
    assert not pin_matches(None, "270415")
    assert not pin_matches("not-a-hash", "270415")


@pytest.mark.parametrize("pin", ["1234", "12345678", "12a456", ""])
def test_a_pin_that_is_not_six_digits_is_refused(pin: str) -> None:
    with pytest.raises(InvalidPin, match="6位数字"):
        hash_pin(pin)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_every_well_formed_number_validates_and_hides_its_middle(
    birth: date, sequence: int
) -> None:
    body = f"370782{birth:%Y%m%d}{sequence:03d}"
    number = body + ric.calc_check_digit(body + "0")
    resident = validate_id_number(number.lower(), today=TODAY, secret_key=KEY)
    assert resident.birth_date == birth
    assert resident.masked == number[:4] + "*" * 10 + number[-4:]
    assert resident.id_hash == id_hash(number, secret_key=KEY)
    assert resident.gender is (Gender.MALE if sequence % 2 else Gender.FEMALE)
