"""Resident ID numbers (居民身份证号) and PINs: validate, hash, mask. Nothing here touches the database.

An ID number is never stored. What is kept is a keyed hash, for look-up and
duplicate detection, and a masked form for display (``3707**********123X``).
The key is ``Settings.secret_key``: without it, someone holding a copy of the
database cannot run all ~10^10 plausible numbers through the hash to recover
them, which a plain SHA-256 would allow in hours.

PINs are six digits, the convention readers know from bank cards and from the
reader cards of most Chinese public libraries (the initial PIN is often the last
six digits of the ID number), and are hashed with Argon2id.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from wenjin.config import get_settings
from wenjin.patrons.errors import InvalidIdNumber, InvalidPin
from wenjin.patrons.states import Gender

PIN_LENGTH = 6
_PIN = re.compile(rf"\d{{{PIN_LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-_.]")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class ResidentId:
    """A validated ID number, reduced to what may be kept."""

    id_hash: str
    masked: str
    birth_date: date
    gender: Gender

    def __repr__(self) -> str:  # never let the hash alone stand in for the person in a log
        return f"<ResidentId {self.masked}>"


def normalise_id_number(raw: str) -> str:
    """Full-width digits to ASCII (Chinese input methods type ３７０７), no spaces, upper-case X."""
    text = unicodedata.normalize("NFKC", raw)
    return _SEPARATORS.sub("", text).upper()


def mask_id_number(number: str) -> str:
    """First four and last four characters, the rest hidden: ``3707**********123X``."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def id_hash(normalised: str, *, secret_key: str | None = None) -> str:
    """HMAC-SHA256 of a normalised ID number with the network's secret key, as hex."""
    key = (secret_key if secret_key is not None else get_settings().secret_key).encode()
    return hmac.new(key, normalised.encode("ascii"), hashlib.sha256).hexdigest()


def validate_id_number(
    raw: str, *, today: date | None = None, secret_key: str | None = None
) -> ResidentId:
    """Check an 18-digit ID number (length, check digit, birth date, area) and reduce it.

    Raises :class:`InvalidIdNumber` with the reason, naming the number only masked.
    """
    number = normalise_id_number(raw)
    shown = mask_id_number(number)
    if not number:
        raise InvalidIdNumber("（空 empty）", "没有填写", "it is empty")
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber(
            shown,
            "这是15位旧证号，已于2013年停止使用，请提供18位身份证号",
            "this is an old 15-digit number, withdrawn in 2013; ask for the 18-digit number",
        )
    if len(number) != 18:
        raise InvalidIdNumber(
            shown, f"应为18位，实为{len(number)}位", f"it has {len(number)} characters, not 18"
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(
            shown,
            "前17位必须是数字，最后一位是数字或X",
            "the first 17 characters must be digits and the last a digit or X",
        )
    if number[17] != ric.calc_check_digit(number):
        raise InvalidIdNumber(
            shown,
            "校验位不对，可能有数字输错或顺序颠倒",
            "the check digit does not match: a digit is probably mistyped or two are swapped",
        )
    try:
        birth = ric.get_birth_date(number)
    except ValidationError:
        raise InvalidIdNumber(
            shown,
            f"第7-14位出生日期 {number[6:14]} 不是有效日期",
            f"digits 7-14 ({number[6:14]}) are not a valid birth date",
        ) from None
    today = today or datetime.now(get_settings().tz).date()
    if birth > today or birth.year < 1900:
        raise InvalidIdNumber(
            shown,
            f"出生日期 {birth.isoformat()} 不可能",
            f"the birth date {birth.isoformat()} is impossible",
        )
    if not _area_code_known(number[:6]):
        raise InvalidIdNumber(
            shown,
            f"前6位行政区划代码 {number[:6]} 不存在",
            f"the area code {number[:6]} (first 6 digits) does not exist",
        )
    return ResidentId(
        id_hash=id_hash(number, secret_key=secret_key),
        masked=shown,
        birth_date=birth,
        gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
    )


def _area_code_known(area: str) -> bool:
    # python-stdnum's own ``ric.validate`` also requires the area code to have
    # existed in the birth year. That refuses real readers: Zhucheng's 370782
    # dates from 1989 (诸城县 became a city), and everyone born there before
    # then who was issued a card afterwards carries it. So: any period counts.
    # (``validate`` also raises KeyError for an unknown county of a known province.)
    info = {k: v for _part, props in numdb.get("cn/loc").info(area) for k, v in props.items()}
    return "county" in info


def age_on(birth_date: date, today: date) -> int:
    """Age in completed years (周岁)."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def validate_pin(pin: str) -> str:
    pin = unicodedata.normalize("NFKC", pin).strip()
    if not _PIN.fullmatch(pin):
        raise InvalidPin()
    return pin


def hash_pin(pin: str) -> str:
    """Validate a PIN and hash it with Argon2id; the PIN itself is never kept."""
    return _hasher.hash(validate_pin(pin))


def pin_matches(pin_hash: str | None, pin: str) -> bool:
    if not pin_hash:
        return False
    try:
        return _hasher.verify(pin_hash, unicodedata.normalize("NFKC", pin).strip())
    except (VerificationError, InvalidHashError):
        return False


def pin_needs_rehash(pin_hash: str) -> bool:
    return _hasher.check_needs_rehash(pin_hash)
