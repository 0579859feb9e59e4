"""The Chalice side of the API kit, the same for every app of the IOC.

``install(app, table)`` puts one middleware in front of every route: it remembers the request
(so these helpers read it without a blueprint of their own: several apps share a process
locally), and for every route the table governs it authenticates the caller and checks the
route's permission, failing closed: a route under the table's prefix that the table does not name
serves nobody. The view then reads the checked caller with ``principal()`` and ``acting_role()``.

Requests: ``body(Model)`` (JSON object only: 415 for another media type, 413 past the limit,
400 for bad JSON), ``query(Model)``, ``parse``. Replies: ``reply(model)``. Errors: a view
wrapped in ``problem_json`` turns a domain error into RFC 9457 problem+json by its status and
anything else into a logged 500 problem, never a traceback.

The kit also answers a method a route of the table does not take with a 405 and its ``Allow``
(before anyone is authenticated), seals and opens page cursors (``cursor``, ``next_cursor``)
and reads and writes versions (``expected_version``, ``required_version``, ``etag``).
"""

from __future__ import annotations

import contextvars
import functools
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ValidationError

from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.principal import ANONYMOUS, RESIDENT, Principal
from ioc_core.platform import audit_context
from ioc_core.platform.access import policy
from ioc_core.platform.api import cursor_key
from ioc_core.platform.api.openapi import ETAG, MAX_BODY_BYTES
from ioc_core.platform.api.routes import JSON, Access, RouteTable
from ioc_core.shared import errors, problems
from ioc_core.shared.errors import (
    DomainError,
    FieldProblem,
    Forbidden,
    MethodNotAllowed,
    PreconditionRequired,
)

if TYPE_CHECKING:
    from chalice import Chalice, Response
    from chalice.app import Request

logger = Logger(service="ioc-api")
# Chalice answers a content type missing from a route's list with its own 415 body; "*/*" lets
# every request through, so ``json_object`` answers 415 as problem+json.
ANY_BODY = ["*/*"]
CHALLENGE = 'Bearer realm="ioc"'

Model = TypeVar("Model", bound=BaseModel)
_request: contextvars.ContextVar[Request | None] = contextvars.ContextVar("ioc_request", default=None)
# The checked caller, the role acting and the permission of the route.
_caller: contextvars.ContextVar[tuple[Principal, str | None, str | None]] = contextvars.ContextVar(
    "ioc_caller", default=(ANONYMOUS, None, None)
)


# -- the middleware -----------------------------------------------------------------------------


Authenticate = Callable[[str | None], Principal]


def _identity(authorization: str | None) -> Principal:
    """Identity's verifier (Cognito's pools in AWS, the dev IdP locally): the one place a caller is named."""
    from ioc_core.identity.wiring import authenticate

    return authenticate(authorization)


def install(app: Chalice, table: RouteTable, authenticate: Authenticate = _identity) -> None:
    """Check every route of ``table.prefix`` against ``table`` before its view runs. A table
    installed on the same app under a longer prefix (``/api/v1/integration/subscriptions``
    inside ``/api/v1/integration``) governs its own routes alone."""
    installed: list[RouteTable] = app.__dict__.setdefault("_ioc_route_tables", [])
    installed.append(table)

    def governs(path: str) -> bool:
        inner = (t for t in installed if len(t.prefix) > len(table.prefix) and t.governs(path))
        return table.governs(path) and next(inner, None) is None

    app.register_middleware(_allowed_methods(table), "http")  # first: a 405 before any sign-in

    def authorize(event: Request, get_response: Callable[[Request], Response]) -> Response:
        remembered = _request.set(event)
        try:
            if not governs(event.path):
                with audit_context.acting(request_context(event, ANONYMOUS, None)):
                    return get_response(event)  # another scheme's routes (Open311 and its keys)
            try:
                checked_caller = _check(table, event, authenticate)
            except DomainError as error:
                return problem_response(error)
            checked = _caller.set(checked_caller)
            try:
                with audit_context.acting(request_context(event, checked_caller[0], checked_caller[1])):
                    return _not_stored(table, event, get_response(event))
            finally:
                _caller.reset(checked)
        finally:
            _request.reset(remembered)

    app.register_middleware(authorize, "http")


def request_context(event: Request, who: Principal, role: str | None) -> audit_context.AuditContext:
    """Who acts through this request, from where, on which route (the audit log's, never an event's).
    Residents are named by account id, never by phone; staff by username."""
    if not who.authenticated:
        actor = "anonymous"
    elif role == RESIDENT or not who.username:
        actor = f"{role or 'account'}:{who.sub}"
    else:
        actor = who.username
    context = event.context or {}
    identity = context.get("identity") or {}
    headers = event.headers
    return audit_context.AuditContext(
        actor=actor,
        sub=who.sub or None,
        role=role,
        ip=audit_context.clip(identity.get("sourceIp")),
        forwarded_for=audit_context.clip(headers.get("x-forwarded-for")),
        user_agent=audit_context.clip(headers.get("user-agent")),
        route=audit_context.clip(f"{event.method} {event.path}"),  # the route, not the ids in it
    )


def _not_stored(table: RouteTable, event: Request, response: Response) -> Response:
    """A reply only a signed-in caller may get is for them alone: ``Cache-Control: no-store``
    unless the view says otherwise (personal data, a key shown once, a staff view)."""
    operation = table.operation_for(event.method, event.path)
    if operation is not None and not operation.access.anonymous:
        headers = response.headers
        if not any(name.lower() == "cache-control" for name in headers):
            headers["Cache-Control"] = "no-store"
    return response


def _check(
    table: RouteTable, event: Request, authenticate: Authenticate
) -> tuple[Principal, str | None, str | None]:
    operation = table.operation_for(event.method, event.path)
    if operation is None:  # fail closed: a route missing from the table serves nobody
        raise Forbidden(f"Không có quy tắc truy cập / No access rule for {event.method} {event.path}.")
    principal = authenticate(event.headers.get("authorization"))
    return principal, check(operation.access, principal), operation.access.permission


def check(access: Access, principal: Principal) -> str | None:
    """The role that acts on the route; 401 without a needed token, 403 without the permission."""
    if not principal.authenticated:
        if access.anonymous:
            return None
        raise Unauthenticated("Đăng nhập để tiếp tục / Sign in: send 'Authorization: Bearer <token>'.")
    if access.device:
        return None  # the view checks the device's own key
    rules = policy()
    if access.permission is None:  # any signed-in caller: the widest role they hold acts
        held = [r for r in rules.roles if r in principal.roles]
        if not held and not access.anonymous:
            raise Forbidden(
                "Tài khoản chưa có vai trò nào / This account holds no role yet: ask an administrator."
            )
        return held[0] if held else None
    role = principal.acting_role(access.permission, rules)
    if role is None:
        allowed = ", ".join(rules.holders(access.permission)) or "nobody"
        mine = ", ".join(sorted(g.group for g in principal.grants)) or "no role"
        raise Forbidden(
            f"Không có quyền {access.permission} / This route needs {access.permission}"
            f" (held by: {allowed}); you hold: {mine}."
        )
    return role


def principal() -> Principal:
    """The caller the middleware checked (anonymous on a public route)."""
    return _caller.get()[0]


def acting_role() -> str | None:
    """The role acting on this route (None for an anonymous caller)."""
    return _caller.get()[1]


def signed_in() -> tuple[Principal, str]:
    """The signed-in caller and their acting role; 401 when the route let an anonymous one in."""
    who, role, _ = _caller.get()
    if role is None:
        raise Unauthenticated("Đăng nhập để tiếp tục / Sign in first.")
    return who, role


def actor() -> str:
    """How a history records the signed-in caller: the acting role and the username."""
    who, role = signed_in()
    return f"{role}:{who.username or who.sub}"


def route_permission() -> str | None:
    """The permission the route needed (how far the caller reaches through it)."""
    return _caller.get()[2]


def current_request() -> Request:
    request = _request.get()
    if request is None:
        raise RuntimeError("ioc_core.platform.api.http.install(app, table) was not called for this app")
    return request


# -- errors -------------------------------------------------------------------------------------


def problem_response(error: DomainError) -> Response:
    """A domain error as problem+json, with what the error adds (a 409's current version) and
    a 401's challenge."""
    document = problems.from_domain_error(error) | error.extensions()
    headers = dict(error.headers())
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = CHALLENGE
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
            request = _request.get()
            where = {"method": request.method, "path": request.path} if request else {}
            logger.exception("unhandled error", extra=where)
            return _problem(problems.internal_error())

    return handle


def _problem(document: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    from chalice import Response

    return Response(
        body=problems.to_json(document),
        status_code=document["status"],
        headers={"Content-Type": problems.PROBLEM_MEDIA_TYPE, **(headers or {})},
    )


# -- replies ------------------------------------------------------------------------------------


def reply(
    model: BaseModel,
    status: int = 200,
    headers: dict[str, str] | None = None,
    media_type: str = JSON,
    by_alias: bool = False,  # a field named by a keyword ("from") goes out under its alias
) -> Response:
    from chalice import Response

    return Response(
        body=model.model_dump_json(by_alias=by_alias),
        status_code=status,
        headers={"Content-Type": media_type, **(headers or {})},
    )


def attachment(data: bytes, media_type: str, filename: str) -> Response:
    """A file to download (an export, a template): named, never stored by a cache. A CSV goes
    as text to API Gateway (its BOM the first character); anything else as bytes, which the app
    lists among its binary types."""
    from chalice import Response

    headers: dict[str, str | list[str]] = {
        "Content-Type": media_type,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }
    body: str | bytes = data.decode("utf-8") if media_type.startswith("text/csv") else data
    return Response(body=body, status_code=200, headers=headers)


# -- requests -----------------------------------------------------------------------------------


def json_object() -> dict[str, Any]:
    """The body as a JSON object: 415 for another media type, 413 past the size limit, 400 for
    anything but UTF-8 JSON holding an object."""
    request = current_request()
    media_type = (request.headers.get("content-type") or JSON).split(";")[0].strip().lower()
    if media_type != JSON:
        sent = media_type or "an empty type"
        raise errors.UnsupportedMediaType(f"Hãy gửi application/json / Send application/json, not {sent!r}.")
    body = request.raw_body
    raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if len(raw) > MAX_BODY_BYTES:
        raise errors.PayloadTooLarge(
            f"Nội dung tối đa {MAX_BODY_BYTES // 1024} KB / The body may have at most {MAX_BODY_BYTES} bytes."
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
    """``data`` as ``model``, or a 400 naming every field that is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise problems.invalid_fields(error) from error


def body(model: type[Model]) -> Model:
    return parse(model, json_object())


def query(model: type[Model]) -> Model:
    return parse(model, dict(current_request().query_params or {}))


def query_params() -> dict[str, str]:
    return dict(current_request().query_params or {})


def header(name: str) -> str | None:
    value = current_request().headers.get(name.lower())
    return str(value) if value is not None else None


# -- methods ------------------------------------------------------------------------------------


def _allowed_methods(table: RouteTable) -> Callable[[Request, Callable[[Request], Response]], Response]:
    """A method the table does not take on one of its routes is a 405 problem with ``Allow``.

    Chalice would answer it after the middleware (the access check would make it a 403
    first); in AWS the stack sends every method of a route to the function (``ANY``), so API
    Gateway's 403 "Missing Authentication Token" never stands in for it.
    """

    def allow(event: Request, get_response: Callable[[Request], Response]) -> Response:
        allowed = table.methods(event.path)
        if allowed and event.method.upper() not in allowed:
            return problem_response(
                MethodNotAllowed(
                    f"Phương thức {event.method} không được hỗ trợ ở đây / {event.path} takes"
                    f" {', '.join(allowed)}, not {event.method}.",
                    allowed,
                )
            )
        return get_response(event)

    return allow


# -- pages --------------------------------------------------------------------------------------

PAGE_SIZE = "limit"  # a client may change the page size between pages, nothing else


def cursor(sent: str | None, name: str = "cursor") -> str | None:
    """The adapter's page token inside the cursor the client sent (None for the first page).

    A cursor this API did not issue for this route, its path and query parameters and this
    caller is a 400 naming ``name``: checked here, before any call reaches the database."""
    if sent is None:
        return None
    return cursor_key.signer().open(sent, _page_context(name), name)


def next_cursor(token: str | None, name: str = "cursor") -> str | None:
    """The adapter's next-page token, sealed for this route, its parameters and this caller."""
    if token is None:
        return None
    return cursor_key.signer().seal(token, _page_context(name))


def _page_context(name: str) -> str:
    request = current_request()
    who, role, _ = _caller.get()
    filters = {k: v for k, v in query_params().items() if k not in (name, PAGE_SIZE)}
    return json.dumps(
        {
            "route": f"{request.method} {request.path}",
            "path": dict(request.uri_params or {}),
            "filters": filters,
            "caller": who.sub,
            "role": role,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


# -- versions (optimistic locking) ---------------------------------------------------------------

_IF_MATCH = re.compile(r'^(?:W/)?"?([0-9]{1,9})"?$')


def expected_version(sent: BaseModel | None = None) -> int | None:
    """The version a change is based on: If-Match (the ETag, quoted) wins over the body's
    ``version``; None when the caller sent neither. A malformed If-Match is a 400."""
    raw = header("if-match")
    if raw is not None:
        match = _IF_MATCH.match(raw.strip())
        if match is None:
            raise errors.ValidationFailed(
                'If-Match không hợp lệ / If-Match must be the resource\'s ETag, e.g. "3".',
                problems=[FieldProblem("If-Match", 'a version such as "3"')],
            )
        return int(match.group(1))
    found = getattr(sent, "version", None)
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def required_version(sent: BaseModel | None = None) -> int:
    """``expected_version`` for a route that never changes a resource blindly: a 428 without one."""
    version = expected_version(sent)
    if version is None:
        raise PreconditionRequired(
            'Gửi If-Match hoặc version / Send If-Match: "<version>" (the ETag) or version in the body.'
        )
    return version


def etag(version: int) -> dict[str, str]:
    """The header a versioned resource's reply carries: what the next change sends as If-Match."""
    return {ETAG: f'"{version}"'}
