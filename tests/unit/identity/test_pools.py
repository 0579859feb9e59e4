"""Two pools in AWS: a token is verified by its own issuer's keys and grants what that pool may."""

from __future__ import annotations

import time

import pytest

from ioc_core.identity.adapters import InMemoryDevIdpStore
from ioc_core.identity.config import IdentityConfig, load_identity_config
from ioc_core.identity.dev_idp import DevIdentityProvider
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.verifier import CallableJwks, PoolVerifiers, TokenVerifier
from ioc_core.settings import Settings

pytestmark = pytest.mark.unit
STAFF = "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Staff"
RESIDENTS = "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Residents"


class _Residents:
    def find_or_register(self, phone: str) -> tuple[str, str | None]:
        return "AC-1", None


def _pool(issuer: str, client: str) -> DevIdentityProvider:
    """A key pair and an issuer standing in for one Cognito pool."""
    return DevIdentityProvider(
        IdentityConfig(issuer, (client,), None, False), InMemoryDevIdpStore(), _Residents()
    )


@pytest.fixture
def pools() -> tuple[DevIdentityProvider, DevIdentityProvider, PoolVerifiers]:
    staff, residents = _pool(STAFF, "console"), _pool(RESIDENTS, "resident-app")
    verifiers = PoolVerifiers(
        [
            TokenVerifier(STAFF, ("console", "provincial"), CallableJwks(staff.jwks), kind="staff"),
            TokenVerifier(RESIDENTS, ("resident-app",), CallableJwks(residents.jwks), kind="resident"),
        ]
    )
    return staff, residents, verifiers


def test_each_pool_grants_only_its_own_roles(
    pools: tuple[DevIdentityProvider, DevIdentityProvider, PoolVerifiers],
) -> None:
    staff, residents, verifiers = pools
    operator = verifiers.principal(f"Bearer {staff.issue('s-1', 'dieuhanh', ['operator']).access_token}")
    assert operator is not None and operator.roles == {"operator"}
    # A group added to a resident by mistake grants nothing: the residents' pool makes residents.
    resident = verifiers.principal(f"Bearer {residents.issue('r-1', '+84912345678', ['admin']).access_token}")
    assert resident is not None and resident.roles == {"resident"}
    # A staff account in no group (just created) can do nothing, and is not a resident either.
    nobody = verifiers.principal(f"Bearer {staff.issue('s-2', 'moi', []).access_token}")
    assert nobody is not None and nobody.roles == frozenset()
    # A staff token cannot claim the resident group to read a resident's reports.
    claimed = verifiers.principal(f"Bearer {staff.issue('s-3', 'x', ['resident']).access_token}")
    assert claimed is not None and claimed.roles == frozenset()


def test_a_token_signed_by_one_pool_in_the_name_of_the_other_is_refused(
    pools: tuple[DevIdentityProvider, DevIdentityProvider, PoolVerifiers],
) -> None:
    _, residents, verifiers = pools
    now = int(time.time())
    forged = residents._sign(
        {
            "sub": "r",
            "iss": STAFF,
            "iat": now,
            "exp": now + 60,
            "token_use": "access",
            "client_id": "console",
            "cognito:groups": ["admin"],
            "username": "r",
        }
    )
    with pytest.raises(Unauthenticated, match="unknown key"):
        verifiers.principal(f"Bearer {forged}")
    stranger = _pool("https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Other", "console")
    with pytest.raises(Unauthenticated, match="does not use"):
        verifiers.principal(f"Bearer {stranger.issue('x', 'x', ['admin']).access_token}")
    with pytest.raises(Unauthenticated, match="not a JWT"):
        verifiers.principal("Bearer not-a-token")


def test_the_stack_environment_names_both_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_AUTH_ISSUER", STAFF + "/")
    monkeypatch.setenv("IOC_AUTH_CLIENT_IDS", "console, provincial")
    monkeypatch.setenv("IOC_AUTH_RESIDENT_ISSUER", RESIDENTS)
    monkeypatch.setenv("IOC_AUTH_RESIDENT_CLIENT_IDS", "resident-app")
    config = load_identity_config(Settings(stage="dev"))
    assert not config.dev_idp
    assert [(p.issuer, p.client_ids, p.kind) for p in config.pools] == [
        (STAFF, ("console", "provincial"), "staff"),
        (RESIDENTS, ("resident-app",), "resident"),
    ]
    assert config.residents is not None and config.residents.jwks_url == RESIDENTS + "/.well-known/jwks.json"
    assert config.staff.region == "ap-southeast-1"
    monkeypatch.delenv("IOC_AUTH_RESIDENT_CLIENT_IDS")
    with pytest.raises(RuntimeError, match="RESIDENT_CLIENT_IDS"):
        load_identity_config(Settings(stage="dev"))


def test_in_aws_the_sign_in_routes_are_answered_by_cognito(monkeypatch: pytest.MonkeyPatch) -> None:
    from ioc_core.identity import wiring
    from ioc_core.identity.cognito import CognitoIdentityProvider
    from ioc_core.identity.config import PoolConfig

    config = IdentityConfig(
        STAFF, ("console", "provincial"), STAFF + "/.well-known/jwks.json", False,
        PoolConfig(RESIDENTS, ("resident-app",), RESIDENTS + "/.well-known/jwks.json", "resident"),
    )  # fmt: skip
    monkeypatch.setattr(wiring, "identity_config", lambda: config)
    monkeypatch.setattr(wiring, "dev_idp", lambda: None)
    # Credentials of our own: without them botocore asks the EC2 instance metadata service.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "unit")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "unit")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    wiring.identity_provider.cache_clear()
    try:
        provider = wiring.identity_provider()
        assert isinstance(provider, CognitoIdentityProvider)
        assert (provider.staff_client_id, provider.resident_client_id) == ("console", "resident-app")
        assert provider.client.meta.region_name == "ap-southeast-1"
    finally:
        wiring.identity_provider.cache_clear()
