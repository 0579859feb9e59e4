"""Sign-in under /api/v1/auth: identity's own API.

Answered by the identity provider of the place the API runs: in AWS Cognito's two pools
(residents by phone and an SMS code, staff by password and TOTP); locally the dev IdP, which
issues tokens with Cognito's claims (the resident's one-time code is printed to the console
log) and serves its JWKS. Who the caller is (``/api/v1/me``) each room's API answers.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.identity import api_v1, schemas
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.ports import StaffChallenge, Tokens
from ioc_core.identity.wiring import dev_idp, identity_config, identity_provider
from ioc_core.platform.api import http
from ioc_core.shared.errors import NotFound

bp = Blueprint(__name__)


def _dev_provider() -> DevIdentityProvider:
    """Only the dev IdP serves keys here; Cognito publishes its own under the pool's issuer."""
    provider = dev_idp()
    if provider is None:
        raise NotFound(
            "Khóa do Cognito công bố / Cognito publishes the keys at <issuer>/.well-known/jwks.json."
        )
    return provider


def _tokens(tokens: Tokens) -> Response:
    return http.reply(
        schemas.TokenSet(
            access_token=tokens.access_token,
            id_token=tokens.id_token,
            refresh_token=tokens.refresh_token,
            token_type="Bearer",  # noqa: S106 - the OAuth token type
            expires_in=tokens.expires_in,
        ),
        headers={"Cache-Control": "no-store"},
    )


@bp.route("/otp/start", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def start_phone_sign_in() -> Response:
    body = http.body(schemas.OtpStart)
    sent = identity_provider().start_phone_sign_in(body.phone)
    started = schemas.OtpStarted(
        phone=sent.phone, expires_in=sent.expires_in, delivery=sent.delivery, session=sent.session
    )
    return http.reply(started, 202, headers={"Cache-Control": "no-store"})


@bp.route("/otp/verify", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def verify_phone_sign_in() -> Response:
    body = http.body(schemas.OtpVerify)
    return _tokens(identity_provider().verify_phone_code(body.phone, body.code, body.session))


def _challenge(challenge: StaffChallenge) -> Response:
    """The next step; an authenticator's secret is for this caller only (never cached)."""
    return http.reply(
        schemas.StaffChallenge(
            challenge=challenge.challenge,
            session=challenge.session,
            expires_in=challenge.expires_in,
            secret_code=challenge.secret_code,
            otpauth_uri=challenge.otpauth_uri,
        ),
        headers={"Cache-Control": "no-store"},
    )


@bp.route("/staff/sign-in", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def staff_sign_in() -> Response:
    body = http.body(schemas.StaffSignIn)
    return _challenge(identity_provider().staff_sign_in(body.username, body.password))


@bp.route("/staff/new-password", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def staff_new_password() -> Response:
    body = http.body(schemas.NewPasswordAnswer)
    return _challenge(identity_provider().answer_new_password(body.session, body.new_password))


@bp.route("/staff/mfa-setup", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def staff_mfa_setup() -> Response:
    body = http.body(schemas.MfaAnswer)
    return _tokens(identity_provider().verify_mfa_setup(body.session, body.code))


@bp.route("/staff/mfa", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def staff_mfa() -> Response:
    body = http.body(schemas.MfaAnswer)
    return _tokens(identity_provider().answer_mfa(body.session, body.code))


@bp.route("/refresh", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def refresh_tokens() -> Response:
    body = http.body(schemas.RefreshRequest)
    return _tokens(identity_provider().refresh(body.refresh_token))


@bp.route("/.well-known/jwks.json", methods=["GET"])
@http.problem_json
def jwks() -> Response:
    return http.reply(schemas.Jwks.model_validate(_dev_provider().jwks()))


@bp.route("/.well-known/openid-configuration", methods=["GET"])
@http.problem_json
def openid_configuration() -> Response:
    _dev_provider()
    issuer = identity_config().issuer
    return http.reply(
        schemas.OpenIdConfiguration(
            issuer=issuer,
            jwks_uri=f"{issuer}/.well-known/jwks.json",
            id_token_signing_alg_values_supported=["RS256"],
            response_types_supported=["token"],
            subject_types_supported=["public"],
            claims_supported=["sub", "cognito:groups", "custom:unit", "phone_number", "name", "token_use"],
        )
    )


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    return Response(body=api_v1.document(), headers={"Content-Type": "application/json"})
