"""The console: private bucket behind CloudFront with origin access control and security headers;
the public APIs are served from the same domain."""

from __future__ import annotations

import pytest
from infra_templates import Stage

from infra.config import MapStage, load_stage
from infra.stacks.basemap import MAP_ACTIONS
from infra.stacks.console import path_pattern, site_policy
from ioc_core.platform.headers import directives
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


def test_the_stage_map_is_an_amazon_location_map_with_a_browser_key_for_it_alone(stage: Stage) -> None:
    """Issue 11: the key reads this map's style, tiles, sprites and fonts, from this stage's pages."""
    ((_, map_logical, basemap),) = stage.resources("AWS::Location::Map", "console")
    assert basemap["Properties"]["Configuration"]["Style"] == stage.config.map.amazon_style
    assert stage.render(basemap["Properties"]["MapName"]) == stage.name("basemap")
    (key,) = stage.props("AWS::Location::APIKey", "console")
    restrictions = key["Restrictions"]
    assert sorted(restrictions["AllowActions"]) == sorted(MAP_ACTIONS)
    assert all(
        action.startswith("geo:GetMap") and "*" not in action for action in restrictions["AllowActions"]
    )
    assert [stage.render(r) for r in restrictions["AllowResources"]] == [f"<{map_logical}.Arn>"]
    referers = [stage.render(r) for r in restrictions["AllowReferers"]]
    ((_, distribution, _),) = stage.resources("AWS::CloudFront::Distribution", "console")
    assert referers[0] == f"https://<{distribution}.DomainName>/*"
    assert f"{stage.config.base_url}/*" in referers
    assert all(r.startswith("https://") and r.endswith("/*") and r.count("*") == 1 for r in referers)
    outputs = stage.templates["console"]["Outputs"]
    assert stage.render(outputs["MapStyleUrl"]["Value"]).endswith(
        f"/maps/{stage.name('basemap')}/style-descriptor"
    )


def test_no_role_may_use_amazon_location(stage: Stage) -> None:
    """The browser key is the only grant: publish reads its value with the deployer's credentials."""
    for kind in ("AWS::IAM::Policy", "AWS::IAM::Role"):
        for _, logical, resource in stage.resources(kind):
            assert "geo:" not in str(resource["Properties"]), logical


def test_the_csp_lets_the_pages_reach_the_basemap_and_no_other_host() -> None:
    plain = directives(site_policy(load_stage("dev")))["connect-src"]
    assert plain == "connect-src 'self' https://*.amazonaws.com"
    hosted = load_stage("dev").model_copy(
        update={
            "map": MapStage(provider="pmtiles", pmtiles_url="https://tiles.example.org/phan-thiet.pmtiles")
        }
    )
    assert directives(site_policy(hosted))["connect-src"].endswith(" https://tiles.example.org")
