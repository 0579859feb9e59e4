"""The local front door on one origin, as CloudFront + API Gateway are in AWS.

A WSGI application served by waitress (a maintained, pure-Python HTTP server: a thread pool,
a listen backlog that holds a burst, chunked request bodies, 400 for malformed framing, the
body limit API Gateway has). API paths go to the Chalice app that owns their prefix, called
in-process with the event API Gateway would send; `/console/` and `/app/` are served from
`frontend/`, as S3 behind CloudFront serves them. Longest prefix wins, so a subsystem's app can
own `/api/v1/cameras` beside the Field Reporting app's `/api/v1`.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import Any

from ioc_core.local.aws import port_free
from ioc_core.local.map_files import MapFiles
from ioc_core.local.server import ApiApp, Reply
from ioc_core.platform.code import project_root
from ioc_core.platform.headers import LOCAL_CSP, REPLY_HEADERS
from ioc_core.platform.resources import HttpApi
from ioc_core.rooms import RESOURCES
from ioc_core.settings import get_settings

log = logging.getLogger("ioc.gateway")
# A line per request answered, at INFO: on the console only with `ioc dev --access-log`.
access = logging.getLogger("ioc.gateway.access")
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
}
# What CloudFront's response-headers policy adds in AWS: both built from platform/headers.py.
SECURITY_HEADERS = {**REPLY_HEADERS, "Content-Security-Policy": LOCAL_CSP}
STATIC_SITES = {"/console/": "console", "/app/": "resident"}
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit; waitress answers 413 beyond it
# Connections served at once; more wait in the listen backlog (never reset), as a burst does.
THREADS, CONNECTIONS, BACKLOG = 16, 512, 2048

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def site_root(name: str) -> Path:
    """A built site (frontend/<name>/dist) if there is one, else its sources."""
    base = project_root() / "frontend" / name
    built = base / "dist"
    return built if (built / "index.html").exists() else base


class Gateway:
    def __init__(self, host: str, port: int, apis: tuple[HttpApi, ...] = RESOURCES.apis) -> None:
        from waitress import create_server

        if not port_free(host, port):
            raise OSError(f"port {port} is taken")
        self.url = f"http://{host}:{port}"
        self.upstreams: list[tuple[str, ApiApp]] = []
        self.server = create_server(
            self,
            host=host,
            port=port,
            threads=THREADS,
            connection_limit=CONNECTIONS,
            backlog=BACKLOG,
            max_request_body_size=MAX_BODY_BYTES,
            asyncore_use_poll=True,  # select() stops at 1,024 descriptors
            channel_timeout=60,
            ident=None,  # no Server header, as CloudFront's policy removes it
            clear_untrusted_proxy_headers=True,
        )
        for api in apis:
            app = ApiApp(api)
            self.upstreams.extend((prefix, app) for prefix in api.routes_prefixes)
        self.upstreams.sort(key=lambda item: len(item[0]), reverse=True)
        # The maps' config and basemap, as the console bucket serves them under /map/ in AWS.
        self.map_files = MapFiles(get_settings().map)
        self.thread = threading.Thread(target=self.server.run, name="ioc-gateway", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.close()
        self.thread.join(timeout=5)

    def upstream_for(self, path: str) -> ApiApp | None:
        return next((app for prefix, app in self.upstreams if path.startswith(prefix)), None)

    # -- the WSGI application ----------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        method, path = environ["REQUEST_METHOD"], _path(environ)
        reply = self._dispatch(method, path, environ)
        start_response(f"{reply.status} {_reason(reply.status)}", reply.headers)
        # The path without its query: a query may carry a signature or an API key.
        access.info("%s %s %d %.0f ms", method, path, reply.status, (time.monotonic() - started) * 1000)
        return [b"" if method == "HEAD" else reply.body]

    def _dispatch(self, method: str, path: str, environ: dict[str, Any]) -> Reply:
        upstream = self.upstream_for(path)
        if upstream is not None:
            return self._api(upstream, method, path, environ)
        for prefix, site in STATIC_SITES.items():
            if path == prefix.rstrip("/"):
                return _redirect(prefix)
            if path.startswith(prefix):
                return _static(site_root(site), path[len(prefix) :])
        if path.startswith("/map/"):
            served = self.map_files.handle(method, path, _request_headers(environ))
            if served is not None:
                return Reply(served.status, [*SECURITY_HEADERS.items(), *served.headers], served.body)
        if path == "/":
            return _redirect("/console/")
        return Reply(404, [("Content-Type", "application/json")], b'{"message": "Not found"}')

    def _api(self, upstream: ApiApp, method: str, path: str, environ: dict[str, Any]) -> Reply:
        headers = _request_headers(environ)
        headers["X-Forwarded-Host"] = environ.get("HTTP_HOST", "")
        query = environ.get("QUERY_STRING")
        body = _body(environ)
        try:
            reply = upstream.handle(method, f"{path}?{query}" if query else path, headers, body or None)
        except Exception:  # the function crashed: API Gateway's 502, and the log says why
            log.exception("API %s failed on %s %s", upstream.name, method, path)
            return Reply(502, [("Content-Type", "application/json")], b'{"message": "Internal server error"}')
        sent = {key.lower() for key, _ in reply.headers}
        extra = [(k, v) for k, v in REPLY_HEADERS.items() if k.lower() not in sent]  # as CloudFront adds them
        kept = [
            (k, v)
            for k, v in reply.headers
            if k.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}
        ]
        return Reply(reply.status, [*extra, *kept, ("Content-Length", str(len(reply.body)))], reply.body)


def _path(environ: dict[str, Any]) -> str:
    """The decoded path as API Gateway hands it to a function: WSGI carries its bytes as
    Latin-1 (PEP 3333), and a segment such as a saved filter's name is UTF-8."""
    raw = environ.get("PATH_INFO") or "/"
    try:
        return str(raw.encode("latin-1").decode("utf-8"))
    except UnicodeError:
        return str(raw)


def _request_headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP
    }
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers[name] = environ[key]
    return headers


def _body(environ: dict[str, Any]) -> bytes:
    """The request body, chunked or not: waitress has framed (and limited) it already."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        return bytes(stream.read())
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return bytes(stream.read(length)) if length > 0 else b""


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _static(root: Path, relative: str) -> Reply:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        return _plain(404, b"Not found")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        # A single-page app owns its routes: unknown paths get its index.
        target = root / "index.html"
        if not target.is_file():
            return _plain(404, b"Not found")
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    body = target.read_bytes()
    headers = [("Content-Type", kind), *SECURITY_HEADERS.items(), ("Content-Length", str(len(body)))]
    return Reply(200, headers, body)


def _redirect(location: str) -> Reply:
    return Reply(302, [("Location", location), ("Content-Length", "0")], b"")


def _plain(status: int, body: bytes) -> Reply:
    return Reply(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))], body)
