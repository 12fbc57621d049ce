"""The demo's readers, as generated (no database)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from wenjin.demo.history import loan_target
from wenjin.demo.network import demo_network
from wenjin.demo.patrons import PatronPlan, generate_patrons, patron_count
from wenjin.demo.scales import SCALES
from wenjin.patrons.identity import age_on, validate_id_number
from wenjin.patrons.rules import check_category_age
from wenjin.patrons.services import DEFAULT_CATEGORIES
from wenjin.patrons.states import CardStatus

TODAY = date(2026, 11, 24)
CATEGORIES = {c.code: c for c in DEFAULT_CATEGORIES}


@pytest.fixture(scope="module")
def medium() -> PatronPlan:
    return generate_patrons(demo_network(2020), scale=SCALES["medium"], seed=2020, today=TODAY)


def test_the_demo_has_the_reports_card_holders_and_loans_in_proportion() -> None:
    assert patron_count(SCALES["report"]) == 135_000
    assert loan_target(SCALES["report"]) == 540_000
    assert patron_count(SCALES["medium"]) == 13_500
    assert 300 <= patron_count(SCALES["small"]) <= 400
    assert 1_200 <= loan_target(SCALES["small"]) <= 1_600


def test_the_same_seed_and_day_give_the_same_readers() -> None:
    network = demo_network(2020)
    first = generate_patrons(network, scale=SCALES["small"], seed=2020, today=TODAY)
    second = generate_patrons(network, scale=SCALES["small"], seed=2020, today=TODAY)
    other = generate_patrons(network, scale=SCALES["small"], seed=7, today=TODAY)
    assert [(p.name, p.id_number, p.cards) for p in first.patrons] == [
        (p.name, p.id_number, p.cards) for p in second.patrons
    ]
    assert [p.id_number for p in first.patrons] != [p.id_number for p in other.patrons]


def test_every_resident_id_number_is_valid_and_fits_the_readers_category(
    medium: PatronPlan,
) -> None:
    seen: set[str] = set()
    for patron in medium.patrons:
        if patron.category == "INSTITUTION":
            assert patron.id_number is None
            continue
        assert patron.id_number is not None
        resident = validate_id_number(patron.id_number, today=TODAY, secret_key="test")
        assert resident.birth_date == patron.birth_date
        assert resident.gender is patron.gender
        check_category_age(CATEGORIES[patron.category], resident.birth_date, TODAY)
        seen.add(patron.id_number)
    individuals = [p for p in medium.patrons if p.id_number]
    assert len(seen) == len(individuals)
    zhucheng = sum(1 for p in individuals if p.id_number and p.id_number.startswith("370782"))
    assert zhucheng / len(individuals) > 0.8


def test_children_seniors_and_students_are_of_their_age_and_live_where_they_would(
    medium: PatronPlan,
) -> None:
    ages: dict[str, list[int]] = {}
    homes: dict[str, Counter[str]] = {}
    for patron in medium.patrons:
        if patron.birth_date:
            ages.setdefault(patron.category, []).append(age_on(patron.birth_date, TODAY))
        homes.setdefault(patron.category, Counter())[_home_kind(patron.home_code)] += 1
    assert max(ages["CHILD"]) <= 14
    assert min(ages["SENIOR"]) >= 60
    assert min(ages["ADULT"]) >= 18
    assert homes["STUDENT"]["S"] > homes["STUDENT"]["V"]
    assert homes["CHILD"]["L"] == 0  # no child lives at a hospital or barracks book station
    assert homes["ADULT"]["XG"] > homes["ADULT"]["LG"] > 0


def _home_kind(code: str) -> str:
    """``S`` school, ``V`` village, ``L`` station, ``XG``/``LG`` the central buildings."""
    _, _, suffix = code.partition("-")
    return re.sub(r"\d+", "", suffix) or "branch"


def test_cards_are_printed_in_one_series_per_kind_of_home_point_and_never_repeat(
    medium: PatronPlan,
) -> None:
    numbers = [card.number for patron in medium.patrons for card in patron.cards]
    assert len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"ZC\d{8}", n) for n in numbers)
    series = Counter(n[2] for n in numbers)
    assert set(series) == {"1", "2", "3", "4", "5", "9"}
    institutions = [p for p in medium.patrons if p.category == "INSTITUTION"]
    assert all(p.cards[0].number.startswith("ZC9") for p in institutions)
    assert all(p.phone[:2] in ("13", "15", "18") and len(p.phone) == 11 for p in medium.patrons)


def test_the_register_holds_deposits_credit_ratings_expired_and_replaced_cards_and_blocks(
    medium: PatronPlan,
) -> None:
    patrons = medium.patrons
    for patron in patrons:
        category = CATEGORIES[patron.category]
        if patron.category == "CREDIT":
            assert patron.deposit_fen == 0
            assert patron.credit_source
            assert patron.credit_verified_on
        else:
            assert patron.deposit_fen == category.deposit_fen
    credit = [p for p in patrons if p.category == "CREDIT"]
    lapsed = [p for p in credit if p.credit_expires_on and p.credit_expires_on < TODAY]
    assert 0 < len(lapsed) < len(credit) / 5
    expired = [p for p in patrons if p.expires_on < TODAY]
    assert 0.03 < len(expired) / len(patrons) < 0.12
    replaced = [p for p in patrons if len(p.cards) == 2]
    assert replaced
    for patron in replaced:
        old, new = patron.cards
        assert old.status is CardStatus.LOST
        assert new.status is CardStatus.ACTIVE
        assert old.ended_at == new.issued_at
    blocked = [p for p in patrons if p.block]
    assert blocked
    assert all(p.block and p.block.reason for p in blocked)
    assert 0 < sum(1 for p in patrons if not p.keep_history) < len(patrons) / 10
    classes = [p for p in patrons if p.category == "INSTITUTION" and "班" in p.name]
    rooms = [p for p in patrons if p.category == "INSTITUTION" and "农家书屋" in p.name]
    assert len(classes) == 48
    assert len(rooms) == 24
    assert all(p.bulk_point_code == p.home_code for p in classes)
    assert all(p.bulk_point_code and p.bulk_point_code != p.home_code for p in rooms)
