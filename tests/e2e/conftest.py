"""Browser tests: the real server (uvicorn in a thread) and Debian's chromium via Playwright.

Never a downloaded browser: Playwright drives ``/usr/bin/chromium``. Without it the
tests are skipped, except under ``CI=true``, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from support import load_test_module
from wenjin.accounts.services import create_account
from wenjin.accounts.states import Role
from wenjin.circulation.services import checkout
from wenjin.config import Settings
from wenjin.db.engine import make_engine
from wenjin.db.migrate import upgrade
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
STAFF_PASSWORD = "诸城图书馆借还书2026"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests need chromium under CI=true: {reason}")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The application on a free loopback port, over a SQLite file with the sample library."""
    data_dir = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{data_dir / 'wenjin.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with UnitOfWork(engine) as uow:
        library = load_test_module(
            "functional/web/sample_library.py", "wenjin_e2e_sample_library"
        ).build_sample_library(uow.session)
        uow.commit()
    engine.dispose()

    settings = Settings(database_url=url, data_dir=data_dir, network_name="诸城市图书馆")
    with _serving(settings) as base_url:
        yield {"url": base_url, "library": library}


@contextmanager
def _serving(settings: Settings) -> Iterator[str]:
    """The application with ``settings`` on a free loopback port, in a thread."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="wenjin-e2e-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def lending_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The application over the circulation tests' network with readers who have PINs and
    loans lent four weeks ago (kiosk_library.py: 王小明 and 李娜), 张华医生's loan overdue,
    and a network administrator ``admin`` with :data:`STAFF_PASSWORD`."""
    data_dir = tmp_path_factory.mktemp("e2e-lending")
    url = f"sqlite:///{data_dir / 'wenjin.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    kiosks = load_test_module("integration/sip2/kiosk_library.py", "wenjin_e2e_kiosk_library")
    with UnitOfWork(engine) as uow:
        library = kiosks.build_kiosk_library(uow.session)
        uow.commit()
    lent = utcnow() - timedelta(days=28)
    with UnitOfWork(engine) as uow:
        for barcode in ("ZC01000001", "ZC01000004"):
            checkout(uow.session, at="ZC", card_number=kiosks.ADULT, barcode=barcode, now=lent)
        # 张华医生 has kept 活着 for four months: overdue, a fine when it comes back.
        checkout(
            uow.session,
            at="ZC",
            card_number=kiosks.circ.DOCTOR,
            barcode="ZC01000003",
            now=utcnow() - timedelta(days=120),
        )
        create_account(
            uow.session,
            username="admin",
            display_name="系统管理员",
            password=STAFF_PASSWORD,
            role=Role.ADMIN,
        )
        uow.commit()
    engine.dispose()
    settings = Settings(database_url=url, data_dir=data_dir, network_name="诸城市图书馆")
    with _serving(settings) as base_url:
        yield {"url": base_url, "library": library, "kiosks": kiosks}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests keep one screenshot per main page (ignored by git)."""
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh page (no cookies) the size of a phone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()
