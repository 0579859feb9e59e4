"""What every /api/v1 blueprint shares: reading a JSON body or query into a wire model,
replying with one, and turning errors into RFC 9457 problem+json.

``bp`` has no routes; ``app.py`` registers it so these helpers can read the current request
without each blueprint handing theirs in.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from ioc_core.field_reporting.mobile import openapi
from ioc_core.field_reporting.workflow_service import StaleVersion
from ioc_core.identity.errors import Unauthenticated
from ioc_core.shared import errors, problems
from ioc_core.shared.errors import DomainError, FieldProblem

bp = Blueprint(__name__)
logger = Logger(service="ioc-field-reporting-api")

# Chalice answers a content type missing from a route's list with its own 415 body; "*/*" lets
# every request through, so ``json_object`` answers 415 as problem+json.
ANY_BODY = ["*/*"]

Model = TypeVar("Model", bound=BaseModel)


# -- errors -----------------------------------------------------------------------------------


def problem_response(error: DomainError) -> Response:
    """A domain error as problem+json; a 409 carries the current version and the caller's
    allowed actions, a 401 the challenge."""
    document = problems.from_domain_error(error)
    headers: dict[str, str] = {}
    if isinstance(error, StaleVersion):
        document["current_version"] = error.current_version
        document["allowed_actions"] = error.allowed_actions
        headers["ETag"] = f'"{error.current_version}"'
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="ioc"'
    return _problem(document, headers)


def problem_json(view: Callable[..., Response]) -> Callable[..., Response]:
    """The one place a view's errors become responses: domain errors by their status, anything
    else is logged and becomes a 500 problem (bad input never gets that far)."""

    @functools.wraps(view)
    def handle(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return problem_response(error)
        except Exception:
            request = bp.current_request
            logger.exception("unhandled error", extra={"method": request.method, "path": request.path})
            return _problem(problems.internal_error())

    return handle


def _problem(document: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=problems.to_json(document),
        status_code=document["status"],
        headers={"Content-Type": problems.PROBLEM_MEDIA_TYPE, **(headers or {})},
    )


# -- replies ----------------------------------------------------------------------------------


def reply(
    model: BaseModel,
    status: int = 200,
    headers: dict[str, str] | None = None,
    media_type: str = openapi.JSON,
) -> Response:
    return Response(
        body=model.model_dump_json(),
        status_code=status,
        headers={"Content-Type": media_type, **(headers or {})},
    )


# -- requests ---------------------------------------------------------------------------------


def json_object() -> dict[str, Any]:
    """The body as a JSON object: 415 for another media type, 413 past the size limit, 400 for
    anything but UTF-8 JSON holding an object."""
    request = bp.current_request
    media_type = (request.headers.get("content-type") or openapi.JSON).split(";")[0].strip().lower()
    if media_type != openapi.JSON:
        sent = media_type or "an empty type"
        raise errors.UnsupportedMediaType(f"Hãy gửi application/json / Send application/json, not {sent!r}.")
    body = request.raw_body
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > openapi.MAX_BODY_BYTES:
        raise errors.PayloadTooLarge(
            f"Nội dung tối đa {openapi.MAX_BODY_BYTES // 1024} KB"
            f" / The body may have at most {openapi.MAX_BODY_BYTES} bytes."
        )
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise errors.MalformedBody(
            "Nội dung không phải JSON hợp lệ / The body is not valid UTF-8 JSON.",
            problems=[FieldProblem("body", str(error)[:200])],
        ) from error
    if not isinstance(data, dict):
        raise errors.MalformedBody(
            "Nội dung phải là một đối tượng JSON / The body must be a JSON object.",
            problems=[FieldProblem("body", f"a JSON object, not {type(data).__name__}")],
        )
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def parse(model: type[Model], data: Any) -> Model:
    """``data`` as ``model``, or a 422 naming every field that is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise problems.invalid_fields(error) from error


def body(model: type[Model]) -> Model:
    return parse(model, json_object())


def query(model: type[Model]) -> Model:
    return parse(model, dict(bp.current_request.query_params or {}))
