"""The console: S3 + CloudFront (origin access control, security headers), with the HTTP APIs
behind the same domain so the public base URL serves both."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge
from infra.naming import Naming, pascal
from infra.stacks.api import API_STAGE, ApiStack
from infra.stacks.basemap import add_basemap
from ioc_core.platform.headers import AWS_CONNECTS, AWS_IMAGES, content_security_policy
from ioc_core.platform.resources import Resources


def site_policy(stage: StageConfig) -> str:
    """The AWS twin of the local gateway's CSP (platform/headers.py), plus the basemap's hosts."""
    return content_security_policy(AWS_IMAGES, (*AWS_CONNECTS, *stage.map.origins))


# Viewer-request function on the static sites: "/" goes to the console, and a directory path
# gets its index.html, as the local gateway does.
INDEX_FUNCTION = """
function handler(event) {
  var request = event.request;
  if (request.uri === "/") {
    return {statusCode: 302, statusDescription: "Found", headers: {location: {value: "/console/"}}};
  }
  if (request.uri.endsWith("/")) {
    request.uri += "index.html";
  } else if (request.uri.lastIndexOf(".") < request.uri.lastIndexOf("/")) {
    request.uri += "/index.html";
  }
  return request;
}
"""


def path_pattern(prefix: str) -> str:
    """``/api/v1`` → ``/api/v1/*``; ``/discovery.`` → ``/discovery.*``."""
    return f"{prefix}*" if prefix.endswith(("/", ".")) else f"{prefix}/*"


class ConsoleStack(Stack):
    def __init__(
        self,
        scope: Construct,
        stage: StageConfig,
        naming: Naming,
        resources: Resources,
        apis: list[ApiStack],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, naming.stack("console"), stack_name=naming.stack("console"), **kwargs)
        removal = RemovalPolicy.RETAIN if stage.removal_policy == "retain" else RemovalPolicy.DESTROY
        self.logs = s3.Bucket(
            self,
            "CdnLogsBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            # CloudFront standard logs are delivered with an ACL grant to the log delivery account.
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(stage.access_log_retention_days))],
            removal_policy=removal,
        )
        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(730),
                    include_subdomains=True,
                    preload=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
                xss_protection=cloudfront.ResponseHeadersXSSProtection(
                    protection=True, mode_block=True, override=True
                ),
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=site_policy(stage), override=True
                ),
            ),
        )
        self.sites: dict[str, s3.Bucket] = {}
        for bucket in (b for b in resources.buckets if b.site):
            self.sites[bucket.logical] = s3.Bucket(
                self,
                f"{pascal(bucket.logical)}Bucket",
                bucket_name=naming.name(bucket.logical),
                # Static files anyone may read through the CDN; SSE-KMS would need the CDN in the key policy.
                encryption=s3.BucketEncryption.S3_MANAGED,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                versioned=True,  # a bad upload rolls back
                lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=Duration.days(30))],
                server_access_logs_bucket=self.logs,
                server_access_logs_prefix=f"s3/{bucket.logical}/",
                removal_policy=removal,
            )
        site = self.sites.get("console") or next(iter(self.sites.values()))
        api_behaviours: dict[str, cloudfront.BehaviorOptions] = {}
        # CloudFront takes the first behaviour whose pattern matches, in order: the most specific
        # prefix first (/api/v1/cameras/* before /api/v1/*), as the local gateway's longest prefix.
        by_prefix = sorted(
            ((prefix, api) for api in apis for prefix in api.api.routes_prefixes), key=lambda pa: -len(pa[0])
        )
        api_origins = {
            api.api.name: origins.HttpOrigin(
                api.api_domain,
                origin_path=f"/{API_STAGE}",
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            )
            for api in apis
        }
        for prefix, api in by_prefix:
            api_behaviours[path_pattern(prefix)] = cloudfront.BehaviorOptions(
                origin=api_origins[api.api.name],
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                response_headers_policy=headers,
            )
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", stage.certificate_arn)
            if stage.certificate_arn
            else None
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Phan Thiet IOC {stage.name}: console and public APIs",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(site),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                        function=cloudfront.Function(
                            self,
                            "IndexFunction",
                            code=cloudfront.FunctionCode.from_inline(INDEX_FUNCTION),
                            runtime=cloudfront.FunctionRuntime.JS_2_0,
                            comment="/ → /console/; directories → index.html",
                        ),
                    )
                ],
            ),
            # CloudFront takes the first pattern that matches: the longest (most specific) first.
            additional_behaviors=dict(sorted(api_behaviours.items(), key=lambda item: -len(item[0]))),
            domain_names=list(stage.domain_names) or None,
            certificate=certificate,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,
            enable_logging=True,
            log_bucket=self.logs,
            log_file_prefix="cdn/",
        )
        acknowledge(
            self.distribution,
            "CFR1",
            "A public civic service: residents, visitors to Mui Ne and Open311 partners reach it "
            "from anywhere; abuse is limited by the API's WAF rate rules, not by country.",
        )
        acknowledge(
            self.distribution,
            "CFR2",
            "The API paths are protected by the regional WAF on the API stage (rate limits and AWS "
            "managed rules); the console is static files. A CLOUDFRONT-scope web ACL must live in "
            "us-east-1 and would double the WAF cost for no extra coverage.",
        )
        if not certificate:
            acknowledge(
                self.distribution,
                "CFR4",
                "This stage has no domain name yet and uses the *.cloudfront.net certificate, whose "
                "minimum TLS version CloudFront fixes; a stage with domain_names and certificate_arn "
                "gets TLSv1.2_2021.",
            )
        add_basemap(self, stage, naming, self.distribution)
        CfnOutput(self, "ConsoleUrl", value=f"https://{self.distribution.distribution_domain_name}")
        CfnOutput(self, "ConsoleBucketName", value=site.bucket_name)
        CfnOutput(self, "DistributionId", value=self.distribution.distribution_id)
