"""The service catalogue (categories, units, SLAs) loaded from versioned data; the units are
named by the platform's unit directory (``platform/data/units.json``), the file lists codes."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, field_validator

from ioc_core.field_reporting.models import Group, ServiceDefinition, Unit
from ioc_core.platform.units import resolve_codes


class Catalogue(BaseModel):
    version: str
    units: list[Unit]
    groups: list[Group]
    services: list[ServiceDefinition]

    @field_validator("units", mode="before")
    @classmethod
    def _named_by_the_directory(cls, units: object) -> object:
        return resolve_codes(units)

    def service(self, code: str) -> ServiceDefinition | None:
        return self._by_code().get(code)

    def active_services(self) -> list[ServiceDefinition]:
        return [s for s in self.services if s.active]

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def _by_code(self) -> dict[str, ServiceDefinition]:
        return {s.service_code: s for s in self.services}


def load_catalogue(path: Path | None = None) -> Catalogue:
    if path is None:
        raw = resources.files("ioc_core.field_reporting").joinpath("data/services.json").read_text("utf-8")
    else:
        raw = path.read_text("utf-8")
    return Catalogue.model_validate(json.loads(raw))


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()
