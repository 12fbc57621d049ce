"""WAL checkpoints in a background thread for servers on SQLite."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from wenjin.db.engine import (
    has_background_checkpoints,
    make_engine,
    start_background_checkpoints,
    stop_background_checkpoints,
)


def test_commits_leave_checkpoints_to_the_thread_which_copies_the_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'ckpt.sqlite3'}")
    checkpointer = start_background_checkpoints(engine, interval=0.05)
    assert checkpointer is not None
    assert has_background_checkpoints(engine)
    assert start_background_checkpoints(engine) is checkpointer  # once per engine
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        connection.execute(text("CREATE TABLE shelf (id INTEGER PRIMARY KEY, title TEXT)"))
        connection.commit()
        for n in range(300):
            connection.execute(
                text("INSERT INTO shelf (title) VALUES (:t)"), {"t": "红楼梦" * 400 + str(n)}
            )
            connection.commit()
    deadline = time.monotonic() + 10
    copied = False
    while time.monotonic() < deadline and not copied:
        time.sleep(0.1)
        last = checkpointer.last_pass
        copied = last is not None and last[0] > 0 and last[0] == last[1]  # all frames copied
    assert copied
    stop_background_checkpoints(engine)
    assert not has_background_checkpoints(engine)
    assert not checkpointer.is_alive()
    engine.dispose()
    restarted = make_engine(f"sqlite:///{tmp_path / 'ckpt.sqlite3'}")
    with restarted.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM shelf").scalar() == 300
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    restarted.dispose()


def test_postgresql_engines_have_no_checkpointer() -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert start_background_checkpoints(engine) is None
    assert not has_background_checkpoints(engine)
