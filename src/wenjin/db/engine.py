"""Engines for the embedded SQLite file and for PostgreSQL.

A long-running server on SQLite (the web application, the SIP2 server) moves WAL
checkpoints off the request path with :func:`start_background_checkpoints`: by
default the connection whose commit pushes the WAL past 1,000 pages copies them
into the database file inside that commit, a pause of several milliseconds that
falls on one reader at the desk every few dozen loans. With a checkpointer, a
thread of its own does that work every half second, and commits only append to
the WAL. Short commands keep SQLite's default (the last connection to close
checkpoints the file anyway).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL_SECONDS = 0.5
# Past this many WAL frames (pages, 4 KiB each by default: 64 MiB) the checkpointer waits
# for a pause in writing and starts the WAL over (RESTART), so that it cannot grow for ever
# under continuous writes; a PASSIVE pass has copied nearly everything by then.
RESTART_AFTER_FRAMES = 16_384
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
_checkpointers: weakref.WeakKeyDictionary[Engine, WalCheckpointer] = weakref.WeakKeyDictionary()


def make_engine(url: str, *, echo: bool = False, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling issues BEGIN lazily and never for
    # SELECTs, which lets two writers both read an item as available before
    # either writes. We take control: a writing transaction starts with
    # BEGIN IMMEDIATE, so writers queue on the database lock instead of
    # failing with "database is locked" half-way through; read-only units of
    # work ask for DEFERRED (execution option ``sqlite_begin``) so that WAL
    # readers never wait for a writer.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Once the WAL has been copied and starts over, its file shrinks back to this size.
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")
        if engine in _checkpointers:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        # Straight to the driver: through exec_driver_sql this costs ten times as much,
        # and every unit of work pays it.
        conn.connection.dbapi_connection.execute(f"BEGIN {mode}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for PostgreSQL or an in-memory database)."""
    if not is_sqlite(engine):
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


class WalCheckpointer(threading.Thread):
    """A daemon thread that checkpoints a SQLite file's WAL, PASSIVE, at a fixed interval.

    PASSIVE never waits for, nor blocks, readers and writers: it copies what it can.
    Under continuous writing the WAL is never found fully copied when a writer starts,
    so it would only grow; past :data:`RESTART_AFTER_FRAMES` one RESTART checkpoint
    holds writers back for the last few frames and lets the next writer start the WAL
    from its beginning.
    """

    def __init__(self, path: Path, interval: float) -> None:
        super().__init__(name=f"wal-checkpoint-{path.name}", daemon=True)
        self.path = path
        self.interval = interval
        self._stopping = threading.Event()
        # (frames in the WAL, frames copied) after the last pass: what a test or a status page reads.
        self.last_pass: tuple[int, int] | None = None

    def run(self) -> None:
        connection = sqlite3.connect(
            self.path, timeout=5, isolation_level=None, check_same_thread=False
        )
        connection.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")
        try:
            while not self._stopping.wait(self.interval):
                try:
                    _busy, frames, copied = connection.execute(
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    ).fetchone()
                    self.last_pass = (frames, copied)
                    if frames > RESTART_AFTER_FRAMES:
                        connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
                except sqlite3.Error as exc:  # a busy file: the next round will do it
                    log.debug("WAL checkpoint of %s skipped: %s", self.path, exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=5)


def start_background_checkpoints(
    engine: Engine, *, interval: float = CHECKPOINT_INTERVAL_SECONDS
) -> WalCheckpointer | None:
    """Checkpoint ``engine``'s SQLite file in a thread instead of inside commits.

    Does nothing on PostgreSQL. Connections already pooled are replaced so that
    every connection of the engine leaves checkpoints to the thread. Idempotent.
    """
    path = sqlite_file(engine)
    if path is None:
        return None
    running = _checkpointers.get(engine)
    if running is not None and running.is_alive():
        return running
    checkpointer = WalCheckpointer(path, interval)
    _checkpointers[engine] = checkpointer
    engine.dispose()
    checkpointer.start()
    return checkpointer


def has_background_checkpoints(engine: Engine) -> bool:
    running = _checkpointers.get(engine)
    return running is not None and running.is_alive()


def stop_background_checkpoints(engine: Engine) -> None:
    """Stop the engine's checkpointer, if it has one (its connections then checkpoint as usual
    once the pool is disposed)."""
    checkpointer = _checkpointers.pop(engine, None)
    if checkpointer is not None:
        checkpointer.stop()
