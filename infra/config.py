"""Stage configuration as data: infra/stages/<stage>.json, validated once at synth."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

STAGES_DIR = Path(__file__).resolve().parent / "stages"

# The retention periods CloudWatch Logs accepts.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FunctionDefaults(_Data):
    memory_mb: int = Field(default=512, ge=128, le=10240)
    timeout_seconds: int = Field(default=30, ge=1, le=900)


class ApiConfig(_Data):
    memory_mb: int = Field(default=1024, ge=128, le=10240)
    # API Gateway stops waiting after 29 s.
    timeout_seconds: int = Field(default=29, ge=1, le=29)
    # None leaves the function in the account's unreserved pool (new accounts have only 10).
    reserved_concurrency: int | None = Field(default=None, ge=1)
    throttle_rate_per_second: float = Field(gt=0)
    throttle_burst: int = Field(gt=0)
    # WAF rate-based rule: requests per client IP per 5 minutes.
    waf_requests_per_5_minutes: int = Field(ge=10)


class AlarmConfig(_Data):
    email: str | None = None
    period_minutes: int = Field(default=5, ge=1)
    function_errors: int = Field(default=1, ge=1)
    function_throttles: int = Field(default=1, ge=1)
    dlq_messages: int = Field(default=1, ge=1)
    iterator_age_seconds: int = Field(default=600, ge=1)
    api_5xx: int = Field(default=5, ge=1)


class MapStage(_Data):
    """What the stage's maps draw under the wards (published as /map/config.json)."""

    # amazon_location: the stack creates a map and a browser API key for it; style or pmtiles:
    # any host's style document or PMTiles archive; none: the plain ward background.
    provider: Literal["amazon_location", "style", "pmtiles", "none"] = "none"
    # An Amazon Location map style (VectorEsriStreets, VectorHereExplore, VectorGrabStandardLight...).
    amazon_style: str = Field(default="VectorOpenDataStandardLight", pattern=r"^[A-Za-z]+$")
    style_url: HttpUrl | None = None
    pmtiles_url: HttpUrl | None = None
    # Fonts for a PMTiles basemap's street names, e.g. https://host/fonts/{fontstack}/{range}.pbf
    glyphs_url: str | None = Field(default=None, pattern=r"^https://")
    attribution: str | None = None
    # Further origins a style's tiles, sprites or fonts come from (the page's CSP connect-src).
    connect_origins: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _source_given(self) -> MapStage:
        if self.provider == "style" and not self.style_url:
            raise ValueError("map.provider 'style' needs map.style_url")
        if self.provider == "pmtiles" and not self.pmtiles_url:
            raise ValueError("map.provider 'pmtiles' needs map.pmtiles_url")
        return self

    @property
    def origins(self) -> tuple[str, ...]:
        """The https origins the browser fetches the basemap from, beyond the page's own."""
        urls = [str(self.style_url or ""), str(self.pmtiles_url or ""), self.glyphs_url or ""]
        found = [urlsplit(u).scheme + "://" + urlsplit(u).netloc for u in urls if u]
        return tuple(dict.fromkeys((*found, *self.connect_origins)))


class StageConfig(_Data):
    name: str = Field(pattern=r"^[a-z][a-z0-9]{1,9}$")
    region: str = "ap-southeast-1"
    # None: the account of the credentials `cdk deploy` runs with.
    account: str | None = Field(default=None, pattern=r"^\d{12}$")
    # Physical names are "<prefix>-<logical>"; "{account}" keeps bucket names globally unique.
    resource_prefix: str = Field(pattern=r"^[a-z0-9-]*(\{account\})?[a-z0-9-]*$")
    # Where residents and Open311 clients reach the system (CloudFront serves console and APIs).
    public_base_url: HttpUrl
    # Alternate domain names of the distribution; they need an ACM certificate in us-east-1.
    domain_names: tuple[str, ...] = ()
    certificate_arn: str | None = None
    removal_policy: Literal["destroy", "retain"]
    deletion_protection: bool
    log_retention_days: int
    access_log_retention_days: int = Field(ge=1)
    dlq_retention_days: int = Field(default=14, ge=1, le=14)
    functions: FunctionDefaults = FunctionDefaults()
    api: ApiConfig
    alarms: AlarmConfig = AlarmConfig()
    map: MapStage = MapStage()

    @model_validator(mode="after")
    def _consistent(self) -> StageConfig:
        if self.log_retention_days not in LOG_RETENTION_DAYS:
            raise ValueError(f"log_retention_days must be one of {LOG_RETENTION_DAYS}")
        if bool(self.domain_names) != bool(self.certificate_arn):
            raise ValueError("domain_names and certificate_arn go together")
        return self

    @property
    def base_url(self) -> str:
        return str(self.public_base_url).rstrip("/")


def load_stage(name: str, directory: Path = STAGES_DIR) -> StageConfig:
    path = directory / f"{name}.json"
    if not path.is_file():
        known = sorted(p.stem for p in directory.glob("*.json"))
        raise SystemExit(f"no stage {name!r}: expected {path} (known: {', '.join(known)})")
    stage = StageConfig.model_validate_json(path.read_text(encoding="utf-8"))
    if stage.name != name:
        raise SystemExit(f"{path} names stage {stage.name!r}")
    return stage


def known_stages(directory: Path = STAGES_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.json"))
