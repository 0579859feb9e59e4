"""/api/v1/integration routes."""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.integration import api_v1, contract
from ioc_core.platform.api import http

bp = Blueprint(__name__)


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    return Response(body=api_v1.document(), headers={"Content-Type": "application/json"})


# -- the event contract: public, cacheable -----------------------------------------------------


def _published(document: contract.Document, media_type: str = "application/json") -> Response:
    headers = {"ETag": document.etag, "Cache-Control": contract.CACHE_CONTROL}
    if document.fresh_for(http.header("if-none-match")):
        return Response(body="", status_code=304, headers=headers)
    return Response(body=document.body, headers={"Content-Type": media_type, **headers})


@bp.route("/schemas", methods=["GET"])
@http.problem_json
def list_event_schemas() -> Response:
    return _published(contract.listing_document())


@bp.route("/schemas/{event_type}/{version}", methods=["GET"])
@http.problem_json
def get_event_schema(event_type: str, version: str) -> Response:
    return _published(contract.schema_document(event_type, version), "application/schema+json")


@bp.route("/asyncapi.json", methods=["GET"])
@http.problem_json
def events_asyncapi() -> Response:
    return _published(contract.asyncapi_document())
