"""``wenjin serve``: the real command, on a fresh data directory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wenjin.cli.main import app

WENJIN = Path(sys.executable).parent / "wenjin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WENJIN_")}
    env["WENJIN_DATA_DIR"] = str(tmp_path / "var")
    return env


def test_serve_migrates_a_fresh_data_dir_prints_the_address_and_serves_pages(
    tmp_path: Path,
) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(WENJIN), "serve", "--port", str(port)],
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert health == '{"status":"ok","database":"ok"}'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?lang=en", timeout=5) as r:
            home = r.read().decode()
        assert '<html lang="en">' in home
        assert "No titles yet" in home  # the schema exists: the database was migrated first
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=15)
    assert f"http://127.0.0.1:{port}/" in output
    assert (tmp_path / "var" / "wenjin.sqlite3").exists()


def test_serve_refuses_a_port_in_use_with_a_message_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WENJIN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("WENJIN_DATABASE_URL", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"端口 {port} 已被占用" in result.output
    assert "--port" in result.output


def test_serve_rejects_a_port_out_of_range() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
