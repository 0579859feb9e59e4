"""The user pools, in the data stack: staff (password + TOTP) and residents (phone + SMS code).

Two pools, because Cognito allows no required MFA in a pool whose users sign in without a
password. Built in the data stack's scope (their lifecycle is the data's: deleting a pool
deletes every account), from ``RESOURCES.user_pools``, with the one trigger function.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito

from infra.config import StageConfig
from infra.functions import Layers, PlainFunction, plain_function
from infra.nag import acknowledge
from infra.naming import Naming
from ioc_core.identity.password_policy import MIN_LENGTH, TEMPORARY_DAYS
from ioc_core.identity.principal import PROVINCIAL_SCOPE
from ioc_core.identity.staff import known_scopes, staff_groups
from ioc_core.platform.access import policy
from ioc_core.platform.resources import Resources

_OPERATIONS = {
    "pre_sign_up": cognito.UserPoolOperation.PRE_SIGN_UP,
    "pre_token_generation": cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
    "post_confirmation": cognito.UserPoolOperation.POST_CONFIRMATION,
}


def _construct_id(group: str) -> str:
    return "".join(part.capitalize() for part in group.replace("@", "_").replace("-", "_").split("_"))


class UserPools:
    def __init__(
        self, scope: Stack, stage: StageConfig, naming: Naming, resources: Resources, removal: RemovalPolicy
    ) -> None:
        self.scope, self.stage, self.naming, self.removal = scope, stage, naming, removal
        self.auth_client_ids: list[str] = []
        self.resident_client_ids: list[str] = []
        self._user_pools(resources)

    def _user_pools(self, resources: Resources) -> None:
        self.trigger_functions: dict[str, PlainFunction] = {}
        layers = Layers(self.scope)
        self.pools: dict[str, cognito.UserPool] = {}
        for definition in resources.user_pools:
            pool = self._staff_pool() if definition.kind == "staff" else self._resident_pool()
            if definition.function not in self.trigger_functions:
                self.trigger_functions[definition.function] = plain_function(
                    self.scope, definition, layers, self.naming, self.stage
                )
            function = self.trigger_functions[definition.function].function
            for trigger in definition.triggers:
                if trigger == "pre_token_generation":  # version 2: access-token claims
                    pool.add_trigger(_OPERATIONS[trigger], function, cognito.LambdaVersion.V2_0)
                else:
                    pool.add_trigger(_OPERATIONS[trigger], function)
            self.pools[definition.logical] = pool
        self.staff = self.pools["staff"]
        self.residents = self.pools["residents"]

    def _pool(self, construct_id: str, logical: str, **props: Any) -> cognito.UserPool:
        return cognito.UserPool(
            self.scope,
            construct_id,
            user_pool_name=self.naming.name(logical),
            password_policy=cognito.PasswordPolicy(
                min_length=MIN_LENGTH,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
                temp_password_validity=Duration.days(TEMPORARY_DAYS),
            ),
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=self.stage.deletion_protection,
            removal_policy=self.removal,
            **props,
        )

    def _staff_pool(self) -> cognito.UserPool:
        """City staff sign in to the console: no self sign-up, TOTP MFA required, threat protection.
        What an account holds are its groups, one per role and unit or ward (``unit_staff@CSCC``),
        all made here from the rooms' roles; the administrator's console adds and removes members.
        ``custom:unit`` is kept for accounts from before scoped groups (and Cognito cannot drop
        a custom attribute)."""
        pool = self._pool(
            "StaffUserPool",
            "staff",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            custom_attributes={"unit": cognito.StringAttribute(min_len=1, max_len=64, mutable=True)},
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
        )
        # The API answers the console's sign-in (password, then TOTP) for it.
        self.console_client = self._app_client(
            pool,
            "ConsoleClient",
            "console",
            cognito.AuthFlow(user_password=True, user_srp=True),
            Duration.hours(12),
        )
        # The province's monitoring center reads with its own credentials (client credentials).
        provincial = cognito.ResourceServerScope(
            scope_name=PROVINCIAL_SCOPE.split("/", 1)[1], scope_description="Read-only integration"
        )
        api = pool.add_resource_server(
            "IocResourceServer", identifier=PROVINCIAL_SCOPE.split("/", 1)[0], scopes=[provincial]
        )
        pool.add_domain(
            "StaffDomain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=f"{self.naming.prefix}-phanthiet"),
        )
        self.provincial_client = pool.add_client(
            "ProvincialClient",
            user_pool_client_name=self.naming.name("provincial"),
            generate_secret=True,
            auth_flows=cognito.AuthFlow(),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(client_credentials=True),
                scopes=[cognito.OAuthScope.resource_server(api, provincial)],
            ),
            access_token_validity=Duration.hours(1),
        )
        # The app clients whose tokens the APIs accept (the console's first).
        self.auth_client_ids = [
            self.console_client.user_pool_client_id,
            self.provincial_client.user_pool_client_id,
        ]
        for group in staff_groups(policy(), known_scopes()):
            cognito.CfnUserPoolGroup(
                self.scope,
                f"StaffGroup{_construct_id(group)}",
                user_pool_id=pool.user_pool_id,
                group_name=group,
            )
        CfnOutput(self.scope, "StaffUserPoolId", value=pool.user_pool_id)
        CfnOutput(self.scope, "ConsoleClientId", value=self.console_client.user_pool_client_id)
        return pool

    def _app_client(
        self,
        pool: cognito.UserPool,
        construct_id: str,
        logical: str,
        flows: cognito.AuthFlow,
        refresh: Duration,
    ) -> cognito.UserPoolClient:
        """A public app client (no secret: the API calls it for a browser). Users may change
        their own name and nothing else: never a unit (the API's scope) nor the phone (the
        resident's account). Refresh tokens rotate: each refresh answers a new one and the
        one presented stops working at once (no grace period), as the dev IdP's."""
        return pool.add_client(
            construct_id,
            user_pool_client_name=self.naming.name(logical),
            auth_flows=flows,
            disable_o_auth=True,
            generate_secret=False,
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            write_attributes=cognito.ClientAttributes().with_standard_attributes(fullname=True),
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=refresh,
            refresh_token_rotation_grace_period=Duration.seconds(0),
        )

    def _resident_pool(self) -> cognito.UserPool:
        """Residents sign up and in with their phone number and a code by SMS (no password).
        The pre sign-up trigger keeps SMS to Vietnamese mobiles; threat protection blocks abuse."""
        pool = self._pool(
            "ResidentUserPool",
            "residents",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(phone=True),
            auto_verify=cognito.AutoVerifiedAttrs(phone=True),
            keep_original=cognito.KeepOriginalAttrs(phone=True),
            standard_attributes=cognito.StandardAttributes(
                phone_number=cognito.StandardAttribute(required=True, mutable=False),
                fullname=cognito.StandardAttribute(required=False, mutable=True),
            ),
            sign_in_policy=cognito.SignInPolicy(
                allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(password=True, sms_otp=True)
            ),
            user_verification=cognito.UserVerificationConfig(
                sms_message="IOC Phan Thiet: ma xac nhan cua ban la {####}. Khong chia se ma nay."
            ),
            mfa=cognito.Mfa.OFF,
            account_recovery=cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
        )
        acknowledge(
            pool,
            "COG2",
            "Residents sign in without a password, by a one-time code sent by SMS to the phone "
            "number that is their account: the code is the possession factor. Cognito allows no "
            "required MFA in a pool with passwordless sign-in; staff are in their own pool, which "
            "requires TOTP.",
        )
        acknowledge(
            pool.node.find_child("smsRole"),
            "IAM5",
            "Cognito's SMS role (made by CDK, assumable only by Cognito with this pool's external "
            "id) publishes SMS to phone numbers, which have no ARN: sns:Publish needs Resource *.",
            "Resource::*",
        )
        self.resident_client = self._app_client(
            pool, "ResidentAppClient", "resident-app", cognito.AuthFlow(user=True), Duration.days(30)
        )
        self.resident_client_ids = [self.resident_client.user_pool_client_id]
        CfnOutput(self.scope, "ResidentUserPoolId", value=pool.user_pool_id)
        CfnOutput(self.scope, "ResidentAppClientId", value=self.resident_client.user_pool_client_id)
        return pool
