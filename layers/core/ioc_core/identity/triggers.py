"""The Cognito user pools' Lambda triggers (functions/identity/cognito_triggers), in one place.

Pre sign-up: the residents' pool app client is public (the app calls it), so anyone could
sign up any number through Cognito directly and make the city pay for SMS abroad; only
Vietnamese mobile numbers may sign up, whatever called Cognito.

Post confirmation: a confirmed number becomes a resident account (``identity.account.registered``), as
the dev IdP registers one at a resident's first sign-in.

Pre token generation: Cognito's access tokens hold ``sub``, ``username``, groups and scopes
but no user attributes; the APIs authorize on access tokens and need the unit of a unit's
staff and the verified phone of a resident. The trigger (event version 2) adds them in AWS,
and the local dev IdP calls ``access_token_additions`` with the same attribute map, so both
paths put the same claims on the token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from ioc_core.identity.principal import UNIT_CLAIM
from ioc_core.shared.text import normalize_vn_phone

# Attributes copied to the access token as they are (the ID token has them already).
COPIED = (UNIT_CLAIM, "name")


def access_token_additions(attributes: Mapping[str, Any]) -> dict[str, str]:
    """Claims to add to the access token from a user's attributes (Cognito's string values).

    The phone number is only added when verified, and only in the canonical +84 form: an
    unverified number must never identify a resident's reports."""
    claims = {name: str(attributes[name]) for name in COPIED if attributes.get(name)}
    verified = str(attributes.get("phone_number_verified", "")).lower() == "true"
    phone = normalize_vn_phone(str(attributes.get("phone_number") or ""))
    if verified and phone:
        claims["phone_number"] = phone
    return claims


def pre_token_generation(event: dict[str, Any]) -> dict[str, Any]:
    """Cognito's pre token generation trigger, version 2 (``TokenGeneration_*``): answers the
    event with the claims to add to the access token; the ID token is left as Cognito makes it."""
    request = event.get("request") or {}
    additions = access_token_additions(request.get("userAttributes") or {})
    response = event.setdefault("response", {})
    response["claimsAndScopeOverrideDetails"] = {
        "accessTokenGeneration": {"claimsToAddOrOverride": additions},
    }
    return event


class SignUpRefused(Exception):
    """Raised from a trigger, Cognito refuses the sign-up (``UserLambdaValidationException``)."""


def pre_sign_up(event: dict[str, Any]) -> dict[str, Any]:
    """Cognito's pre sign-up trigger: only a Vietnamese mobile number, in its +84 form, may sign
    up (the pool signs in by phone number, so Cognito keeps one account per number)."""
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    phone = normalize_vn_phone(str(attributes.get("phone_number") or ""))
    if phone is None or phone != attributes.get("phone_number"):
        raise SignUpRefused("Chỉ số di động Việt Nam / Only a Vietnamese mobile number (+84…) may sign up.")
    return event


class ResidentAccounts(Protocol):
    def register(self, account_id: str, phone: str, at: datetime) -> bool:
        """Register a resident once (False when already registered), with its event."""


def post_confirmation(
    event: dict[str, Any], accounts: ResidentAccounts, now: Callable[[], datetime]
) -> dict[str, Any]:
    """Cognito's post confirmation trigger: a confirmed number becomes a resident account under
    Cognito's ``sub`` (what the tokens name), emitting ``identity.account.registered`` as the local dev
    IdP does. Cognito may call it again: registering is idempotent."""
    if event.get("triggerSource") == "PostConfirmation_ConfirmSignUp":
        attributes = (event.get("request") or {}).get("userAttributes") or {}
        phone = normalize_vn_phone(str(attributes.get("phone_number") or ""))
        if attributes.get("sub") and phone:
            accounts.register(str(attributes["sub"]), phone, now())
    return event  # PostConfirmation_ConfirmForgotPassword: nothing new


def handle(
    event: dict[str, Any],
    accounts: Callable[[], ResidentAccounts],
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> dict[str, Any]:
    """Route one trigger event by its source; a trigger this code does not know fails loudly.
    ``accounts`` is made only for the trigger that writes (the others touch no table)."""
    source = str(event.get("triggerSource") or "")
    if source.startswith("TokenGeneration_"):
        return pre_token_generation(event)
    if source.startswith("PreSignUp_"):
        return pre_sign_up(event)
    if source.startswith("PostConfirmation_"):
        return post_confirmation(event, accounts(), now)
    raise ValueError(f"no handler for Cognito trigger {source!r}")
