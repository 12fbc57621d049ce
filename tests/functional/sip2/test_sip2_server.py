"""The SIP2 server over a real socket: the PyPI ``sip2`` client and hand-written frames."""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from Sip2.sip2 import Sip2
from sqlalchemy import Engine, func, select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.db.uow import UnitOfWork
from wenjin.protocols.sip2.codec import Message, add_trailer, parse, split_trailer

DATE = "20260303    100000"
BLANK_DATE = " " * 18

Kiosk = Callable[..., Any]


def answer(frame: str | bytes, encoding: str = "utf-8") -> Message:
    data = frame.encode(encoding) if isinstance(frame, str) else frame
    payload, _, _ = split_trailer(data)
    return parse(payload.decode(encoding))


def _client(port: int, tmp_path: Path, **settings: Any) -> Sip2:
    client = Sip2()
    client.hostName = "127.0.0.1"
    client.hostPort = port
    client.tlsEnable = False
    client.socketTimeout = 10
    client.institutionId = "ZC"
    client.scLocation = "ZC-24H"
    # A logger of our own: the client's default one writes sip2.log into the working directory.
    client.log = logging.getLogger("sip2-client")
    for name, value in settings.items():
        setattr(client, name, value)
    client.connect()
    return client


def test_a_whole_self_check_session_with_the_pypi_sip2_client(
    port: int, kiosks: ModuleType, tmp_path: Path
) -> None:
    client = _client(
        port, tmp_path, language="019", patron=kiosks.ADULT, patronpwd=kiosks.ADULT_PIN
    )
    try:
        login = client.sip_login_response(
            client.get_response(client.sip_login_request(*kiosks.KIOSK))
        )
        assert login["fixed"]["Ok"] == "1"

        status = client.sip_sc_status_response(client.get_response(client.sip_sc_status_request()))
        assert status["fixed"]["OnlineStatus"] == "Y"
        bx = status["variable"]["BX"][0]
        assert bx == "YYYYYYYYYYYYYYYY"  # every message of SIP2 2.00

        info = client.sip_patron_information_response(
            client.get_response(client.sip_patron_information_request("charged"))
        )
        assert info["variable"]["AE"] == ["王小明"]
        assert info["variable"]["CQ"] == ["Y"]
        assert info["fixed"]["ChargedItemsCount"] == "0000"

        out = client.sip_checkout_response(
            client.get_response(client.sip_checkout_request("ZC01000001"))
        )
        assert out["fixed"]["Ok"] == "1"
        assert out["variable"]["AJ"] == ["平凡的世界"]
        assert out["variable"]["AF"][0].startswith("借阅成功")

        info = client.sip_patron_information_response(
            client.get_response(client.sip_patron_information_request("charged"))
        )
        assert info["fixed"]["ChargedItemsCount"] == "0001"
        assert info["variable"]["AU"] == ["ZC01000001"]

        item = client.sip_item_information_response(
            client.get_response(client.sip_item_information_request("ZC01000001"))
        )
        assert item["fixed"]["CirculationStatus"] == "04"

        back = client.sip_checkin_response(
            client.get_response(client.sip_checkin_request("ZC01000001"))
        )
        assert back["fixed"]["Ok"] == "1"
        # The 24-hour library is a point of its own: the central library's book goes home.
        assert back["fixed"]["Alert"] == "Y"
        assert back["variable"]["CL"] == ["ZC"]

        end = client.sip_end_patron_session_response(
            client.get_response(client.sip_end_patron_session_request())
        )
        assert end["fixed"]["EndSession"] == "Y"
    finally:
        client.disconnect()


def test_renewals_and_fee_payment_with_the_pypi_sip2_client(
    port: int, kiosks: ModuleType, tmp_path: Path, engine: Engine
) -> None:
    client = _client(port, tmp_path, language="001", patron=kiosks.SENIOR)
    try:
        client.get_response(client.sip_login_request(*kiosks.KIOSK))
        client.get_response(client.sip_patron_status_request())  # language 001: English
        client.get_response(client.sip_checkout_request("ZC01000002"))
        renew = client.sip_renew_response(
            client.get_response(client.sip_renew_request("ZC01000002"))
        )
        assert renew["fixed"]["Ok"] == "0"  # renewing at once would not extend the loan
        assert "would not extend" in renew["variable"]["AF"][0]
        # sip2 1.1's sip_renew_all_request leaves out the transaction date: build it whole.
        client._request_new("65")
        client._request_addOpt_fixed(client._datestamp(), 18)
        client._request_addOpt_var("AO", client.institutionId)
        client._request_addOpt_var("AA", client.patron)
        every = client.sip_renew_all_response(client.get_response(client._request_return()))
        assert every["fixed"]["Ok"] == "1"
        assert every["variable"]["BN"] == ["ZC01000002"]
        paid = client.sip_fee_paid_response(
            client.get_response(client.sip_fee_paid_request(1, 0, "1.00", currencyType="CNY"))
        )
        assert paid["fixed"]["PaymentAccepted"] == "N"
        assert "owes nothing" in paid["variable"]["AF"][0]
    finally:
        client.disconnect()


def test_a_blocked_reader_is_refused_with_the_reason_in_the_kiosks_language(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    assert kiosk.login(*kiosks.KIOSK) == "941"
    status = answer(kiosk.ask(f"23019{DATE}AOZC|AA{kiosks.CHILD}|AC|AD|"))
    assert status.fixed["patron_status"][0] == "Y"  # charge privileges denied
    assert "损坏图书未赔偿" in status.get("AF")
    refused = answer(kiosk.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.CHILD}|ABZC07000001|AC|"))
    assert refused.fixed["ok"] == "0"
    assert "损坏图书未赔偿" in refused.get("AF")
    kiosk.ask(f"23001{DATE}AOZC|AA{kiosks.CHILD}|AC|AD|")  # the reader switches to English
    english = answer(kiosk.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.CHILD}|ABZC07000001|AC|"))
    assert "Blocked by staff" in english.get("AF")


def test_a_wrong_pin_is_reported_and_refuses_the_loan(raw_kiosk: Kiosk, kiosks: ModuleType) -> None:
    kiosk = raw_kiosk()
    kiosk.login(*kiosks.KIOSK)
    status = answer(kiosk.ask(f"23019{DATE}AOZC|AA{kiosks.ADULT}|AC|AD000000|"))
    assert (status.get("BL"), status.get("CQ")) == ("Y", "N")
    refused = answer(
        kiosk.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|ABZC01000003|AC|AD000000|")
    )
    assert refused.fixed["ok"] == "0"
    assert "密码不正确" in refused.get("AF")
    unknown = answer(kiosk.ask(f"23019{DATE}AOZC|AAZC99999999|AC|AD|"))
    assert unknown.get("BL") == "N"


def test_a_bad_checksum_gets_96_and_97_resends_the_last_answer(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    login = kiosk.login(*kiosks.KIOSK, sequence="1", checksummed=True)
    assert login.startswith("941AY1AZ")
    assert split_trailer(login.encode())[2]
    kiosk.send(b"9900302.00AY2AZ0000\r")
    assert kiosk.receive() == b"96"
    status = kiosk.ask("9900302.00", sequence="2", checksummed=True)
    assert status.startswith("98YYYYNN")
    kiosk.send(b"97AZFEF5\r")
    assert kiosk.receive().decode() == status  # the last answer, once more


def test_a_kiosk_stores_item_properties_and_reads_them_back_with_the_item(
    port: int, kiosks: ModuleType, tmp_path: Path, engine: Engine
) -> None:
    client = _client(port, tmp_path, language="019")
    try:
        client.sip_login_response(client.get_response(client.sip_login_request(*kiosks.KIOSK)))
        stored = client.sip_item_status_update_response(
            client.get_response(
                client.sip_item_status_update_request("ZC01000005", "RFID:AFI=07;SEC=1")
            )
        )
        assert stored["fixed"]["ItemPropertiesOk"] == "1"
        assert stored["variable"]["AJ"] == ["白鹿原"]
        assert stored["variable"]["CH"] == ["RFID:AFI=07;SEC=1"]
        assert stored["variable"]["AF"] == ["图书属性已保存"]
        item = client.sip_item_information_response(
            client.get_response(client.sip_item_information_request("ZC01000005"))
        )
        assert item["variable"]["CH"] == ["RFID:AFI=07;SEC=1"]
        assert item["fixed"]["CirculationStatus"] == "03"  # nothing else changed
        unknown = client.sip_item_status_update_response(
            client.get_response(client.sip_item_status_update_request("ZC09999999", "x"))
        )
        assert unknown["fixed"]["ItemPropertiesOk"] == "0"
        assert "ZC09999999" in unknown["variable"]["AF"][0]
    finally:
        client.disconnect()
    with UnitOfWork(engine, readonly=True) as uow:
        event = uow.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "item_properties")
        ).one()
        assert event.after == {"sip_properties": "RFID:AFI=07;SEC=1"}
        assert event.actor == f"sip2:{kiosks.KIOSK[0]}"


def test_item_properties_longer_than_255_characters_are_refused_and_nothing_changes(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    assert kiosk.login(*kiosks.KIOSK) == "941"
    refused = answer(kiosk.ask(f"19{DATE}AOZC|ABZC01000004|CH{'x' * 300}|"))
    assert refused.fixed["item_properties_ok"] == "0"
    assert "255" in refused.get("AF")
    item = answer(kiosk.ask(f"17{DATE}AOZC|ABZC01000004|"))
    assert item.get("CH") == ""  # no properties: no CH field
    stored = answer(kiosk.ask(f"19{DATE}AOZC|ABZC01000004|CH磁条：有；RFID 标签：已写|"))
    assert stored.fixed["item_properties_ok"] == "1"
    assert answer(kiosk.ask(f"17{DATE}AOZC|ABZC01000004|")).get("CH") == "磁条：有；RFID 标签：已写"


def test_a_garbage_line_gets_96_and_the_kiosk_carries_on(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    kiosk.send(b"\x00\xffGET / HTTP/1.0\r")
    assert kiosk.receive() == b"96"
    kiosk.send("这不是SIP2\r".encode())
    assert kiosk.receive() == b"96"
    assert kiosk.login(*kiosks.KIOSK) == "941"
    item = answer(kiosk.ask(f"17{DATE}AOZC|ABZC01000005|"))
    assert item.fixed["circulation_status"] == "03"
    assert item.get("AJ") == "白鹿原"


def test_crlf_and_a_last_field_without_its_bar_are_understood(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    assert kiosk.ask(f"9300CN{kiosks.KIOSK[0]}|CO{kiosks.KIOSK[1]}", end=b"\r\n") == "941"
    item = answer(kiosk.ask(f"17{DATE}AOZC|ABZC01000004", end=b"\r\n"))
    assert item.get("AJ") == "围城"


def test_nothing_happens_before_the_kiosk_logs_in(raw_kiosk: Kiosk, kiosks: ModuleType) -> None:
    kiosk = raw_kiosk()
    assert kiosk.login(kiosks.KIOSK[0], "wrong-password") == "940"
    refused = answer(kiosk.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|ABZC01000001|AC|"))
    assert refused.fixed["ok"] == "0"
    assert "尚未登录" in refused.get("AF")
    status = answer(kiosk.ask("9900302.00"))
    assert status.fixed["online_status"] == "N"


def test_a_hold_placed_at_a_kiosk_is_filled_when_the_copy_comes_back_to_a_kiosk(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    kiosk.login(*kiosks.KIOSK)
    lent = answer(kiosk.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|ABZC01000001|AC|"))
    assert lent.fixed["ok"] == "1"
    pin = kiosks.SENIOR_PIN
    hold = answer(kiosk.ask(f"15+{DATE}BSZC|AOZC|AA{kiosks.SENIOR}|AD{pin}|ABZC01000001|AC|"))
    assert (hold.fixed["ok"], hold.fixed["available"]) == ("1", "N"), hold.get("AF")
    assert hold.get("BS") == "ZC"
    assert "预约成功" in hold.get("AF")
    info = answer(kiosk.ask(f"63019{DATE}     Y    AOZC|AA{kiosks.SENIOR}|AD{pin}|BP1|BQ5|"))
    assert info.fixed["unavailable_holds_count"] == "0001"
    assert info.get("CD") == "平凡的世界"
    back = answer(kiosk.ask(f"09N{DATE}{DATE}APZC-24H|AOZC|ABZC01000001|AC|"))
    assert (back.fixed["ok"], back.fixed["alert"], back.fixed["resensitize"]) == ("1", "Y", "N")
    assert (back.get("CL"), back.get("CV")) == ("ZC", "02")  # in transit to the pickup point


def test_a_hold_cancelled_at_a_kiosk_leaves_nothing_waiting(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk()
    kiosk.login(*kiosks.KIOSK)
    kiosk.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|ABZC01000001|AC|")
    pin = kiosks.SENIOR_PIN
    kiosk.ask(f"15+{DATE}BSZC|AOZC|AA{kiosks.SENIOR}|AD{pin}|ABZC01000001|AC|")
    gone = answer(kiosk.ask(f"15-{DATE}AOZC|AA{kiosks.SENIOR}|AD{pin}|ABZC01000001|AC|"))
    assert gone.fixed["ok"] == "1"
    assert "取消" in gone.get("AF")
    again = answer(kiosk.ask(f"15-{DATE}AOZC|AA{kiosks.SENIOR}|AD{pin}|ABZC01000001|AC|"))
    assert again.fixed["ok"] == "0"
    assert "没有这本书的预约" in again.get("AF")


def test_a_return_at_a_branch_kiosk_sends_the_book_home_with_a_sort_bin(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    lender = raw_kiosk()
    lender.login(*kiosks.KIOSK)
    lent = answer(lender.ask(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|ABZC01000006|AC|"))
    assert lent.fixed["ok"] == "1"
    branch = raw_kiosk("gb18030")
    branch.login(*kiosks.GBK_KIOSK, sequence="0", checksummed=True)
    back = answer(
        branch.ask(f"09N{DATE}{DATE}AP昌城|AOZC|ABZC01000006|AC|", sequence="1", checksummed=True),
        "gb18030",
    )
    assert (back.fixed["ok"], back.fixed["alert"]) == ("1", "Y")
    assert back.get("CL") == "ZC"
    assert back.get("AJ") == "红高粱家族"
    assert "诸城市图书馆" in back.get("AF")
    item = answer(
        branch.ask(f"17{DATE}AOZC|ABZC01000006|", sequence="2", checksummed=True), "gb18030"
    )
    assert item.fixed["circulation_status"] == "10"  # in transit


def test_a_gb18030_kiosk_gets_chinese_names_and_titles_in_gb18030(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk("gb18030")
    kiosk.login(*kiosks.GBK_KIOSK, sequence="0", checksummed=True)
    request = f"23019{DATE}AOZC|AA{kiosks.ADULT}|AC|AD{kiosks.ADULT_PIN}|".encode("gb18030")
    kiosk.send(add_trailer(request, sequence="1", checksummed=True) + b"\r")
    raw = kiosk.receive()
    assert "王小明".encode("gb18030") in raw
    assert "王小明".encode() not in raw
    status = answer(
        kiosk.ask(f"23019{DATE}AOZC|AA{kiosks.ADULT}|AC|", sequence="2", checksummed=True),
        "gb18030",
    )
    assert status.get("AE") == "王小明"


def test_a_kiosk_that_must_send_checksums_gets_96_without_them(
    raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    kiosk = raw_kiosk("gb18030")
    assert kiosk.login(*kiosks.GBK_KIOSK, sequence="0", checksummed=True).startswith("941")
    kiosk.send(f"17{DATE}AOZC|ABZC01000001|\r".encode("gb18030"))
    assert kiosk.receive() == b"96AZFEF6"


def test_a_dropped_connection_mid_transaction_leaves_the_database_consistent(
    raw_kiosk: Kiosk, kiosks: ModuleType, engine: Engine, library: Any
) -> None:
    for barcode in ("ZC01000007", "ZC02000001"):
        kiosk = raw_kiosk()
        kiosk.login(*kiosks.KIOSK)
        kiosk.send(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|AB{barcode}|AC|\r".encode())
        kiosk.sock.shutdown(socket.SHUT_RDWR)
        kiosk.close()
    # A half-sent frame, then a hang-up: nothing to do, nothing done.
    half = raw_kiosk()
    half.login(*kiosks.KIOSK)
    half.send(f"11NN{DATE}{BLANK_DATE}AOZC|AA{kiosks.ADULT}|ABZC01000005".encode())
    half.close()
    time.sleep(1.0)
    with UnitOfWork(engine, readonly=True) as uow:
        for barcode in ("ZC01000007", "ZC02000001", "ZC01000005"):
            item = uow.session.scalars(select(Item).where(Item.barcode == barcode)).one()
            loans = uow.session.scalar(select(func.count()).where(Loan.item_id == item.id))
            events = uow.session.scalar(
                select(func.count()).where(CirculationEvent.item_id == item.id)
            )
            # Whole or nothing: on loan with its loan and its log entry, or untouched.
            assert (item.status, loans, events) in {
                (ItemStatus.ON_LOAN, 1, 1),
                (ItemStatus.AVAILABLE, 0, 0),
            }, barcode
        assert item.status is ItemStatus.AVAILABLE  # the half-sent one


def test_pins_and_passwords_never_reach_the_log_and_each_kiosk_logs_under_its_login(
    raw_kiosk: Kiosk, kiosks: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="wenjin.sip2")
    kiosk = raw_kiosk()
    kiosk.login(*kiosks.KIOSK)
    kiosk.ask(f"23019{DATE}AOZC|AA{kiosks.ADULT}|ACterminal-secret|AD{kiosks.ADULT_PIN}|")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert kiosks.ADULT_PIN not in text
    assert kiosks.KIOSK[1] not in text
    assert "terminal-secret" not in text
    assert "AD****" in text
    assert any(
        r.name == "wenjin.sip2.kiosk24h" and "王小明" in r.getMessage() for r in caplog.records
    )


def test_the_server_limits_connections_and_hangs_up_on_idle_kiosks(
    start_server: Callable[..., int], raw_kiosk: Kiosk, kiosks: ModuleType
) -> None:
    port = start_server(max_connections=1, idle_timeout=1.0)
    first = raw_kiosk(at_port=port)
    assert first.login(*kiosks.KIOSK) == "941"
    second = raw_kiosk(at_port=port)
    with pytest.raises(ConnectionError):
        second.login(*kiosks.KIOSK)
    time.sleep(1.5)
    with pytest.raises(ConnectionError):
        first.ask(f"17{DATE}AOZC|ABZC01000001|")
    third = raw_kiosk(at_port=port)
    assert third.login(*kiosks.KIOSK) == "941"


def test_a_kiosk_can_speak_sip2_over_tls(
    start_server: Callable[..., int], kiosks: ModuleType, tmp_path: Path
) -> None:
    cert, key = tmp_path / "sip2.pem", tmp_path / "sip2.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    port = start_server(tls_cert=str(cert), tls_key=str(key))
    context = ssl.create_default_context(cafile=str(cert))
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as plain,
        context.wrap_socket(plain, server_hostname="localhost") as kiosk,
    ):
        kiosk.sendall(f"9300CN{kiosks.KIOSK[0]}|CO{kiosks.KIOSK[1]}|\r".encode())
        assert kiosk.recv(64) == b"941\r"
