"""Fixtures for the SIP2 server tests: the kiosk network, a live server on a free port, and a
raw socket kiosk that writes frames by hand."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from support import load_test_module
from wenjin.db.uow import UnitOfWork
from wenjin.protocols.sip2.codec import add_trailer
from wenjin.protocols.sip2.server import BackgroundServer, ServerOptions


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its smallest cost (see tests/integration/sip2/conftest.py for why)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("wenjin.accounts.services._hasher", cheap)
    monkeypatch.setattr("wenjin.patrons.identity._hasher", cheap)


@pytest.fixture
def kiosks() -> ModuleType:
    """``kiosk_library.py``: kiosk logins, card numbers and PINs."""
    return load_test_module("integration/sip2/kiosk_library.py", "wenjin_sip2_kiosk_library")


@pytest.fixture
def library(engine: Engine, kiosks: ModuleType, cheap_argon2: None, cli_env: dict[str, str]) -> Any:
    """The kiosk network, in the test database that ``wenjin`` commands are pointed at too."""
    with UnitOfWork(engine) as uow:
        built = kiosks.build_kiosk_library(uow.session)
        uow.commit()
    return built


@pytest.fixture
def start_server(engine: Engine, library: Any) -> Iterator[Callable[..., int]]:
    """``start_server(**options)`` starts a SIP2 server on a free port and returns the port."""
    running: list[BackgroundServer] = []

    def start(**options: Any) -> int:
        server = BackgroundServer(engine, ServerOptions(port=0, **options))
        running.append(server)
        return server.start()

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def port(start_server: Callable[..., int]) -> int:
    return start_server()


class RawKiosk:
    """A self-check machine written by hand: frames in, frames out, over a real socket."""

    def __init__(self, port: int, encoding: str = "utf-8") -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.encoding = encoding
        self.buffer = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> bytes:
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server hung up")
            self.buffer += chunk
        frame, _, self.buffer = self.buffer.partition(b"\r")
        return frame

    def ask(
        self,
        text: str,
        *,
        sequence: str | None = None,
        checksummed: bool = False,
        end: bytes = b"\r",
    ) -> str:
        data = add_trailer(text.encode(self.encoding), sequence=sequence, checksummed=checksummed)
        self.send(data + end)
        return self.receive().decode(self.encoding)

    def login(self, login: str, password: str, **trailer: Any) -> str:
        return self.ask(f"9300CN{login}|CO{password}|CPZC|", **trailer)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def raw_kiosk(port: int) -> Iterator[Callable[..., RawKiosk]]:
    opened: list[RawKiosk] = []

    def connect(encoding: str = "utf-8", at_port: int | None = None) -> RawKiosk:
        kiosk = RawKiosk(at_port or port, encoding)
        opened.append(kiosk)
        return kiosk

    yield connect
    for kiosk in opened:
        kiosk.close()
