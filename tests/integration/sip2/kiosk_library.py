"""The circulation tests' lending network with self-check machines, for the SIP2 tests.

Three kiosk accounts: ``kiosk24h`` (UTF-8) at the 24-hour library ZC-24H,
``cc-gbk`` (GB18030, checksums required) at the 昌城镇 branch ZC-CC, and
``retired`` (disabled). Readers 王小明 and 李娜 have PINs; 孙小雨 is blocked by staff.
Shared by the integration and the functional SIP2 tests (loaded by path).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from sqlalchemy.orm import Session

from support import load_test_module
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron
from wenjin.patrons.services import block_patron, change_pin
from wenjin.protocols.sip2.kiosks import add_kiosk_account

circ: ModuleType = load_test_module(
    "integration/circulation/circ_library.py", "wenjin_sip2_circ_library"
)

ADULT: str = circ.ADULT  # 王小明, PIN 246810
SENIOR: str = circ.SENIOR  # 李娜, PIN 135790
CHILD: str = circ.CHILD  # 孙小雨, blocked by staff
ADULT_PIN = "246810"
SENIOR_PIN = "135790"
KIOSK = ("kiosk24h", "zizhu-24h")
GBK_KIOSK = ("cc-gbk", "changcheng-1")
RETIRED = ("retired", "old-kiosk-1")


@dataclass(frozen=True)
class KioskLibrary:
    library: object
    points: dict[str, int]
    patrons: dict[str, int]
    items: dict[str, int]


def build_kiosk_library(session: Session) -> KioskLibrary:
    library = circ.build_circ_library(session)
    central = session.get(ServicePoint, library.points["ZC"])
    assert central is not None
    central.is_pickup_point = True  # readers may pick up holds at the central library
    add_kiosk_account(session, login=KIOSK[0], password=KIOSK[1], point_code="ZC-24H")
    add_kiosk_account(
        session,
        login=GBK_KIOSK[0],
        password=GBK_KIOSK[1],
        point_code="ZC-CC",
        encoding="gb18030",
        checksums=True,
    )
    add_kiosk_account(
        session, login=RETIRED[0], password=RETIRED[1], point_code="ZC"
    ).active = False
    for card, pin in ((ADULT, ADULT_PIN), (SENIOR, SENIOR_PIN)):
        patron = session.get(Patron, library.patrons[card])
        assert patron is not None
        change_pin(session, patron=patron, new_pin=pin, current_pin=None)
    child = session.get(Patron, library.patrons[CHILD])
    assert child is not None
    block_patron(session, patron=child, reason="损坏图书未赔偿", by="librarian")
    session.flush()
    return KioskLibrary(library, library.points, library.patrons, library.items)
