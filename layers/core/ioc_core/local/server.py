"""One HTTP API named in the resource definitions, as API Gateway hands it to its Lambda.

Chalice's ``LocalGateway`` turns a request into the API Gateway proxy event the function gets
in AWS (routes, path parameters, binary types, authorizers) and calls the app with it; the
local gateway's HTTP server (waitress) in front of it parses HTTP. No HTTP hop in between.
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass, field
from typing import Any

from ioc_core.platform.code import function_path
from ioc_core.platform.resources import HttpApi


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = field(repr=False)


class ApiApp:
    def __init__(self, api: HttpApi, stage: str = "local") -> None:
        from chalice.cli import factory as chalice_factory
        from chalice.deploy.validate import validate_routes
        from chalice.local import LocalGateway

        # Every Chalice app is `app` with a `chalicelib`: forget the previous app's modules
        # (its routes keep theirs) so this one imports its own.
        for name in [m for m in sys.modules if m in ("app", "chalicelib") or m.startswith("chalicelib.")]:
            del sys.modules[name]
        self.name = api.name
        project_dir = str(function_path(api.source_dir))
        # Chalice puts an app's folder on sys.path only when it is not there yet: an app loaded
        # before another would then find the other's `app` first. This one's folder goes first.
        while project_dir in sys.path:
            sys.path.remove(project_dir)
        sys.path.insert(0, project_dir)
        cli = chalice_factory.CLIFactory(project_dir=project_dir, debug=False)
        config = cli.create_config_obj(chalice_stage_name=stage)
        app = config.chalice_app
        validate_routes(app.routes)  # what `chalice deploy` would refuse, we refuse too
        self.gateway = LocalGateway(app, config)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Reply:
        """``path`` with its query string, as the client sent it."""
        from chalice.local import LocalGatewayException

        try:
            response: dict[str, Any] = self.gateway.handle_request(method, path, headers, body)
        except LocalGatewayException as error:  # no such route (API Gateway's 403), a denied authorizer
            return Reply(error.CODE, list((error.headers or {}).items()), error.body or b"")
        listed = [(k, str(v)) for k, v in (response.get("headers") or {}).items()]
        for key, values in (response.get("multiValueHeaders") or {}).items():
            listed += [(key, str(v)) for v in values]
        raw = response.get("body")
        if raw is None:
            data = b""
        elif response.get("isBase64Encoded"):
            data = base64.b64decode(raw)
        else:
            data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
        if not any(k.lower() == "content-type" for k, _ in listed):
            listed.append(("Content-Type", "application/json"))  # what Chalice's server assumed
        return Reply(int(response["statusCode"]), listed, data)
