"""Intake use cases: accept a report from any channel, find it, list it."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from ioc_core.field_reporting import disclosure, events
from ioc_core.field_reporting.attributes import validate_attributes
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.listing import Listing, listed
from ioc_core.field_reporting.models import (
    HistoryEntry,
    Location,
    Page,
    Photo,
    Report,
    ReportDraft,
    Reporter,
    ReportStatus,
    ServiceDefinition,
)
from ioc_core.field_reporting.permissions import OWN_REPORTS
from ioc_core.field_reporting.ports import (
    IdempotencyClaim,
    IdempotencyConflict,
    PhotoStore,
    ReportQuery,
    ReportRepository,
)
from ioc_core.field_reporting.privacy import UnsupportedImage, public_type, sanitize
from ioc_core.field_reporting.routing import Router
from ioc_core.field_reporting.sla import HolidayCalendar, at_intake, default_calendar, projected_due
from ioc_core.identity.principal import Principal
from ioc_core.shared.clock import Clock
from ioc_core.shared.errors import Conflict, DomainError, NotFound, Problems, ValidationFailed
from ioc_core.shared.text import clean_text, nfc, normalize_vn_phone

MAX_DESCRIPTION = 4000
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}
UPLOAD_PREFIX = "uploads/"
PUBLIC_PREFIX = "public/"  # sanitized copies served to anyone
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


class WardLike(Protocol):
    code: str


class WardLocator(Protocol):
    def locate(self, lat: float, lon: float, on: date | None = None) -> WardLike | None: ...

    def find_named(self, text: str, on: date | None = None) -> WardLike | None: ...

    def representative_point(self, code: str) -> tuple[float, float] | None: ...


def new_report_id() -> str:
    """Short, readable over the phone: PT-XXXXXXXX (40 random bits)."""
    return "PT-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


def sniff_image(head: bytes) -> str | None:
    """The image type from magic bytes; the declared type is never trusted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "image/heic"
    return None


def fingerprint(draft: ReportDraft) -> str:
    canonical = json.dumps(draft.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    # NFC first: the same text typed on two keyboards is the same request.
    return hashlib.sha256(nfc(canonical).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    created: bool
    service: ServiceDefinition


class IntakeService:
    def __init__(
        self,
        repo: ReportRepository,
        photos: PhotoStore,
        wards: WardLocator,
        catalogue: Catalogue,
        clock: Clock,
        router: Router | None = None,
        calendar: HolidayCalendar | None = None,
        new_id: Callable[[], str] = new_report_id,
    ) -> None:
        self.repo = repo
        self.photos = photos
        self.wards = wards
        self.catalogue = catalogue
        self.clock = clock
        self.calendar = calendar or default_calendar()
        self.router = router
        self.new_id = new_id  # imports and the demo history number their reports themselves

    # -- intake ---------------------------------------------------------------
    def submit(
        self, draft: ReportDraft, idempotency_key: str | None = None, by: Principal | None = None
    ) -> SubmitResult:
        """Accept a report; a retry with the same key returns the first report.

        A resident signed in (``by``) owns what they submit: they follow, rate and withdraw it,
        and their verified phone stands in for one not typed. The key is claimed in the same
        transaction as the report, so the common case costs one write; only a retry (or a race
        between two) reads the claim back.
        """
        draft = owned_by(draft, by)
        claim = IdempotencyClaim(idempotency_key, fingerprint(draft)) if idempotency_key else None
        try:
            service = self._service(draft.service_code)
            report = self._build(draft, service)
        except DomainError:
            # A retry of a report accepted earlier is answered even if it would not pass now.
            replayed = self._replay(claim) if claim else None
            if replayed is None:
                raise
            return SubmitResult(replayed, created=False, service=self._known_service(replayed.service_code))
        try:
            self.repo.add(report, [events.submitted(report)], claim)
        except IdempotencyConflict as conflict:
            assert claim is not None
            replayed = self._replay(claim)
            if replayed is None:
                raise Conflict("The request with this Idempotency-Key is still being stored.") from conflict
            return SubmitResult(replayed, created=False, service=service)
        return SubmitResult(report, created=True, service=service)

    def prepare(self, draft: ReportDraft) -> Report:
        """Validate and build a report without storing it (imports, previews)."""
        return self._build(draft, self._service(draft.service_code))

    def _replay(self, claim: IdempotencyClaim) -> Report | None:
        found = self.repo.find_claim(claim.key)
        if found is None:
            return None
        report_id, stored_fingerprint = found
        if stored_fingerprint != claim.fingerprint:
            raise Conflict("This Idempotency-Key was already used for a different report.")
        return self.repo.get(report_id)

    def _known_service(self, code: str) -> ServiceDefinition:
        """A service, active or not: what an earlier report was filed under."""
        service = self.catalogue.service(code)
        if service is None:
            raise NotFound(f"Unknown service_code '{code}'.")
        return service

    def _service(self, code: str) -> ServiceDefinition:
        service = self.catalogue.service(code)
        if service is None or not service.active:
            raise NotFound(f"Unknown service_code '{code}'. GET services.json lists them.")
        return service

    def _build(self, draft: ReportDraft, service: ServiceDefinition) -> Report:
        problems = Problems()
        now = self.clock.now()
        location = self._locate(draft, now.date(), problems)
        attributes = validate_attributes(service, draft.attributes, problems)
        description = self._description(draft.description, problems)
        reporter = self._reporter(draft.reporter, problems)
        photos = self._photos(draft.photo_keys, problems)
        problems.raise_if_any()
        assert location is not None
        return Report(
            report_id=self.new_id(),
            token=f"TK-{uuid.uuid4().hex[:16]}" if service.type == "batch" else None,
            service_code=service.service_code,
            description=description,
            location=location,
            attributes=attributes,
            photos=photos,
            media_url=draft.media_url,
            reporter=reporter,
            channel=draft.channel,
            status=ReportStatus.RECEIVED,
            agency_responsible=service.unit,
            requested_at=now,
            updated_at=now,
            expected_at=projected_due(service, now, self.calendar),
            history=[HistoryEntry(at=now, status=ReportStatus.RECEIVED, actor=f"channel:{draft.channel}")],
            version=1,
            unit=self.router.route(service.service_code, location.ward_code) if self.router else None,
            sla=at_intake(service, now, self.calendar),
        )

    def _locate(self, draft: ReportDraft, day: date, problems: Problems) -> Location | None:
        address = clean_text(draft.address)[:500] if draft.address else None
        if (draft.lat is None) != (draft.lon is None):
            problems.add("lat" if draft.lat is None else "lon", "send both lat and lon, or neither")
            return None
        if draft.lat is not None and draft.lon is not None:
            if not (-90 <= draft.lat <= 90 and -180 <= draft.lon <= 180):
                problems.add("lat", "lat/lon are not WGS84 coordinates")
                return None
            ward = self.wards.locate(draft.lat, draft.lon, day)
            if ward is None:
                problems.add("lat", "the location is outside Phan Thiet's wards")
                return None
            return Location(lat=draft.lat, lon=draft.lon, address=address, ward_code=ward.code)
        if address:
            ward = self.wards.find_named(address, day)
            point = self.wards.representative_point(ward.code) if ward else None
            if ward is not None and point is not None:
                # No geocoder offline: the ward's representative point stands for the address.
                return Location(lat=point[0], lon=point[1], address=address, ward_code=ward.code)
            problems.add("address", "the address names no ward of Phan Thiet; send lat and lon")
            return None
        problems.add("lat", "a location is required: lat and lon, or an address naming the ward")
        return None

    @staticmethod
    def _description(raw: str | None, problems: Problems) -> str | None:
        if raw is None:
            return None
        text = clean_text(raw)
        if len(text) > MAX_DESCRIPTION:
            problems.add("description", f"at most {MAX_DESCRIPTION} characters")
        return text or None

    @staticmethod
    def _reporter(raw: Reporter, problems: Problems) -> Reporter:
        phone = None
        if raw.phone:
            phone = normalize_vn_phone(raw.phone)
            if phone is None:
                problems.add("reporter.phone", "not a Vietnamese mobile number (+84 or 0, then 9 digits)")
        email = raw.email.strip() if raw.email else None
        if email and ("@" not in email or len(email) > 254 or " " in email):
            problems.add("reporter.email", "not an email address")
        names = {
            k: clean_text(v)[:100] or None
            for k, v in (("first_name", raw.first_name), ("last_name", raw.last_name))
            if v
        }
        return Reporter(
            account_id=raw.account_id,
            phone=phone,
            email=email,
            device_id=clean_text(raw.device_id)[:200] if raw.device_id else None,
            **names,
        )

    def _photos(self, keys: list[str], problems: Problems) -> list[Photo]:
        if len(keys) > MAX_PHOTOS:
            problems.add("photo_keys", f"at most {MAX_PHOTOS} photos")
            return []
        photos = []
        for key in keys:
            stored = self.photos.stat(key) if key.startswith(UPLOAD_PREFIX) else None
            if stored is None:
                problems.add("photo_keys", f"no uploaded photo '{key}'; upload it first")
                continue
            kind = sniff_image(stored.head)
            if kind is None:
                problems.add("photo_keys", f"'{key}' is not a JPEG, PNG, WebP or HEIC image")
            elif stored.size > MAX_PHOTO_BYTES:
                problems.add("photo_keys", f"'{key}' is larger than {MAX_PHOTO_BYTES // 1048576} MB")
            else:
                photos.append(Photo(key=key, content_type=kind, size=stored.size))
        return photos

    # -- media ----------------------------------------------------------------
    def store_media(self, data: bytes) -> str:
        """Store a photo sent inline (Open311 multipart); returns its upload key."""
        kind = sniff_image(data[:32])
        if kind is None:
            raise ValidationFailed(
                "media is not an image", problems=[_problem("media", "send a JPEG, PNG, WebP or HEIC")]
            )
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationFailed("media is too large", problems=[_problem("media", "at most 8 MB")])
        # Named by content: a retried upload stores nothing new and the retry's fingerprint matches.
        key = f"{UPLOAD_PREFIX}{hashlib.sha256(data).hexdigest()[:32]}"
        if self.photos.stat(key) is None:
            self.photos.put(key, data, kind)
        return key

    def presign_photo(self, content_type: str) -> dict[str, object]:
        if content_type not in PHOTO_TYPES:
            raise ValidationFailed(
                "unsupported photo type",
                problems=[_problem("content_type", f"one of {sorted(PHOTO_TYPES)}")],
            )
        key = f"{UPLOAD_PREFIX}{uuid.uuid4().hex}"
        return {"key": key, **self.photos.presign_upload(key, content_type, MAX_PHOTO_BYTES)}

    def photo_url(self, key: str, *, report_id: str | None = None, access: str | None = None) -> str:
        """A photo's link: public with ``report_id`` (it answers only while that report is
        public, see ``disclosure``), or for one viewer with an ``access`` the API signed."""
        query = {"report": report_id} if report_id else {"access": access} if access else {}
        return f"{self.photos.public_url(key)}{'?' + urlencode(query) if query else ''}"

    def public_photo(self, photo_id: str, report_id: str) -> str | None:
        """The photo's public copy if ``report_id`` is public and shows it; None otherwise (no
        such report, not verified yet, rejected or withdrawn, or not one of its photos)."""
        report = self.repo.get(report_id)
        if report is None or f"{UPLOAD_PREFIX}{photo_id}" not in disclosure.public_photo_keys(report):
            return None
        return self.photo_copy(photo_id)

    def photo_copy(self, photo_id: str) -> str | None:
        """A short-lived URL of the photo's copy without location metadata (a HEIC re-encoded
        as JPEG), made once; None when there is no such image or it cannot be read. The caller
        has checked that whoever asks may see it."""
        public_key = f"{PUBLIC_PREFIX}{photo_id}"
        if self.photos.stat(public_key) is None:
            data = self.photos.read(f"{UPLOAD_PREFIX}{photo_id}")
            kind = sniff_image(data[:32]) if data else None
            if data is None or kind is None:
                return None
            try:
                clean = sanitize(data, kind)
            except UnsupportedImage:
                return None
            self.photos.put(public_key, clean, public_type(kind))
        return self.photos.download_url(public_key)

    # -- queries --------------------------------------------------------------
    def get(self, report_id: str) -> Report:
        report = find_report(self.repo, report_id)
        if report is None:
            raise NotFound(f"No report '{report_id}'.")
        return report

    def public_reports(
        self, days: int, limit: int, service_code: str | None = None, ward_code: str | None = None
    ) -> Page:
        """Recent reports anyone may see listed (the app's first page, its map): newest first,
        at most ``limit``, and how many there are in all (``total``). Rejected, withdrawn and
        merged reports stay out; what of each leaves is the presenter's (``public_item``)."""
        now = self.clock.now()
        query = ReportQuery(
            statuses=disclosure.LISTED_STATUSES,
            start=now - timedelta(days=days),
            end=now,
            service_codes=(service_code,) if service_code else (),
            ward_code=ward_code,
            limit=limit,
        )
        page = self.repo.query(query)
        items = [r for r in page.items if r.merged_into is None]
        return Page(items=items, total=self.repo.count(query))

    def by_token(self, token: str) -> Report:
        report = self.repo.find_by_token(token)
        if report is None:
            raise NotFound(f"No request for token '{token}'.")
        return report

    def search(self, query: ReportQuery) -> Page:
        return self.repo.query(query)

    def listing(self, listing: Listing) -> list[Report]:
        """Partners' listing (Open311 GET /requests): by ids, or a ≤ 90-day window, paged."""
        return listed(self.search, listing, self.clock.now())


def _problem(field: str, message: str) -> Any:
    from ioc_core.shared.errors import FieldProblem

    return FieldProblem(field, message)


def find_report(repo: ReportRepository, report_id: str) -> Report | None:
    """A report by its id as people type it: ids are upper case (``PT-DEMO0500``), so
    ``pt-demo0500`` read off a receipt finds the same report."""
    report = repo.get(report_id)
    if report is None and report_id != report_id.upper():
        report = repo.get(report_id.upper())
    return report


def owned_by(draft: ReportDraft, by: Principal | None) -> ReportDraft:
    """The draft as ``by`` submits it: only a signed-in resident owns a report. An account named
    in the draft itself (Open311's ``account_id``, the partner's own) makes no one an owner."""
    if by is None or not by.reach(OWN_REPORTS).own:
        if draft.reporter.account_id is None:
            return draft
        return draft.model_copy(update={"reporter": draft.reporter.model_copy(update={"account_id": None})})
    reporter = draft.reporter.model_copy(
        update={"account_id": by.sub, "phone": draft.reporter.phone or by.phone}
    )
    return draft.model_copy(update={"reporter": reporter})
