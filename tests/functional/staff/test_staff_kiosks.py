"""Self-check machines in the staff client: a kiosk account added or changed on the page
is the one a machine signs in with over SIP2."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from staff_helpers import csrf_of

from wenjin.db.uow import UnitOfWork
from wenjin.protocols.sip2.errors import KioskLoginRefused
from wenjin.protocols.sip2.kiosks import authenticate_kiosk

PASSWORD = "xz-kiosk-2026"


def _add(client: TestClient, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/staff/kiosks").text)
    return client.post("/staff/kiosks", data={"csrf_token": token, **form})


def test_a_gb18030_kiosk_added_on_the_page_signs_in_at_its_point(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    page = _add(client, login="xz-self-01", password=PASSWORD, point="ZC-XZ", encoding="gb18030")
    assert page.status_code == 200
    assert "已添加自助机账户 xz-self-01" in page.text
    assert PASSWORD not in page.text
    with UnitOfWork(engine) as uow:
        kiosk = authenticate_kiosk(uow.session, login="xz-self-01", password=PASSWORD)
    assert (kiosk.point_code, kiosk.encoding, kiosk.checksums) == ("ZC-XZ", "gb18030", False)


def test_a_kiosk_switched_off_or_given_a_new_password_refuses_the_old_sign_in(
    signed_in_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = signed_in_as("admin")
    _add(client, login="xz-self-02", password=PASSWORD, point="ZC-XZ", checksums="on")
    token = csrf_of(client.get("/staff/kiosks").text)
    changed = client.post(
        "/staff/kiosks/xz-self-02",
        data={
            "csrf_token": token,
            "point": "ZC-CEN",
            "encoding": "utf-8",
            "checksums": "on",
            "active": "on",
            "password": "另一个密码2026",
        },
    )
    assert "自助机账户 xz-self-02 已修改" in changed.text
    with UnitOfWork(engine) as uow:
        with pytest.raises(KioskLoginRefused):
            authenticate_kiosk(uow.session, login="xz-self-02", password=PASSWORD)
        kiosk = authenticate_kiosk(uow.session, login="xz-self-02", password="另一个密码2026")
    assert (kiosk.point_code, kiosk.checksums) == ("ZC-CEN", True)
    client.post("/staff/kiosks/xz-self-02", data={"csrf_token": token, "point": "ZC-CEN"})
    with UnitOfWork(engine) as uow, pytest.raises(KioskLoginRefused):
        authenticate_kiosk(uow.session, login="xz-self-02", password="另一个密码2026")


def test_a_short_password_is_refused_in_words_and_nothing_is_added(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("admin")
    page = _add(client, login="xz-self-03", password="123", point="ZC-XZ")
    assert "至少6个字符" in page.text
    assert 'id="no-kiosks"' in page.text


def test_a_desk_librarian_may_not_manage_kiosks(
    signed_in_as: Callable[[str], TestClient],
) -> None:
    client = signed_in_as("wang.li")
    assert client.get("/staff/kiosks").status_code == 403
    assert "staff_kiosks" not in client.get("/staff/more").text
