"""Browser suite: Django's live server, driven by Debian's Chromium through Playwright's sync API.

Every test here is marked ``e2e`` (``pytestmark = pytest.mark.e2e``) and runs with
``SOCIALA_DEMO_MODE=1 pytest -m e2e tests/e2e``. A failing test leaves a screenshot, the page's HTML
and its console messages in tests/e2e/artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("SOCIALA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
DEMO_DISTRICTS = ["Rinkeby-Kista", "Bromma"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for the screenshot on failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # what is there belongs to this run only
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make setup` installs it (apt-get install chromium).")
    # Playwright's sync API keeps an event loop running in this thread, which makes Django's ORM
    # refuse to run here (SynchronousOnlyOperation); the ORM calls in tests are synchronous all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(request, browser, live_server, transactional_db):
    """A fresh browser context (sv-SE, 1280×900) whose relative URLs go to the live server."""
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=VIEWPORT, base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    messages: list[str] = []
    tab.on("console", lambda message: messages.append(f"console.{message.type}: {message.text}"))
    tab.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    tab.on(
        "requestfailed", lambda req: messages.append(f"requestfailed: {req.method} {req.url} {req.failure}")
    )
    yield tab
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call")
    )
    if failed:
        _save_artifacts(request.node.nodeid, tab, messages)
    context.close()


def _save_artifacts(nodeid: str, tab, messages: list[str]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("tests/e2e/")[-1]).strip("_")[:150]
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(tab.content(), encoding="utf-8")
    except Exception as error:  # a broken page must not hide the test's own failure
        messages.append(f"(screenshot failed: {error})")
    (ARTIFACTS / f"{stem}.log").write_text(f"url: {tab.url}\n" + "\n".join(messages) + "\n", encoding="utf-8")
    print(f"\nBrowser artifacts: {ARTIFACTS / stem}.png|.html|.log")


@pytest.fixture
def demo_city(transactional_db):
    """The demo city's organisation and staff for two districts (password: sociala-demo)."""
    from sociala.demo.organization import build_city

    return build_city(DEMO_DISTRICTS)
