"""The console: private bucket behind CloudFront with origin access control and security headers;
the public APIs are served from the same domain."""

from __future__ import annotations

import pytest
from infra_templates import Stage

from infra.stacks.console import path_pattern
from ioc_core.rooms import RESOURCES

pytestmark = pytest.mark.infra


def test_cloudfront_reads_the_console_bucket_through_origin_access_control(stage: Stage) -> None:
    ((_, _, distribution),) = stage.resources("AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    s3_origins = [o for o in config["Origins"] if "S3OriginConfig" in o]
    (origin,) = s3_origins
    assert origin["OriginAccessControlId"]
    assert origin["S3OriginConfig"].get("OriginAccessIdentity", "") == ""
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["Logging"]["Bucket"]
    (oac,) = stage.props("AWS::CloudFront::OriginAccessControl")
    assert oac["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    policies = [
        p["PolicyDocument"]
        for part, _, r in stage.resources("AWS::S3::BucketPolicy", "console")
        for p in [r["Properties"]]
    ]
    assert any(
        s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}
        and "AWS:SourceArn" in str(s.get("Condition"))
        for p in policies
        for s in p["Statement"]
    )


def test_every_response_carries_security_headers(stage: Stage) -> None:
    (policy,) = stage.props("AWS::CloudFront::ResponseHeadersPolicy")
    headers = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert "frame-ancestors 'none'" in headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    ((_, _, distribution),) = stage.resources("AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    for behaviour in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behaviour["ResponseHeadersPolicyId"], behaviour["TargetOriginId"]


def test_api_routes_pass_through_uncached_to_their_api(stage: Stage) -> None:
    ((_, _, distribution),) = stage.resources("AWS::CloudFront::Distribution")
    behaviours = {
        b["PathPattern"]: b for b in distribution["Properties"]["DistributionConfig"]["CacheBehaviors"]
    }
    for api in RESOURCES.apis:
        for prefix in api.routes_prefixes:
            behaviour = behaviours[path_pattern(prefix)]
            assert behaviour["ViewerProtocolPolicy"] == "https-only"
            assert behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
            assert "POST" in behaviour["AllowedMethods"]


def test_a_request_goes_to_the_api_that_owns_the_longest_matching_prefix(stage: Stage) -> None:
    """CloudFront takes the first matching behaviour: /api/v1/cameras/x must reach the cameras
    API, not the /api/v1/* behaviour of Field Reporting (the local gateway's longest prefix)."""
    from fnmatch import fnmatchcase

    ((_, _, distribution),) = stage.resources("AWS::CloudFront::Distribution")
    behaviours = distribution["Properties"]["DistributionConfig"]["CacheBehaviors"]
    for api in RESOURCES.apis:
        for prefix in api.routes_prefixes:
            probe = prefix + "json" if prefix.endswith(".") else prefix + "/x"
            first = next(b for b in behaviours if fnmatchcase(probe, b["PathPattern"]))
            assert first["PathPattern"] == path_pattern(prefix), (
                f"{probe} is served by {first['PathPattern']}"
            )


def test_the_root_opens_the_console_and_directories_serve_their_index(stage: Stage) -> None:
    (function,) = stage.props("AWS::CloudFront::Function", "console")
    code = function["FunctionCode"]
    assert '"/console/"' in code and 'index.html"' in code
    ((_, _, distribution),) = stage.resources("AWS::CloudFront::Distribution")
    (association,) = distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"][
        "FunctionAssociations"
    ]
    assert association["EventType"] == "viewer-request"
