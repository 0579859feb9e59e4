"""Domain objects → mobile API replies. No I/O: lookups come in as arguments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from ioc_core.admin_units.models import AdminUnit, LocalizedName, WardBoundary
from ioc_core.field_reporting import disclosure
from ioc_core.field_reporting.api_v1 import schemas
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import (
    STATUS_LABELS,
    AttributeDefinition,
    Report,
    ServiceDefinition,
    Text,
)
from ioc_core.shared.clock import iso

# The domain's field names (``ReportDraft``'s) → this API's.
_FIELD_NAMES: Mapping[str, str] = {
    "lon": "long",
    "reporter.phone": "contact.phone",
    "reporter.email": "contact.email",
    "reporter.first_name": "contact.first_name",
    "reporter.last_name": "contact.last_name",
    "photo_keys": "photos",
    "media": "photos",
}
STATS_KEYS = tuple(schemas.StatsView.model_fields)


class Wards(Protocol):
    def get(self, code: str, on: date | None = None) -> AdminUnit: ...

    def active_on(self, day: date) -> list[AdminUnit]: ...

    def legacy_units_of(self, code: str, on: date | None = None) -> list[AdminUnit]: ...


def field_name(domain_field: str) -> str:
    """``reporter.phone`` → ``contact.phone``, ``lon`` → ``long`` (``attributes.x`` stays)."""
    return _FIELD_NAMES.get(domain_field, domain_field)


def _names(text: Text | LocalizedName) -> schemas.Names:
    return schemas.Names(vi=text.vi, en=text.en)


# -- reports ----------------------------------------------------------------------------------


def upload_ticket(presigned: Mapping[str, Any]) -> schemas.UploadTicket:
    return schemas.UploadTicket.model_validate(
        {k: presigned[k] for k in ("key", "url", "fields", "expires_in", "max_bytes")}
    )


def tracking_view(
    report: Report,
    service: ServiceDefinition | None,
    wards: Wards,
    photo_url: Callable[[str], str],
    *,
    submitted: bool = False,
) -> schemas.TrackingView:
    """The public view of a report: the reporter, contact and staff ids are left out, only
    status changes and public notes are told, personal data in free text is masked, and photos
    show once the report is public. ``submitted``: the reply to the submission itself, whose
    sender uploaded the photos (``photo_url`` gives them that sender's links)."""
    shown = {p.key for p in report.photos} if submitted else disclosure.public_photo_keys(report)
    service_name = service.name if service else Text(vi=report.service_code, en=report.service_code)
    closed_at = report.closed_at
    return schemas.TrackingView(
        id=report.report_id,
        service=schemas.ServiceRef(code=report.service_code, name=_names(service_name)),
        status=schemas.StatusView(
            code=report.status,
            label=_names(STATUS_LABELS[report.status]),
            state=report.status.open311,
        ),
        description=disclosure.mask_personal(report.description),
        ward=ward_ref(wards, report.location.ward_code, report.requested_at.date()),
        lat=report.location.lat,
        long=report.location.lon,
        requested_datetime=iso(report.requested_at),
        updated_datetime=iso(report.updated_at),
        expected_datetime=iso(report.expected_at) if report.expected_at else None,
        closed_datetime=iso(closed_at) if closed_at else None,
        photos=[photo_url(photo.key) for photo in report.photos if photo.key in shown],
        after_photos=[photo_url(photo.key) for photo in report.after_photos if photo.key in shown],
        history=[
            schemas.HistoryItem(
                status=entry.status,
                label=_names(STATUS_LABELS[entry.status]),
                at=iso(entry.at),
                note=disclosure.public_note(entry),
            )
            for entry in disclosure.status_steps(report)
        ],
        rating=schemas.RatingView(score=report.rating.score) if report.rating else None,
    )


def public_item(report: Report, service: ServiceDefinition | None, wards: Wards) -> schemas.PublicReportItem:
    """A line of the public list (and a marker of its map): masked words, cut short."""
    text = disclosure.mask_personal(report.description)
    if text and len(text) > schemas.PUBLIC_SUMMARY:
        text = text[: schemas.PUBLIC_SUMMARY - 1].rstrip() + "…"
    name = service.name if service else Text(vi=report.service_code, en=report.service_code)
    return schemas.PublicReportItem(
        id=report.report_id,
        service=schemas.ServiceRef(code=report.service_code, name=_names(name)),
        status=schemas.StatusView(
            code=report.status, label=_names(STATUS_LABELS[report.status]), state=report.status.open311
        ),
        ward=ward_ref(wards, report.location.ward_code, report.requested_at.date()),
        lat=report.location.lat,
        long=report.location.lon,
        requested_datetime=iso(report.requested_at),
        updated_datetime=iso(report.updated_at),
        description=text,
    )


def ward_ref(wards: Wards, code: str, on: date) -> schemas.WardRef:
    """The ward as it was named on the report's day (codes are reused across versions)."""
    try:
        unit = wards.get(code, on)
    except KeyError:
        try:
            unit = wards.get(code)
        except KeyError:
            return schemas.WardRef(code=code, name=schemas.Names(vi=code, en=code))
    return schemas.WardRef(code=code, name=_names(unit.name))


# -- catalogue and wards ----------------------------------------------------------------------


def categories_view(catalogue: Catalogue, lang: schemas.Lang) -> schemas.CategoriesView:
    active = catalogue.active_services()
    groups = []
    for group in catalogue.groups:
        services = [_category(s, lang) for s in active if s.group == group.code]
        if services:
            groups.append(schemas.GroupView(code=group.code, name=group.name.get(lang), services=services))
    return schemas.CategoriesView(version=catalogue.version, lang=lang, groups=groups)


def _category(service: ServiceDefinition, lang: schemas.Lang) -> schemas.CategoryView:
    return schemas.CategoryView(
        code=service.service_code,
        name=service.name.get(lang),
        description=service.description.get(lang),
        notice=service.notice.get(lang) if service.notice else None,
        keywords=list(service.keywords),
        sla_hours=schemas.SlaHours(verify=service.sla.verify_hours, resolve=service.sla.resolve_hours),
        attributes=[_attribute(a, lang) for a in sorted(service.attributes, key=lambda a: a.order)],
    )


def _attribute(definition: AttributeDefinition, lang: schemas.Lang) -> schemas.AttributeView:
    return schemas.AttributeView(
        code=definition.code,
        datatype=definition.datatype,
        variable=definition.variable,
        required=definition.required,
        order=definition.order,
        description=definition.description.get(lang),
        values=[schemas.AttributeOptionView(key=v.key, name=v.name.get(lang)) for v in definition.values],
    )


def wards_view(wards: Wards, on: date) -> schemas.WardsView:
    return schemas.WardsView(
        on=on,
        wards=[
            schemas.WardView(
                code=unit.code,
                name=_names(unit.name),
                level=unit.level,
                legacy=[
                    schemas.LegacyUnitView(
                        code=old.code,
                        name=_names(old.name),
                        valid_from=old.valid_from,
                        valid_to=old.valid_to,
                    )
                    for old in wards.legacy_units_of(unit.code, on)
                ],
            )
            for unit in wards.active_on(on)
        ],
    )


def boundaries_view(
    wards: Wards, boundaries: tuple[WardBoundary, ...], on: date
) -> schemas.BoundaryCollection:
    """The boundaries of the units in force ``on``, as GeoJSON (the console map draws them)."""
    features = []
    for boundary in boundaries:
        try:
            unit = wards.get(boundary.code, boundary.valid_on)
        except KeyError:
            continue
        if not unit.active_on(on):
            continue
        polygons = [[list(ring) for ring in polygon] for polygon in boundary.polygons]
        geometry: dict[str, Any] = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": unit.code,
                    "name_vi": unit.name.vi,
                    "name_en": unit.name.en,
                    "approximate": boundary.approximate,
                },
                "geometry": geometry,
            }
        )
    return schemas.BoundaryCollection.model_validate({"type": "FeatureCollection", "features": features})


# -- statistics -------------------------------------------------------------------------------


def stats_view(figures: Mapping[str, Any]) -> schemas.StatsView:
    """The published figures, without the per-status breakdown."""
    return schemas.StatsView.model_validate({key: figures[key] for key in STATS_KEYS})
