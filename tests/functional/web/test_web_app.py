"""The application frame: health check, static files, error pages, headers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sample_library import SampleLibrary

from wenjin.config import Settings
from wenjin.web.app import create_app


def test_healthz_says_the_app_and_the_database_are_up(empty_client: TestClient) -> None:
    answer = empty_client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_so_when_the_database_does_not_answer(tmp_path: Path) -> None:
    settings = Settings(
        database_url="postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
        data_dir=tmp_path,
    )
    with TestClient(create_app(settings)) as client:
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "error", "database": "unavailable"}


def test_the_stylesheet_is_served_with_the_pages(empty_client: TestClient) -> None:
    html = empty_client.get("/").text
    assert '<link rel="stylesheet" href="/static/wenjin.css">' in html
    css = empty_client.get("/static/wenjin.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in css.text


def test_pages_forbid_outside_resources_and_vary_by_language_cookie(
    empty_client: TestClient,
) -> None:
    page = empty_client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "Cookie" in page.headers["vary"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_an_unknown_page_is_a_not_found_page_with_a_way_home(empty_client: TestClient) -> None:
    page = empty_client.get("/no/such/page?lang=en")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text
    assert "Back to the home page" in page.text


def test_a_wrong_method_is_an_error_page_not_a_json_body(empty_client: TestClient) -> None:
    page = empty_client.post("/network")
    assert page.status_code == 405
    assert page.headers["content-type"].startswith("text/html")
    assert "请求有误" in page.text


def test_api_paths_get_json_errors(empty_client: TestClient) -> None:
    answer = empty_client.get("/api/v1/nothing")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "http_404"


def test_an_unexpected_failure_is_a_friendly_page_in_the_chosen_language(
    settings: Settings, library: SampleLibrary
) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom?lang=en")
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert "a bug" not in page.text  # no internals shown to readers


def test_the_public_site_has_no_openapi_page(empty_client: TestClient) -> None:
    assert empty_client.get("/docs").status_code == 404
    assert empty_client.get("/openapi.json").status_code == 404


def test_links_keep_the_prefix_when_a_proxy_mounts_the_site_under_one(
    settings: Settings, library: SampleLibrary
) -> None:
    with TestClient(create_app(settings), root_path="/wenjin") as client:
        html = client.get(f"/wenjin/records/{library.novel_id}").text
    assert 'href="/wenjin/static/wenjin.css"' in html
    assert 'href="/wenjin/network/ZC-CEN"' in html
    assert f'href="/wenjin/records/{library.novel_id}?lang=en"' in html
