"""Standard Webhooks for tests, by hand (hmac, hashlib: independent of the `standardwebhooks`
package the system signs and verifies with), and a real receiver on loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _key(secret: str | bytes) -> bytes:
    return secret if isinstance(secret, bytes) else base64.b64decode(secret.removeprefix("whsec_"))


def signature(secret: str | bytes, webhook_id: str, timestamp: str, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 over id.timestamp.body>``."""
    mac = hmac.new(_key(secret), f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(
    secret: str | bytes, body: bytes, webhook_id: str = "msg_test", at: float | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature(secret, webhook_id, timestamp, body),
    }


def verified(secret: str | bytes, headers: dict[str, str], body: bytes) -> bool:
    """Whether any one signature of the header's list is the secret's over this body."""
    expected = signature(secret, headers["webhook-id"], headers["webhook-timestamp"], body)
    return any(hmac.compare_digest(sig, expected) for sig in headers["webhook-signature"].split(" "))


@dataclass
class Received:
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 204


@contextmanager
def loopback_receiver(path: str = "/hooks") -> Iterator[tuple[str, Received]]:
    """An HTTP server on 127.0.0.1 that keeps every POST (lower-cased headers, body) and answers
    ``received.status``; its URL and what it received."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            received.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(received.status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}", received
    finally:
        server.shutdown()
        server.server_close()
