"""Chalice's local server for one HTTP API named in the resource definitions."""

from __future__ import annotations

import sys
import threading
from typing import Any

from ioc_core.platform.code import function_path
from ioc_core.platform.resources import HttpApi


class ApiServer:
    def __init__(self, api: HttpApi, host: str, port: int, stage: str = "local") -> None:
        from chalice.cli import factory as chalice_factory
        from chalice.deploy.validate import validate_routes

        # Every Chalice app is `app` with a `chalicelib`: forget the previous app's modules
        # (its routes keep theirs) so this one imports its own.
        for name in [m for m in sys.modules if m in ("app", "chalicelib") or m.startswith("chalicelib.")]:
            del sys.modules[name]
        project_dir = str(function_path(api.source_dir))
        cli = chalice_factory.CLIFactory(project_dir=project_dir, debug=False)
        config = cli.create_config_obj(chalice_stage_name=stage)
        app = config.chalice_app
        validate_routes(app.routes)  # what `chalice deploy` would refuse, we refuse too
        self.server: Any = cli.create_local_server(app, config, host, port)  # port 0: the system picks
        self.url = f"http://{host}:{self.server.server.server_address[1]}"
        # The HTTP server itself: Chalice's wrapper would print an internal "Serving on" URL.
        self.thread = threading.Thread(
            target=self.server.server.serve_forever, name=f"api-{api.name}", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server.server_close()
        self.thread.join(timeout=5)
