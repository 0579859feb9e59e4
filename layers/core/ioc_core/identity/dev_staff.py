"""The dev IdP's staff pool: one document of accounts (hashed passwords, TOTP secrets, groups),
kept as Cognito keeps its users. An account an administrator creates has a temporary password
(``FORCE_CHANGE_PASSWORD``, valid a few days) and no authenticator; a disabled one cannot sign
in, and disabling (as Cognito's global sign-out) moves its ``sign_outs`` on, which every refresh
token issued before carries the old value of."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyotp

from ioc_core.identity.dev_passwords import hash_password
from ioc_core.identity.dev_store import DevIdpStore, change
from ioc_core.identity.password_policy import TEMPORARY_DAYS
from ioc_core.shared.errors import Conflict, NotFound

STAFF = "staff"
FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"  # noqa: S105 - Cognito's status name
CONFIRMED = "CONFIRMED"
PASSWORD_ENV = "IOC_DEV_STAFF_PASSWORD"  # noqa: S105 - a variable name; fixes every demo staff password (browser tests)

# Demo staff: one account per role, one per unit that has work in the demo data, and the
# chair of Phan Thiết ward, who holds two roles (the ward's leader and its committee's staff).
DEMO_STAFF: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("dieuhanh", ("operator",), "Trực ban IOC"),
    ("lanhdao", ("leader",), "Lãnh đạo UBND"),
    ("quantri", ("admin",), "Quản trị hệ thống"),
    ("tinh", ("provincial",), "Hệ thống tỉnh Lâm Đồng"),
    ("qldt", ("unit_staff@QLDT",), "Phòng Quản lý đô thị"),
    ("cscc", ("unit_staff@CSCC",), "Công ty Chiếu sáng công cộng"),
    ("mtdt", ("unit_staff@MTDT",), "Công ty Môi trường đô thị"),
    ("ctn", ("unit_staff@CTN",), "Công ty Cấp thoát nước"),
    ("dien", ("unit_staff@DIEN",), "Điện lực Phan Thiết"),
    ("vhxh", ("unit_staff@VHXH",), "Phòng Văn hóa – Xã hội"),
    ("ttxd", ("unit_staff@TTXD",), "Thanh tra xây dựng"),
    ("ubnd-phanthiet", ("unit_staff@UBND_22945",), "UBND phường Phan Thiết"),
    ("ca-phanthiet", ("unit_staff@CA_22945",), "Công an phường Phan Thiết"),
    ("thongke", ("statistics_officer",), "Cán bộ thống kê"),
    ("tckh", ("unit_staff@TCKH",), "Phòng Tài chính – Kế hoạch"),
    ("tckh2", ("unit_staff@TCKH",), "Phòng Tài chính – Kế hoạch (kiểm soát)"),
    ("chutich-phanthiet", ("ward_leader@22945", "unit_staff@UBND_22945"), "Chủ tịch UBND phường Phan Thiết"),
)


@dataclass(frozen=True)
class DemoCredential:
    username: str
    groups: tuple[str, ...]  # the grants, as Cognito groups name them (unit_staff@CSCC)
    password: str
    totp_secret: str

    def line(self) -> str:
        return (
            f"[dev-idp] staff {self.username} ({', '.join(self.groups)}) password: {self.password}"
            f" totp secret: {self.totp_secret}"
        )


def enabled(user: dict[str, Any]) -> bool:
    return bool(user.get("enabled", True))


def status(user: dict[str, Any]) -> str:
    return str(user.get("status", CONFIRMED))


def sign_outs(user: dict[str, Any] | None) -> int:
    return int((user or {}).get("sign_outs", 0))


class DevStaffPool:
    """The accounts document: read whole, changed one account at a time, atomically."""

    def __init__(self, store: DevIdpStore, clock: Callable[[], float]) -> None:
        self.store, self.clock = store, clock

    def all(self) -> dict[str, Any]:
        return self.store.load(STAFF) or {}

    def get(self, username: str) -> dict[str, Any] | None:
        user: dict[str, Any] | None = self.all().get(username)
        return user

    def demo(self) -> list[DemoCredential]:
        """Create the demo accounts at first start; their credentials are returned only then."""
        if self.store.load(STAFF) is not None:
            return []
        fixed = os.environ.get(PASSWORD_ENV)
        credentials = [
            DemoCredential(name, groups, fixed or secrets.token_urlsafe(9), pyotp.random_base32())
            for name, groups, _ in DEMO_STAFF
        ]
        directory = {
            c.username: {
                "sub": f"staff-{c.username}",
                "groups": list(c.groups),
                "name": next(n for u, _, n in DEMO_STAFF if u == c.username),
                "password": hash_password(c.password),
                "totp_secret": c.totp_secret,
            }
            for c in credentials
        }
        return credentials if self.store.create(STAFF, directory) else []

    def update(self, username: str, edit: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """Change one account (404 for none); the account as written is returned."""

        def step(document: dict[str, Any] | None) -> dict[str, Any]:
            user = (document or {}).get(username)
            if user is None:
                raise NotFound(f"Không có tài khoản '{username}' / No staff account '{username}'.")
            return {**(document or {}), username: edit(dict(user))}

        written: dict[str, Any] = change(self.store, STAFF, step)[username]
        return written

    def create(
        self, username: str, name: str, temporary_password: str, email: str | None, phone: str | None
    ) -> None:
        """As Cognito's AdminCreateUser (MessageAction SUPPRESS): no authenticator yet, and the
        temporary password expires."""
        now = self.clock()

        def step(document: dict[str, Any] | None) -> dict[str, Any]:
            taken = document or {}
            if username in taken:
                raise Conflict(f"Tên đăng nhập '{username}' đã có / The username '{username}' is taken.")
            if email and any(u.get("email") == email for u in taken.values()):
                raise Conflict("Địa chỉ e-mail đã được dùng / Another account has this e-mail address.")
            user: dict[str, Any] = {
                "sub": f"staff-{secrets.token_hex(8)}",
                "groups": [],
                "name": name,
                "password": hash_password(temporary_password),
                "totp_secret": None,
                "status": FORCE_CHANGE_PASSWORD,
                "temporary_until": now + TEMPORARY_DAYS * 86_400,
                "enabled": True,
                "email": email,
                "phone": phone,
            }
            return {**taken, username: user}

        change(self.store, STAFF, step)

    def set_enabled(self, username: str, on: bool) -> None:
        """Disabling signs the account out everywhere: its refresh tokens stop working."""

        def edit(user: dict[str, Any]) -> dict[str, Any]:
            return {**user, "enabled": on, "sign_outs": sign_outs(user) + (0 if on else 1)}

        self.update(username, edit)

    def reset_mfa(self, username: str) -> None:
        self.update(username, lambda user: {**user, "totp_secret": None})

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        """As Cognito's AdminSetUserPassword (not permanent) with a global sign-out: the next
        sign-in must change it, within the days a new account's has; the authenticator stays."""
        until = self.clock() + TEMPORARY_DAYS * 86_400

        def edit(user: dict[str, Any]) -> dict[str, Any]:
            return {
                **user,
                "password": hash_password(temporary_password),
                "status": FORCE_CHANGE_PASSWORD,
                "temporary_until": until,
                "sign_outs": sign_outs(user) + 1,
            }

        self.update(username, edit)

    def change_groups(self, username: str, add: Iterable[str], remove: Iterable[str]) -> None:
        """What Cognito's AdminAdd/RemoveUserFromGroup do; the next token (a sign-in or a
        refresh) carries the groups."""

        def edit(user: dict[str, Any]) -> dict[str, Any]:
            return {**user, "groups": sorted((set(user["groups"]) | set(add)) - set(remove))}

        self.update(username, edit)

    def listing(self) -> list[dict[str, Any]]:
        """The accounts without their secrets (the administrator's list)."""
        return [
            {
                "username": name,
                "name": u["name"],
                "groups": sorted(u["groups"]),
                "enabled": enabled(u),
                "must_change_password": status(u) == FORCE_CHANGE_PASSWORD,
            }
            for name, u in sorted(self.all().items())
        ]
