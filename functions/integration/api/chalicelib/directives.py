"""/api/v1/integration/directives: verify, store, acknowledge; the task follows by event."""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.integration.directives_api import DirectiveReceipt
from ioc_core.integration.wiring import directive_service
from ioc_core.platform.api import http
from ioc_core.platform.api.openapi import MAX_BODY_BYTES
from ioc_core.shared import errors

bp = Blueprint(__name__)
MEDIA_TYPES = ("application/cloudevents+json", "application/json")


@bp.route("", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def receive_directive() -> Response:
    request = http.current_request()
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise errors.UnsupportedMediaType(
            f"Hãy gửi application/cloudevents+json / Send application/cloudevents+json, not {media_type!r}."
        )
    body = request.raw_body
    raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if len(raw) > MAX_BODY_BYTES:
        raise errors.PayloadTooLarge(f"Nội dung tối đa / The body may have at most {MAX_BODY_BYTES} bytes.")
    headers = {k.lower(): str(v) for k, v in request.headers.items()}
    receipt = directive_service().receive(raw, headers)
    return http.reply(DirectiveReceipt(status=receipt.status, directive_id=receipt.directive_id), status=202)
