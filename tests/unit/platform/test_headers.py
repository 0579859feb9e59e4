"""Page and API headers are defined once: the local gateway's and CloudFront's differ only in
their origins (issue 10: the local CSP lacked base-uri and form-action)."""

from __future__ import annotations

import pytest

from ioc_core.local.gateway import SECURITY_HEADERS
from ioc_core.platform.headers import AWS_CSP, LOCAL_CSP, directives

pytestmark = pytest.mark.unit


def test_local_and_aws_policies_have_the_same_directives() -> None:
    local, aws = directives(LOCAL_CSP), directives(AWS_CSP)
    assert local.keys() == aws.keys()
    assert {"base-uri", "form-action", "object-src", "frame-ancestors", "script-src"} <= local.keys()
    for name in ("script-src", "style-src", "object-src", "base-uri", "form-action", "frame-ancestors"):
        assert local[name] == aws[name], name  # only where things may load from differs
    assert "unsafe-inline" not in local["script-src"]
    assert SECURITY_HEADERS["Content-Security-Policy"] == LOCAL_CSP
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"
