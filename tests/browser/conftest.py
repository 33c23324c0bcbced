"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

The browser flows run once per suite, on the SQLite half (they prove pages, not the
database). Outside CI they skip, with the reason, when Chromium or Playwright is missing;
inside CI (CI set) that is a failure: scripts/install-browser installs Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 780}


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: run scripts/install-browser"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: pip install playwright"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _on_postgres():
        reason = "browser flows run once, on the SQLite half of the suite"
    elif os.environ.get("CI"):
        return  # inside CI a missing browser fails (see ``chromium``)
    else:
        reason = _missing() or ""
    if not reason:
        return
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """One browser per test. Playwright's sync API keeps an event loop in this thread while
    it runs; the ORM calls of the test body (setting up data, checking results) stay
    synchronous, so Django's async guard is lifted for this test only."""
    missing = _missing()
    if missing:
        pytest.fail(f"CI needs the browser: {missing}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (360 px) on the live server; the cache (rate limits) starts empty."""
    cache.clear()
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()
    translation.activate(settings.LANGUAGE_CODE)


def shot(page: Any, name: str) -> None:
    """Save a screenshot of the whole page as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def fits_phone(page: Any) -> bool:
    """Nothing wider than the 360 px screen: no sideways scrolling."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
