"""The SIP2 codec: checksums (the worked examples of SIP2.md), every message, lenient reading."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from wenjin.protocols.sip2.codec import (
    LAYOUTS,
    ChecksumMismatch,
    FrameError,
    Message,
    checksum,
    encode,
    mask_secrets,
    parse,
    read_frame,
    render,
    sip_date,
    sip_datetime,
    split_trailer,
)

NOW = "20260303    100000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("941AY0AZ", "FDFD"),
        (
            "1804020120110630    110250AB30007008641424|AJLe zahir|CK001|AQOSUL|APOSUL|BGOSUL|"
            "AH2011-10-28 23:59:59|CSPB LP COE|AY7AZ",
            "E174",
        ),
        ("9300CNuser_id|COpassw0rd|AY1AZ", "F594"),
        ("97AZ", "FEF5"),
        ("96AZ", "FEF6"),
    ],
)
def test_the_checksum_matches_the_worked_examples_of_the_summary(text: str, expected: str) -> None:
    assert checksum(text.encode("ascii")) == expected


def test_the_often_quoted_spec_example_does_not_verify_as_the_summary_warns() -> None:
    with pytest.raises(ChecksumMismatch):
        split_trailer(b"9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZEC78")
    assert split_trailer(b"9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZEC7B")[1] == "5"


def test_a_frame_with_a_good_trailer_gives_its_sequence_number() -> None:
    frame = read_frame(b"9300CNuser_id|COpassw0rd|AY1AZF594", "utf-8")
    assert frame.checksummed
    assert frame.sequence == "1"
    assert frame.message.get("CN") == "user_id"
    assert frame.message.get("CO") == "passw0rd"


def test_a_checksum_written_without_leading_zeros_is_accepted_when_it_adds_up() -> None:
    # The PyPI sip2 client formats its checksum with 'X', dropping leading zeros.
    bodies = (f"23019{NOW}AOZC|AA{'Z' * n}|AY0AZ".encode() for n in range(1, 2000))
    body = next(b for b in bodies if checksum(b).startswith("0"))
    short = body + format(int(checksum(body), 16), "X").encode()
    assert len(short) < len(body) + 4
    assert split_trailer(short) == (body[:-5], "0", True)


def test_a_wrong_checksum_is_refused() -> None:
    with pytest.raises(ChecksumMismatch):
        read_frame(b"9300CNuser_id|COpassw0rd|AY1AZF595", "utf-8")


def test_a_checksum_over_chinese_text_sums_the_encoded_bytes() -> None:
    message = Message("10", {"ok": "1", "resensitize": "Y", "magnetic_media": "N", "alert": "N"})
    message.fixed["transaction_date"] = NOW
    message.add("AO", "ZC").add("AB", "ZC01000001").add("AQ", "ZC").add("AJ", "平凡的世界")
    for encoding in ("utf-8", "gb18030"):
        data = encode(message, encoding, sequence="3", checksummed=True)
        assert data.endswith(b"\r")
        payload, sequence, checksummed = split_trailer(data[:-1])
        assert (sequence, checksummed) == ("3", True)
        assert "平凡的世界" in payload.decode(encoding)


def _request(code: str) -> str:
    """A well-formed request of ``code``: fixed fields filled by their width, then fields."""
    fixed = {
        "language": "019",
        "summary": "  Y       ",
        "protocol_version": "2.00",
        "max_print_width": "080",
        "fee_type": "01",
        "payment_type": "00",
        "currency_type": "CNY",
    }
    text = code
    for name, width in LAYOUTS[code]:
        value = fixed.get(name) or (NOW if width == 18 else "N" * width)
        text += value[:width].ljust(width)
    return text + "AOZC|AAZC00012345|ABZC01000001|ACterm|AD123456|"


REQUESTS = (
    "93",
    "99",
    "23",
    "63",
    "11",
    "09",
    "17",
    "29",
    "65",
    "35",
    "15",
    "37",
    "19",
    "25",
    "01",
)
RESPONSES = ("94", "98", "24", "64", "12", "10", "18", "30", "66", "36", "16", "38", "20", "26")


@pytest.mark.parametrize("code", REQUESTS)
def test_every_request_is_read_into_its_fixed_and_variable_fields(code: str) -> None:
    message = parse(_request(code))
    assert message.code == code
    assert set(message.fixed) == {name for name, _ in LAYOUTS[code]}
    assert message.get("AA") == "ZC00012345"
    assert message.get("AB") == "ZC01000001"
    assert render(message) == _request(code)


@pytest.mark.parametrize("code", RESPONSES)
def test_every_answer_is_written_with_its_fixed_part_of_the_right_length(code: str) -> None:
    fixed = {name: ("0" * width) for name, width in LAYOUTS[code]}
    text = render(Message(code, fixed).add("AO", "ZC").add("AF", "借阅成功"))
    fixed_length = {"94": 3, "98": 36, "24": 37, "64": 61, "12": 24, "10": 24, "18": 26}
    fixed_length |= {"30": 24, "66": 29, "36": 21, "16": 22, "38": 21, "20": 21, "26": 37}
    assert text[fixed_length[code] :] == "AOZC|AF借阅成功|"
    assert parse(text).fixed == fixed


def test_a_last_field_without_its_delimiter_is_still_read() -> None:
    message = parse("1720260303    100000AOZC|ABZC01000001")
    assert message.get("AB") == "ZC01000001"


def test_repeated_fields_keep_their_order() -> None:
    message = parse("1720260303    100000AOZC|ABZC01000001|AFone|AFtwo|")
    assert message.all("AF") == ["one", "two"]


@pytest.mark.parametrize(
    "garbage",
    ["hello kiosk", "XX", "11YN2026", "1720260303    100000AOZC|?? broken|", ""],
)
def test_a_garbage_line_is_a_frame_error_not_a_crash(garbage: str) -> None:
    with pytest.raises(FrameError):
        parse(garbage)


def test_bytes_that_are_not_the_kiosks_encoding_are_a_frame_error() -> None:
    with pytest.raises(FrameError):
        read_frame("1720260303    100000AB平凡|".encode("gb18030"), "utf-8")


def test_a_value_with_the_delimiter_or_a_carriage_return_cannot_break_the_frame() -> None:
    text = render(Message("36", {"end_session": "Y", "transaction_date": NOW}).add("AF", "a|b\rc"))
    assert text.endswith("AFa&#124;b c|")


def test_pins_and_passwords_are_masked_for_the_log() -> None:
    assert mask_secrets("9300CNkiosk24h|COsecret1|AY1AZF594") == "9300CNkiosk24h|CO****|AY1AZF594"
    masked = mask_secrets(_request("11"))
    assert "123456" not in masked
    assert "term" not in masked
    assert "AD****" in masked


def test_dates_are_written_in_local_time_with_blank_zone() -> None:
    moment = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    assert sip_datetime(moment, ZoneInfo("Asia/Shanghai")) == "20260303    100000"
    assert sip_date(date(2026, 4, 2)) == "20260402    235959"
