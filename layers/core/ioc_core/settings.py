"""Runtime settings, read once per cold start from the environment.

Locally every value has a default that points at the embedded stack (moto on 127.0.0.1),
so ``ioc`` commands and tests need no extra environment. In Lambda the CDK stack sets them.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel

from ioc_core.platform.map_style import MapSettings

LOCAL_AWS_PORT = 4566
LOCAL_API_PORT = 8000


class Settings(BaseModel):
    stage: str = "local"
    region: str = "ap-southeast-1"
    # None in AWS; the moto server URL locally.
    aws_endpoint: str | None = None
    resource_prefix: str = "ioc-local"
    jurisdiction_id: str = "phanthiet.lamdong.gov.vn"
    public_base_url: str = f"http://127.0.0.1:{LOCAL_API_PORT}"
    # What the maps draw under the wards (locally; in AWS the published /map/config.json says).
    map: MapSettings = MapSettings()
    # Webhook subscriptions may deliver over plain http to a loopback address (development only).
    webhooks_allow_loopback: bool = False

    @property
    def is_local(self) -> bool:
        return self.aws_endpoint is not None

    def name(self, logical: str) -> str:
        """Physical name of a resource from its logical name, e.g. ``reports``."""
        return f"{self.resource_prefix}-{logical}"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def load_settings() -> Settings:
    in_lambda = "AWS_LAMBDA_FUNCTION_NAME" in os.environ
    default_endpoint = None if in_lambda else f"http://127.0.0.1:{LOCAL_AWS_PORT}"
    endpoint = os.environ.get("IOC_AWS_ENDPOINT", default_endpoint)
    stage = _env("IOC_STAGE", "local") or "local"
    return Settings(
        stage=stage,
        region=_env("AWS_REGION", _env("AWS_DEFAULT_REGION", "ap-southeast-1")) or "ap-southeast-1",
        aws_endpoint=endpoint or None,
        resource_prefix=_env("IOC_RESOURCE_PREFIX", f"ioc-{stage}") or f"ioc-{stage}",
        public_base_url=_env("IOC_PUBLIC_BASE_URL", f"http://127.0.0.1:{LOCAL_API_PORT}") or "",
        webhooks_allow_loopback=(_env("IOC_WEBHOOKS_ALLOW_LOOPBACK", "0" if in_lambda else "1") == "1"),
        map=MapSettings(
            style_url=_env("IOC_MAP_STYLE_URL"),
            pmtiles=_env("IOC_MAP_PMTILES"),
            glyphs_url=_env("IOC_MAP_GLYPHS_URL"),
            attribution=_env("IOC_MAP_ATTRIBUTION"),
            api_key=_env("IOC_MAP_API_KEY"),
        ),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = load_settings()
    if settings.is_local:
        # botocore needs credentials even for moto; never real ones locally.
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
        os.environ.setdefault("AWS_DEFAULT_REGION", settings.region)
    return settings
