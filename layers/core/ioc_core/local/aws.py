"""The local AWS: moto's server on 127.0.0.1, patched for speed (see moto_patches)."""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request

from ioc_core.local import moto_patches


def is_running(endpoint: str) -> bool:
    """True when a moto server answers at ``endpoint``."""
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class LocalAws:
    """moto's threaded server, in this process."""

    def __init__(self, host: str, port: int) -> None:
        from moto.server import ThreadedMotoServer

        moto_patches.apply()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.endpoint = f"http://{host}:{port}"
        self.server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()
