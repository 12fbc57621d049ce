"""Every page and endpoint has a name of its own: ``path_for(name)`` must never pick one
of two routes by the order they happen to be included in."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from wenjin.config import Settings
from wenjin.web.app import create_app


def test_no_two_routes_share_a_name(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite3", data_dir=tmp_path))
    names = Counter(getattr(route, "name", None) for route in app.routes)
    names.pop(None, None)
    assert [name for name, count in names.items() if count > 1] == []
