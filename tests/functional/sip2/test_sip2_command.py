"""``wenjin sip2 account`` and ``wenjin serve --sip2-port``: the real commands."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from wenjin.cli.main import app

runner = CliRunner()
WENJIN = Path(sys.executable).parent / "wenjin"


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_a_kiosk_account_is_added_at_a_point_and_listed(library: Any) -> None:
    code, added = _json(
        "sip2", "account", "add", "--login", "xx-return-box", "--password", "huanshu-01",
        "--at", "ZC-XX", "--encoding", "GB18030", "--checksums",
    )  # fmt: skip
    assert code == 0
    assert added["point_name"] == "辛兴镇图书馆"
    assert (added["encoding"], added["checksums"], added["active"]) == ("gb18030", True, True)
    code, listed = _json("sip2", "account", "list")
    assert [a["login"] for a in listed] == ["cc-gbk", "kiosk24h", "retired", "xx-return-box"]
    assert "password" not in json.dumps(listed)


def test_adding_a_kiosk_at_an_unknown_point_is_refused_in_chinese_and_english(
    library: Any,
) -> None:
    result = runner.invoke(
        app, ["sip2", "account", "add", "--login", "k2", "--password", "secret-2", "--at", "ZZ"]
    )
    assert result.exit_code == 1
    code, refused = _json(
        "sip2", "account", "add", "--login", "kiosk24h", "--password", "secret-2", "--at", "ZC"
    )
    assert code == 1
    assert refused["error"]["code"] == "sip2_login_taken"
    assert "已存在" in refused["error"]["message"]
    assert "exists already" in refused["error"]["message_en"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_wenjin_serve_also_answers_sip2_with_the_sip2_port_option(tmp_path: Path) -> None:
    web, sip2 = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WENJIN_")}
    env["WENJIN_DATA_DIR"] = str(tmp_path / "var")
    output = tmp_path / "serve.log"
    with output.open("wb") as log:  # a file, not a pipe: a full pipe would stall the server
        server = subprocess.Popen(
            [str(WENJIN), "serve", "--port", str(web), "--sip2-port", str(sip2)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # Both servers up (SIP2 starts first; the web server's signal handlers come with
        # it), so that Ctrl+C below meets a running server, not one still starting.
        deadline = time.monotonic() + 120
        for port in (web, sip2):
            while True:
                try:
                    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                    break
                except OSError:
                    assert server.poll() is None, output.read_text(errors="replace")
                    assert time.monotonic() < deadline, output.read_text(errors="replace")
                    time.sleep(0.3)
            if port == web:
                connection.close()
            else:
                kiosk = connection
        with kiosk:
            kiosk.sendall(b"9900302.00\r")
            reply = kiosk.recv(4096)
        assert reply.startswith(b"98N")  # on-line only once a kiosk has logged in
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=90)  # a loaded machine stops slowly; a hang still fails
        except subprocess.TimeoutExpired as stuck:
            server.kill()
            server.wait()
            raise AssertionError(
                "wenjin serve did not stop:\n" + output.read_text(errors="replace")
            ) from stuck
