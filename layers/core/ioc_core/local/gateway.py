"""The local front door on one origin, as CloudFront + API Gateway are in AWS.

API paths go to the Chalice app that owns their prefix (each app runs Chalice's own local
server on an internal port); `/console/` and `/app/` are served from `frontend/`, as S3
behind CloudFront serves them. Longest prefix wins, so a subsystem's app can own
`/api/v1/cameras` beside the Field Reporting app's `/api/v1`.
"""

from __future__ import annotations

import http.client
import logging
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ioc_core.local.aws import port_free
from ioc_core.local.server import ApiServer
from ioc_core.platform.code import project_root
from ioc_core.platform.headers import LOCAL_CSP, REPLY_HEADERS
from ioc_core.platform.resources import HttpApi
from ioc_core.rooms import RESOURCES

log = logging.getLogger("ioc.gateway")
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


def site_root(name: str) -> Path:
    """A built site (frontend/<name>/dist) if there is one, else its sources."""
    base = project_root() / "frontend" / name
    built = base / "dist"
    return built if (built / "index.html").exists() else base


class Gateway:
    def __init__(self, host: str, port: int, apis: tuple[HttpApi, ...] = RESOURCES.apis) -> None:
        if not port_free(host, port):
            raise OSError(f"port {port} is taken")
        self.url = f"http://{host}:{port}"
        # The public port is bound first, and the APIs behind it on ports the system picks as
        # they bind: a port chosen, released and bound later can be taken in between.
        handler = type("GatewayHandler", (_Handler,), {"gateway": self})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.upstreams: list[tuple[str, ApiServer]] = []
        for api in apis:
            server = ApiServer(api, host, 0)
            self.upstreams.extend((prefix, server) for prefix in api.routes_prefixes)
        self.upstreams.sort(key=lambda item: len(item[0]), reverse=True)
        self.thread = threading.Thread(target=self.server.serve_forever, name="ioc-gateway", daemon=True)

    def start(self) -> None:
        for server in {id(s): s for _, s in self.upstreams}.values():
            server.start()
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        for server in {id(s): s for _, s in self.upstreams}.values():
            server.stop()
        self.thread.join(timeout=5)

    def upstream_for(self, path: str) -> ApiServer | None:
        return next((server for prefix, server in self.upstreams if path.startswith(prefix)), None)


class _Handler(BaseHTTPRequestHandler):
    gateway: Gateway
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        upstream = self.gateway.upstream_for(path)
        if upstream is not None:
            self._proxy(upstream)
            return
        for prefix, site in STATIC_SITES.items():
            if path == prefix.rstrip("/"):
                self._redirect(prefix)
                return
            if path.startswith(prefix):
                self._static(site_root(site), path[len(prefix) :])
                return
        if path == "/":
            self._redirect("/console/")
            return
        self._send(HTTPStatus.NOT_FOUND, b'{"message": "Not found"}', "application/json")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _dispatch

    def _proxy(self, upstream: ApiServer) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        host, _, port = upstream.url.removeprefix("http://").partition(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-Host"] = self.headers.get("Host", "")
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except OSError as error:
            log.error("upstream %s failed: %s", upstream.url, error)
            self._send(HTTPStatus.BAD_GATEWAY, b'{"message": "Upstream unavailable"}', "application/json")
            return
        finally:
            connection.close()
        self.send_response(response.status)
        sent = {key.lower() for key, _ in response.getheaders()}
        for key, value in REPLY_HEADERS.items():  # API replies too, as CloudFront adds them
            if key.lower() not in sent:
                self.send_header(key, value)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _static(self, root: Path, relative: str) -> None:
        target = (root / relative).resolve()
        if not target.is_relative_to(root.resolve()):
            self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            # A single-page app owns its routes: unknown paths get its index.
            target = root / "index.html"
            if not target.is_file():
                self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain")
                return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, target.read_bytes(), kind, security=True)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, kind: str, security: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if security:
            for key, value in SECURITY_HEADERS.items():
                self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
