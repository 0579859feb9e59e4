"""What the browser tests share: Debian's Chromium, and ``Tab``, a page watched for console
errors that keeps screenshots and runs axe-core (from frontend/node_modules, injected by the
browser itself, so the page's Content-Security-Policy stays as it is served); then the steps
every story takes: signing in (in the browser, or through the API for the set-up a test is
not about), opening a report, reading its status.
"""

from __future__ import annotations

import json
import re
import struct
import uuid
import zlib
from pathlib import Path
from typing import Any

import pyotp
import requests
from e2e_stack import HTTP_TIMEOUT, ROOT, LocalStack, wait_until
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

CHROMIUM = Path("/usr/bin/chromium")
# What a headless Chromium in a container needs, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The maps are MapLibre GL: WebGL drawn in software (SwiftShader), the same on every machine.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
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
# Phan Thiết ward (22945), in the city centre: where the tests' reports are.
LAT, LONG = 10.928, 108.102


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

    def take_back_refusal(self, status: int, path: str) -> None:
        """Chromium logs every refused request as a console error: a test that asks for one on
        purpose takes back exactly that line (any other error still fails it)."""
        wanted = f"status of {status} "

        def line() -> str | None:
            return next((e for e in self.errors if wanted in e and f"{path})" in e), None)

        found, text = wait_until(line, bool, 5, interval=0.1)
        assert found and text, f"{self.name}: no refused request ({status} {path}) in the console"
        self.errors.remove(text)

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


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour, built here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(row * height))
    return b"\x89PNG\r\n\x1a\n" + header + pixels + chunk(b"IEND", b"")


# -- set-up through the JSON API ---------------------------------------------------------------


class Api:
    """The JSON API as one signed-in person, for set-up and for checking a report's state."""

    def __init__(self, stack: LocalStack, token: str) -> None:
        self.stack = stack
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> dict[str, Any]:
        reply = self.stack.get(path, headers=self.headers)
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def post(self, path: str, body: dict[str, Any], expected: int = 200) -> dict[str, Any]:
        reply = self.stack.post(
            path, json=body, headers={**self.headers, "Idempotency-Key": str(uuid.uuid4())}
        )
        assert reply.status_code == expected, reply.text
        answer: dict[str, Any] = reply.json()
        return answer

    def put(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = requests.put(self.stack.url + path, json=body, headers=self.headers, timeout=HTTP_TIMEOUT)
        assert reply.status_code == 200, reply.text
        answer: dict[str, Any] = reply.json()
        return answer

    def staff_act(self, report_id: str, action: str, **body: Any) -> dict[str, Any]:
        path = f"/api/v1/workflow/reports/{report_id}"
        version = self.get(path)["version"]
        return self.post(f"{path}/{action}", {**body, "version": version})


def submit(resident: Api, category: str, description: str) -> str:
    """A report of the signed-in resident's, as the app sends it; its id."""
    body = {"service_code": category, "lat": LAT, "long": LONG, "description": description}
    return str(resident.post("/api/v1/reports", body, expected=201)["id"])


# -- staff: username, password, then the authenticator code -------------------------------------


def staff_login(stack: LocalStack, username: str) -> tuple[str, str]:
    """(password, TOTP secret) the dev IdP printed for a demo staff account at first start."""
    found = log_value(
        stack.log(), rf"\[dev-idp\] staff {re.escape(username)} \(.*?\) password: (\S+) totp secret: (\S+)"
    )
    return found.group(1), found.group(2)


def staff_token(stack: LocalStack, username: str) -> str:
    """Sign in through the API as the console does (password, then the TOTP code)."""
    password, secret = staff_login(stack, username)
    first = requests.post(
        f"{stack.url}/api/v1/auth/staff/sign-in",
        json={"username": username, "password": password},
        timeout=HTTP_TIMEOUT,
    )
    assert first.status_code == 200, first.text
    tokens = requests.post(
        f"{stack.url}/api/v1/auth/staff/mfa",
        json={"session": first.json()["session"], "code": pyotp.TOTP(secret).now()},
        timeout=HTTP_TIMEOUT,
    )
    assert tokens.status_code == 200, tokens.text
    return str(tokens.json()["access_token"])


def sign_in_staff(tab: Tab, stack: LocalStack, username: str, shoot: bool = False) -> Page:
    page = tab.goto("/console/")
    expect(page.get_by_role("heading", name="Đăng nhập bảng điều hành")).to_be_visible()
    if shoot:
        tab.shot("01-sign-in")
        tab.audit("sign-in")
    password, secret = staff_login(stack, username)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Mã xác thực (ứng dụng Authenticator)").fill(pyotp.TOTP(secret).now())
    if shoot:
        tab.shot("02-sign-in-mfa")
        tab.audit("sign-in-mfa")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()


def open_report(tab: Tab, report_id: str) -> Page:
    page = tab.goto(f"/console/reports/{report_id}")
    expect(page.get_by_role("heading", name=f"Phản ánh {report_id}")).to_be_visible()
    return page


def expect_status(page: Page, label: str) -> None:
    """The status badge of the console's report page."""
    expect(page.locator(".page-head .badge").first).to_have_text(label)


# -- residents: a phone number and the one-time code the dev IdP prints -------------------------


def e164(phone: str) -> str:
    return "+84" + phone.removeprefix("0")


def one_time_code(stack: LocalStack, phone: str, ask: Any) -> str:
    """Call ``ask`` (which starts a sign-in) and return the code the dev IdP then prints."""
    pattern = rf"one-time code for {re.escape(e164(phone))}: (\d{{6}})"
    before = len(re.findall(pattern, stack.log()))
    ask()
    codes = wait_until(lambda: re.findall(pattern, stack.log()), lambda c: len(c) > before, 10)[1]
    assert len(codes) > before, f"the dev IdP printed no new one-time code for {phone}"
    return str(codes[-1])


def resident_token(stack: LocalStack, phone: str) -> str:
    """Sign in by phone through the API, as the resident app does."""

    def start() -> None:
        started = stack.post("/api/v1/auth/otp/start", json={"phone": phone})
        assert started.ok, started.text

    code = one_time_code(stack, phone, start)
    tokens = stack.post("/api/v1/auth/otp/verify", json={"phone": phone, "code": code})
    assert tokens.status_code == 200, tokens.text
    return str(tokens.json()["access_token"])


def sign_in_resident(tab: Tab, stack: LocalStack, phone: str) -> Page:
    page = tab.goto("/app/signin")
    page.get_by_label("Số điện thoại").fill(phone)
    code = one_time_code(stack, phone, page.get_by_role("button", name="Nhận mã xác thực").click)
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text(f"Đã đăng nhập: {e164(phone)}")).to_be_visible()
    return page
