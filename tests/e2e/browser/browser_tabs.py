"""What the browser tests share: Debian's Chromium, and ``Tab``, a page watched for console
errors that keeps screenshots and runs axe-core (from frontend/node_modules, injected by the
browser itself, so the page's Content-Security-Policy stays as it is served).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from e2e_stack import ROOT
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

CHROMIUM = Path("/usr/bin/chromium")
# What a headless Chromium in a container needs, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BUILT = [ROOT / "frontend" / app / "dist" / "index.html" for app in ("console", "resident")]
BLOCKING = {"serious", "critical"}
TIMEOUT_MS = 15_000


class Tab:
    """One browser context and its page, watched for console errors."""

    def __init__(self, context: BrowserContext, base_url: str, name: str) -> None:
        self.context = context
        self.name = name
        self.base_url = base_url
        self.errors: list[str] = []
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(path=str(AXE))
        self.page: Page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.errors.append(f"console.error: {message.text} ({where})")

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, name: str) -> Path:
        path = ARTIFACTS / f"{self.name}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def audit(self, name: str) -> list[dict[str, Any]]:
        """axe-core on the page as it is now; serious and critical violations fail."""
        self.page.wait_for_function("() => window.axe !== undefined")
        result = self.page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        violations: list[dict[str, Any]] = result["violations"]
        report = ARTIFACTS / f"{self.name}-{name}.axe.json"
        report.write_text(json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8")
        blocking = [v for v in violations if v.get("impact") in BLOCKING]
        assert not blocking, f"accessibility ({name}):\n" + "\n".join(_describe(v) for v in blocking)
        return violations

    def assert_clean(self) -> None:
        assert not self.errors, f"{self.name}: errors in the browser console:\n" + "\n".join(self.errors)


def _describe(violation: dict[str, Any]) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
    return f"- {violation['impact']} {violation['id']}: {violation['help']} at {targets}"


def log_value(log: str, pattern: str) -> re.Match[str]:
    """The last line of the `ioc dev` log matching ``pattern`` (codes the dev IdP prints)."""
    found = list(re.finditer(pattern, log))
    assert found, f"nothing matches {pattern!r} in the ioc dev log"
    return found[-1]
