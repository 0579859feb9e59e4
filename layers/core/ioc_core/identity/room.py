"""Identity: who calls. Resident accounts, the Cognito user pools (staff; residents) and
their trigger function; locally the development identity provider plays both pools."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.identity import events, permissions
from ioc_core.platform.resources import HttpApi, Index, Key, Resources, Table, UserPool
from ioc_core.platform.rooms import Cached, Label, Room

if TYPE_CHECKING:
    from pynamodb.models import Model


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.identity.accounts import AccountItem

    return ((AccountItem, "accounts"),)


def _caches() -> Iterable[Cached]:
    from ioc_core.identity import wiring

    return wiring.CACHED


ROOM = Room(
    name="identity",
    title=Label("Định danh", "Identity"),
    resources=Resources(
        tables=(Table("accounts", Key("account_id"), indexes=(Index("by_phone", Key("phone")),)),),
        apis=(
            # Sign-in: Cognito's pools through their public app clients in AWS (no IAM grant
            # needed); locally the dev IdP, its keys in the local Secrets Manager.
            HttpApi(
                name="identity-api",
                source_dir="identity/api",
                routes_prefixes=("/api/v1/auth",),
                layers=("core", "identity"),
                reads=("accounts",),
                # audit: a grant changes the identity provider's directory, so its entry is
                # written directly (ioc_core.identity.staff), not through the outbox.
                writes=("accounts", "outbox", "audit"),
                # The administrator's roles console: the staff pool's users and their groups.
                administers=("staff",),
            ),
        ),
        user_pools=(
            # Staff: username, password and TOTP; the unit travels on the access token.
            UserPool(logical="staff", kind="staff"),
            # Residents: phone number and an SMS code; only Vietnamese mobiles may sign up; a
            # confirmed number becomes a resident account (its event goes through the outbox).
            UserPool(
                logical="residents",
                kind="resident",
                triggers=("pre_sign_up", "pre_token_generation", "post_confirmation"),
                writes=("accounts", "outbox"),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    emits=events.EMITS,
    banner=(("Sign-in (dev IdP)", "/api/v1/auth/.well-known/openid-configuration"),),
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
)
