"""Browser tests: Debian's Chromium driven by Playwright against a real `ioc dev` subprocess.

The stack is ``local_stack`` from tests/e2e/conftest.py, one per session and shared with
tests/e2e/test_local_stack.py (free ports, clean stop checked). Each page a test opens goes
through ``tabs(name)`` (browser_tabs.Tab): console errors and uncaught exceptions fail the
test, ``tab.shot(name)`` keeps a full-page screenshot in test-artifacts/browser/, and
``tab.audit(name)`` fails on serious or critical axe-core violations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_tabs import ARTIFACTS, AXE, BUILT, CHROMIUM, CHROMIUM_ARGS, ROOT, Tab
from e2e_stack import LocalStack
from playwright.sync_api import Browser, expect, sync_playwright

# What a page must show, it must show within 15 s: a bound against a hang, not a latency target
# (those are `make bench`'s). Playwright's 5 s default turned each wait into a timing test of
# a local AWS that a loaded CI machine runs several times slower.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("No /usr/bin/chromium: `make test` installs it (apt-get install chromium).")
    missing = [str(p.relative_to(ROOT)) for p in [*BUILT, AXE] if not p.exists()]
    if missing:
        pytest.fail(f"The front end is not built ({', '.join(missing)}): run `make frontend`.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def tabs(browser: Browser, local_stack: Any) -> Iterator[Any]:
    """``tabs(name, **context_options)`` opens a watched tab; all are checked at the end."""
    opened: list[Tab] = []

    def open_tab(name: str, **options: Any) -> Tab:
        options.setdefault("locale", "vi-VN")
        options.setdefault("timezone_id", "Asia/Ho_Chi_Minh")
        tab = Tab(browser.new_context(**options), local_stack.url, name)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.context.close()
    for tab in opened:
        tab.assert_clean()


@pytest.fixture(scope="session")
def plain_category(local_stack: LocalStack) -> str:
    """A category with no required question: the reports here need no attributes."""
    groups = local_stack.get("/api/v1/categories").json()["groups"]
    return str(
        next(
            s["code"]
            for g in groups
            for s in g["services"]
            if not any(a["required"] for a in s["attributes"])
        )
    )
