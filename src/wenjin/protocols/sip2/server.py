"""The SIP2 server: asyncio over TCP (or TLS), many kiosks at once.

Each connection reads frames ended by CR (a CR LF's LF is dropped), checks the
AY/AZ trailer when the kiosk sends one (and insists on it when its account says
so), and answers 96 to a frame it cannot read: a bad checksum, a garbage line,
an unknown message. 97 gets the last answer again. The transaction itself is
synchronous database work in :mod:`~wenjin.protocols.sip2.transactions`, run in
a thread pool so that one kiosk never holds up the others; a kiosk that drops
the connection mid-transaction leaves a transaction that commits or rolls back
whole, never half.

Every request and answer is logged per kiosk (logger ``wenjin.sip2.<login>``)
with the PIN and passwords masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import Engine

from wenjin.db.engine import (
    has_background_checkpoints,
    is_sqlite,
    start_background_checkpoints,
    stop_background_checkpoints,
)
from wenjin.protocols.sip2 import transactions
from wenjin.protocols.sip2.codec import (
    Frame,
    FrameError,
    Message,
    add_trailer,
    encode,
    mask_secrets,
    read_frame,
    split_trailer,
)

log = logging.getLogger("wenjin.sip2")

MAX_FRAME = 8192  # bytes; a longer "line" is not SIP2


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 6001
    max_connections: int = 200
    idle_timeout: float = 300.0  # seconds without a message before the server hangs up
    # Threads doing database work; None: one for SQLite, eight for PostgreSQL. SQLite has
    # one writer at a time anyway, and writers queued in its busy handler sleep in steps
    # of up to 100 ms: one thread taking the transactions in turn is far faster.
    workers: int | None = None
    tls_cert: str | None = None
    tls_key: str | None = None

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.tls_cert:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.tls_cert, self.tls_key)
        return context


@dataclass
class _Connection:
    session: transactions.Session
    peer: str
    last_answer: bytes | None = None
    log: logging.Logger = field(default_factory=lambda: log.getChild("-"))

    def relabel(self) -> None:
        kiosk = self.session.kiosk
        self.log = log.getChild(kiosk.login if kiosk else "-")


class Sip2Server:
    def __init__(self, engine: Engine, options: ServerOptions | None = None) -> None:
        self.engine = engine
        self.options = options or ServerOptions()
        workers = self.options.workers or (1 if is_sqlite(engine) else 8)
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="sip2")
        # Argon2 (kiosk logins, readers' PINs) runs here, never in the transactions' threads.
        self.hashing = ThreadPoolExecutor(4, thread_name_prefix="sip2-hash")
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._own_checkpoints = False

    async def start(self) -> int:
        """Listen; returns the port (useful with port 0)."""
        # On SQLite, WAL checkpoints run in a thread, not inside a kiosk's commit
        # (unless the web application beside it already started them).
        self._own_checkpoints = not has_background_checkpoints(self.engine)
        start_background_checkpoints(self.engine)
        self._server = await asyncio.start_server(
            self._serve,
            self.options.host,
            self.options.port,
            ssl=self.options.ssl_context(),
            limit=MAX_FRAME,
        )
        port: int = self._server.sockets[0].getsockname()[1]
        log.info("SIP2 listening on %s:%d", self.options.host, port)
        return port

    async def serve_forever(self) -> None:
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.executor.shutdown(wait=True)
        self.hashing.shutdown(wait=True)
        if self._own_checkpoints:
            stop_background_checkpoints(self.engine)

    # --- one connection ---

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = writer.get_extra_info("peername")[:2]
        peer = f"{host}:{port}"
        if self.connections >= self.options.max_connections:
            log.warning("refused %s: %d connections already", peer, self.connections)
            writer.close()
            return
        self.connections += 1
        conn = _Connection(transactions.Session(self.engine), peer)
        conn.log.info("connected %s", peer)
        try:
            while True:
                try:
                    data = await asyncio.wait_for(
                        reader.readuntil(b"\r"), timeout=self.options.idle_timeout
                    )
                except TimeoutError:
                    conn.log.info("idle for %ss, hanging up %s", self.options.idle_timeout, peer)
                    break
                except asyncio.LimitOverrunError:
                    conn.log.warning(
                        "a line longer than %d bytes from %s: hanging up", MAX_FRAME, peer
                    )
                    break
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                frame = data[:-1].strip(b"\n")
                if not frame:
                    continue
                answer = await self._answer(conn, frame)
                conn.last_answer = answer
                writer.write(answer)
                await writer.drain()
        except ConnectionError:
            conn.log.info("connection lost %s", peer)
        finally:
            self.connections -= 1
            conn.log.info("closed %s", peer)
            writer.close()
            with contextlib.suppress(ConnectionError, ssl.SSLError):
                await writer.wait_closed()

    async def _answer(self, conn: _Connection, frame: bytes) -> bytes:
        session = conn.session
        encoding = session.encoding
        conn.log.info("<- %s", mask_secrets(frame.decode(encoding, errors="replace")))
        if frame[:2] == b"97":
            answer = conn.last_answer or self._please_resend(conn)
            conn.log.info("-> (resent) %s", answer[:-1].decode(encoding, errors="replace"))
            return answer
        try:
            if frame[:2] == b"93" and session.kiosk is None:
                received = _read_login(frame)
            else:
                received = read_frame(frame, encoding)
        except FrameError as error:
            conn.log.warning("unreadable frame (%s): answering 96", error.message_en)
            return self._please_resend(conn)
        kiosk = session.kiosk
        if kiosk is not None and kiosk.checksums and not received.checksummed:
            conn.log.warning("no checksum from a kiosk that must send one: answering 96")
            return self._please_resend(conn)
        loop = asyncio.get_running_loop()
        request = received.message
        try:
            if request.code == "93":
                reply: Message = await loop.run_in_executor(
                    self.hashing, transactions.handle, session, request
                )
            else:
                if request.get("AD"):
                    await loop.run_in_executor(
                        self.hashing, transactions.check_pin_ahead, session, request
                    )
                reply = await loop.run_in_executor(
                    self.executor, transactions.handle, session, request
                )
        except Exception:
            # A bug, not a refusal (refusals are answers): keep the server and the kiosk up.
            conn.log.exception("failed to answer %s", received.message.code)
            return self._please_resend(conn)
        if received.message.code == "93":
            conn.relabel()
        must_sum = received.checksummed or (session.kiosk is not None and session.kiosk.checksums)
        answer = encode(reply, session.encoding, sequence=received.sequence, checksummed=must_sum)
        conn.log.info("-> %s", mask_secrets(answer[:-1].decode(session.encoding, errors="replace")))
        return answer

    def _please_resend(self, conn: _Connection) -> bytes:
        kiosk = conn.session.kiosk
        return (
            add_trailer(b"96", sequence=None, checksummed=bool(kiosk and kiosk.checksums)) + b"\r"
        )


def _read_login(frame: bytes) -> Frame:
    """A login comes before we know the kiosk's encoding: UTF-8, else GB18030."""
    payload, _, _ = split_trailer(frame)
    try:
        payload.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "gb18030"
    return read_frame(frame, encoding)


# --- running it ----------------------------------------------------------------------------


class BackgroundServer:
    """A SIP2 server on its own event loop in a thread: for ``wenjin serve`` and the tests."""

    def __init__(self, engine: Engine, options: ServerOptions) -> None:
        self.server = Sip2Server(engine, options)
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sip2-server", daemon=True)

    def start(self) -> int:
        self._thread.start()
        self._started.wait()
        if self._error is not None:
            raise self._error
        return self.port

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.port = self.loop.run_until_complete(self.server.start())
        except BaseException as exc:
            self._error = exc
            self._started.set()
            return
        self._started.set()
        with contextlib.suppress(asyncio.CancelledError):
            self.loop.run_until_complete(self.server.serve_forever())
        # Let the cancelled connections finish their own clean-up before the loop closes.
        pending = asyncio.all_tasks(self.loop)
        self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.run_until_complete(self.server.close())
        self.loop.close()

    def stop(self) -> None:
        if not self._thread.is_alive():
            return

        def cancel() -> None:
            for task in asyncio.all_tasks(self.loop):
                task.cancel()

        self.loop.call_soon_threadsafe(cancel)
        self._thread.join(timeout=30)


async def serve(engine: Engine, options: ServerOptions) -> None:
    """``wenjin sip2 serve``: listen until interrupted."""
    server = Sip2Server(engine, options)
    await server.start()
    try:
        await server.serve_forever()
    finally:
        await server.close()
