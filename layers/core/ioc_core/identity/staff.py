"""The administrator's staff directory: who holds which roles, for which unit or ward.

The directory itself is the identity provider's (Cognito's staff pool in AWS, the dev IdP
locally): a grant is a group membership (``unit_staff@CSCC``), so a token carries exactly what
the directory holds. This service checks a change against the rooms' policy before it is made:
known roles a staff account may hold, a unit or ward for exactly the roles that need one, and
never an administrator taking away the last administrator's role.

An administrator also creates accounts (with a temporary password the new person changes at
the first sign-in, where they enrol an authenticator too), disables and enables them, and
resets an account's authenticator; never their own account, nor the last administrator's. A
forgotten or expired temporary password is replaced by a new one (shown once, as at creation),
which signs the account out everywhere; its authenticator stays.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol

from ioc_core.identity.password_policy import TEMPORARY_DAYS, temporary_password
from ioc_core.platform import audit_context
from ioc_core.platform.access import Grant, Policy
from ioc_core.platform.audit.models import Target, direct_entry
from ioc_core.platform.audit.service import AuditLog
from ioc_core.platform.rooms import Label
from ioc_core.shared.errors import Conflict, FieldProblem, NotFound, ValidationFailed

log = logging.getLogger("ioc.identity.staff")
ADMIN = "admin"
MAX_GRANTS = 20
_YOURSELF = {
    "disable": "Không thể tự vô hiệu hóa tài khoản của mình / You cannot disable your own account;"
    " ask another administrator.",
    "reset": "Không thể tự đặt lại ứng dụng xác thực của mình / You cannot reset your own"
    " authenticator; ask another administrator.",
    "password": "Không thể tự cấp mật khẩu tạm cho mình / You cannot give your own account a"
    " temporary password; ask another administrator.",
}
GRANTS_CHANGED = "identity.staff.grants_changed"  # an audit entry, not an event: it names the account
CREATED, DISABLED, ENABLED, MFA_RESET, PASSWORD_RESET = (
    f"identity.staff.{what}" for what in ("created", "disabled", "enabled", "mfa_reset", "password_reset")
)
_ENTRY_IDS = uuid.UUID("6f1d3c52-7a0e-4a39-9b1e-2f3c8d1e5a77")


@dataclass(frozen=True)
class StaffAccount:
    username: str
    name: str
    grants: frozenset[Grant]
    enabled: bool = True
    # Created with a temporary password that has not been changed yet (Cognito's FORCE_CHANGE_PASSWORD).
    must_change_password: bool = False


@dataclass(frozen=True)
class GroupMember:
    """One account of a group, as the directory lists a group (no other grants read)."""

    username: str
    name: str
    enabled: bool


@dataclass(frozen=True)
class NewStaff:
    username: str
    name: str
    email: str | None = None
    phone: str | None = None  # +84…


@dataclass(frozen=True)
class CreatedStaff:
    account: StaffAccount
    temporary_password: str  # shown to the administrator once; never kept by this service
    valid_days: int = TEMPORARY_DAYS


class StaffDirectory(Protocol):
    """The staff accounts of the identity provider, with their groups."""

    def accounts(self) -> list[StaffAccount]: ...

    def account(self, username: str) -> StaffAccount | None: ...

    def members(self, group: str) -> list[GroupMember]:
        """The accounts in one group (a unit's staff: ``unit_staff@CSCC``), disabled ones too."""

    def replace_groups(self, username: str, add: Iterable[str], remove: Iterable[str]) -> None:
        """Add and remove group memberships (the groups exist: the stack creates them)."""

    def create(self, account: NewStaff, temporary_password: str) -> None:
        """A new account that must change ``temporary_password`` and enrol an authenticator at
        its first sign-in; Conflict when the username (or its e-mail) is taken."""

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Disable (no sign-in, and every refresh token of the account revoked) or enable."""

    def reset_mfa(self, username: str) -> None:
        """Forget the account's authenticator: its next sign-in enrols a new one."""

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        """Replace the account's password by ``temporary_password``, which it must change at its
        next sign-in (valid as a new account's is), and sign it out everywhere (its refresh
        tokens stop working); its authenticator and groups stay."""


@dataclass(frozen=True)
class Scopes:
    """What a unit or ward role can be scoped to: the rooms' units and the wards in force."""

    units: Mapping[str, Label]
    wards: Mapping[str, Label]

    def names(self, kind: str) -> Mapping[str, Label]:
        return self.units if kind == "unit" else self.wards if kind == "ward" else {}


@lru_cache(maxsize=1)
def known_scopes() -> Scopes:
    """The units the rooms route work to and the wards in force today (read once: the rooms'
    data files and the ward registry, not on every request)."""
    from ioc_core import rooms
    from ioc_core.admin_units.registry import default_registry, today_in_vietnam

    units = {code: name for room in rooms.ROOMS for code, name in room.units()}
    wards = {w.code: Label(w.name.vi, w.name.en) for w in default_registry().active_on(today_in_vietnam())}
    return Scopes(units, wards)


def staff_groups(policy: Policy, scopes: Scopes) -> list[str]:
    """Every group a staff account can be in: each city-wide staff role, and each unit or ward
    role once per unit or ward (the stack creates them; the directory only adds members)."""
    groups: list[str] = []
    for role in policy.roles.values():
        if role.pool != "staff":
            continue
        if role.scoped:
            groups += [Grant(role.name, code).group for code in sorted(scopes.names(role.scope))]
        else:
            groups.append(role.name)
    return groups


@dataclass
class StaffAdministration:
    directory: StaffDirectory
    policy: Policy
    scopes: Scopes
    audit: AuditLog | None = None  # None: tests of the rules alone

    def accounts(self) -> list[StaffAccount]:
        return sorted(self.directory.accounts(), key=lambda a: a.username)

    def set_grants(self, username: str, grants: Iterable[Grant], by: str) -> StaffAccount:
        """Make ``grants`` exactly what the account holds; the next token it gets carries them."""
        wanted = frozenset(grants)
        self._check(wanted)
        account = self._existing(username)
        if ADMIN in {g.role for g in account.grants} - {g.role for g in wanted}:
            self._keep_an_administrator(account)
        current = {g.group for g in account.grants}
        target = {g.group for g in wanted}
        added, removed = sorted(target - current), sorted(current - target)
        if not added and not removed:
            return account  # nothing changes, nothing to audit (a retried PUT lands here)
        self.directory.replace_groups(username, added, removed)
        log.warning(
            "staff grants changed", extra={"username": username, "by": by, "added": added, "removed": removed}
        )
        self._audit(username, added, removed)
        return replace(account, grants=wanted)

    def create(self, account: NewStaff, grants: Iterable[Grant], by: str) -> CreatedStaff:
        """A new account holding ``grants``, with a temporary password for the administrator
        to hand over (the identity provider sends nothing: see the adapters)."""
        wanted = frozenset(grants)
        self._check(wanted)
        if self.directory.account(account.username) is not None:
            raise Conflict(
                f"Tên đăng nhập '{account.username}' đã có / The username '{account.username}' is taken."
            )
        password = temporary_password()
        self.directory.create(account, password)
        if wanted:
            self.directory.replace_groups(account.username, sorted(g.group for g in wanted), [])
        log.warning("staff account created", extra={"username": account.username, "by": by})
        self._record(
            CREATED, account.username,
            Label(f"Tạo tài khoản cán bộ {account.username}", f"Staff account {account.username} created"),
            sorted(g.group for g in wanted),
        )  # fmt: skip
        created = StaffAccount(account.username, account.name, wanted, must_change_password=True)
        return CreatedStaff(created, password)

    def disable(self, username: str, by: str) -> StaffAccount:
        """No more sign-ins, and its refresh tokens stop working at once; an access token it
        already holds is verified offline and lasts until it expires (an hour at most)."""
        account = self._may_lock(username, by, "disable")
        self.directory.set_enabled(username, False)
        log.warning("staff account disabled", extra={"username": username, "by": by})
        self._record(DISABLED, username, Label(f"Vô hiệu hóa {username}", f"{username} disabled"), [])
        return replace(account, enabled=False)

    def enable(self, username: str, by: str) -> StaffAccount:
        account = self._existing(username)
        self.directory.set_enabled(username, True)
        log.warning("staff account enabled", extra={"username": username, "by": by})
        self._record(ENABLED, username, Label(f"Kích hoạt lại {username}", f"{username} enabled"), [])
        return replace(account, enabled=True)

    def reset_mfa(self, username: str, by: str) -> StaffAccount:
        """The account's authenticator is forgotten: its next sign-in, after the password,
        enrols a new one (a lost or replaced phone)."""
        account = self._may_lock(username, by, "reset")
        self.directory.reset_mfa(username)
        log.warning("staff authenticator reset", extra={"username": username, "by": by})
        self._record(
            MFA_RESET, username,
            Label(f"Đặt lại ứng dụng xác thực của {username}", f"{username}'s authenticator reset"), [],
        )  # fmt: skip
        return account

    def reset_password(self, username: str, by: str) -> CreatedStaff:
        """A new temporary password for an account whose holder lost or never used theirs,
        shown to the administrator once, as at creation. A disabled account is enabled first
        (a password it cannot use would read as done); never one's own account."""
        account = self._existing(username)
        if username == by:
            raise Conflict(_YOURSELF["password"])
        if not account.enabled:
            raise Conflict(
                f"Tài khoản '{username}' đang bị vô hiệu hóa: kích hoạt lại trước / The account"
                f" '{username}' is disabled: enable it first."
            )
        password = temporary_password()
        self.directory.set_temporary_password(username, password)
        log.warning("staff temporary password issued", extra={"username": username, "by": by})
        self._record(
            PASSWORD_RESET, username,
            Label(f"Cấp mật khẩu tạm mới cho {username}", f"New temporary password for {username}"), [],
        )  # fmt: skip
        return CreatedStaff(replace(account, must_change_password=True), password)

    def _existing(self, username: str) -> StaffAccount:
        account = self.directory.account(username)
        if account is None:
            raise NotFound(f"Không có tài khoản '{username}' / No staff account '{username}'.")
        return account

    def _may_lock(self, username: str, by: str, action: str) -> StaffAccount:
        """An administrator never locks themselves out, nor the city out of its last administrator."""
        account = self._existing(username)
        if username == by:
            raise Conflict(_YOURSELF[action])
        if Grant(ADMIN) in account.grants and account.enabled:
            self._keep_an_administrator(account)
        return account

    def _keep_an_administrator(self, account: StaffAccount) -> None:
        others = [a for a in self.directory.accounts() if a.username != account.username and a.enabled]
        if not any(Grant(ADMIN) in a.grants for a in others):
            raise Conflict(
                "Phải còn ít nhất một quản trị viên / The city must keep at least one administrator:"
                " grant the role to someone else first."
            )

    def _audit(self, username: str, added: list[str], removed: list[str]) -> None:
        changes = " ".join([*(f"+{g}" for g in added), *(f"−{g}" for g in removed)])
        summary = Label(f"Đổi vai trò của {username}: {changes}", f"Roles of {username} changed: {changes}")
        self._record(GRANTS_CHANGED, username, summary, [added, removed])

    def _record(self, action: str, username: str, summary: Label, detail: Sequence[object]) -> None:
        """The directory is the identity provider's, outside DynamoDB: no transaction can hold
        the change and its outbox item, so the entry is written right after it (the one dual
        write of the audit log). Its id is derived from the change, so writing it again is a no-op."""
        if self.audit is None:
            return
        at = datetime.now(UTC)
        context = audit_context.current()
        change = json.dumps([action, username, list(detail), context.actor, at.isoformat()])
        target = Target(room="identity", kind="staff", id=username)
        entry = direct_entry(str(uuid.uuid5(_ENTRY_IDS, change)), action, target, summary, at, context)
        for attempt in (1, 2):
            try:
                self.audit.record([entry])
                return
            except Exception:
                log.exception(
                    "audit entry not written", extra={"attempt": attempt, "entry": entry.model_dump_json()}
                )

    def _check(self, grants: frozenset[Grant]) -> None:
        problems: list[FieldProblem] = []
        if len(grants) > MAX_GRANTS:
            problems.append(FieldProblem("grants", f"at most {MAX_GRANTS} roles per account"))
        for i, grant in enumerate(sorted(grants)):
            role = self.policy.roles.get(grant.role)
            where = f"grants[{i}]"
            if role is None or role.pool != "staff":
                known = ", ".join(r.name for r in self.policy.roles.values() if r.pool == "staff")
                problems.append(
                    FieldProblem(f"{where}.role", f"'{grant.role}' is not a staff role; roles: {known}")
                )
            elif role.scoped and grant.scope not in self.scopes.names(role.scope):
                problems.append(
                    FieldProblem(
                        f"{where}.scope", f"'{grant.role}' needs a {role.scope}: '{grant.scope}' is not one"
                    )
                )
            elif not role.scoped and grant.scope is not None:
                problems.append(FieldProblem(f"{where}.scope", f"'{grant.role}' is city-wide: send no scope"))
        if problems:
            raise ValidationFailed("Vai trò không hợp lệ / Some roles cannot be granted.", problems=problems)


def grants_of(groups: Iterable[str], policy: Policy) -> frozenset[Grant]:
    """The grants a directory's groups carry (groups of no role are left out)."""
    return frozenset(g for g in (policy.grant(name) for name in groups) if g is not None)
