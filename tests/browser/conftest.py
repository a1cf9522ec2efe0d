"""A real Chromium against the app served over HTTP on 127.0.0.1.

One browser and one app per session (starting them is the slow part); every test makes its
own users and network names, so the tests do not depend on each other's data or order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_app
from tracker.extensions import db, graph

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives Chromium, so ``-m "not browser"`` skips them all."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    app: Flask
    url: str


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live_app(
    tmp_path_factory: pytest.TempPathFactory, graph_dir: str, migrated_db: Path
) -> Iterator[Flask]:
    """One app for every browser test, with CSRF on as in production."""
    app = make_app(
        tmp_path_factory.mktemp("browser"), graph_dir, migrated_db, WTF_CSRF_ENABLED=True
    )
    yield app
    with app.app_context():
        graph.store.drop_graph()
        graph.close(app)
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(live_app, f"http://127.0.0.1:{server.port}")
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def new_page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Page:
    """A page in a fresh context, so cookies (the signed-in user) never leak between tests."""
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    page.context.close()


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
