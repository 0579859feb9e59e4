"""The security headers of every page and API reply, defined once: the local gateway sends
them, and the CloudFront response-headers policy (infra/stacks/console.py) is built from them.
Only the origins differ: loopback ports locally, HTTPS and AWS endpoints in AWS."""

from __future__ import annotations

from collections.abc import Sequence


def content_security_policy(images: Sequence[str], connects: Sequence[str]) -> str:
    """The console talks to its own origin and the storage it uploads to; styles may be inline,
    scripts may not; no plugins, no other base, no form posted elsewhere, never framed."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            " ".join(("img-src 'self' data: blob:", *images)),
            " ".join(("connect-src 'self'", *connects)),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


LOCAL_CSP = content_security_policy(
    ("http://127.0.0.1:*", "http://localhost:*"), ("http://127.0.0.1:*", "http://localhost:*")
)
# Amazon Location's map styles, tiles and fonts are under *.amazonaws.com too.
AWS_IMAGES, AWS_CONNECTS = ("https:",), ("https://*.amazonaws.com",)
AWS_CSP = content_security_policy(AWS_IMAGES, AWS_CONNECTS)
# Every reply, pages and APIs alike (CloudFront adds these to both; HSTS only over HTTPS).
REPLY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}
