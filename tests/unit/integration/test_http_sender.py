"""The forwarder's HTTP client against a loopback server: the answer's first bytes only, long
and chunked answers not blocking the next request, a timeout or a refused connection a
SendFailed, and an address the rules refuse never connected to."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ioc_core.integration.deliveries.http_sender import HEAD_BYTES, HttpSender
from ioc_core.integration.deliveries.ports import SendFailed

pytestmark = [pytest.mark.unit, pytest.mark.allow_loopback]


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            if self.path == "/slow":
                time.sleep(0.5)
            if self.path == "/chunked":
                self.send_response(500)
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                for _ in range(3):
                    self.wfile.write(b"800\r\n" + b"c" * 0x800 + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            body = b"x" * 5000 if self.path == "/long" else b"ok"
            self.send_response(429 if self.path == "/busy" else 200)
            self.send_header("retry-after", "7")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_long_and_chunked_answers_keep_only_their_head_and_the_next_request_goes(server: str) -> None:
    sender = HttpSender(allow_loopback=True, resolver=None)
    long = sender.post(f"{server}/long", {}, b"{}", 2.0)
    assert long.status == 200 and long.head == b"x" * HEAD_BYTES
    chunked = sender.post(f"{server}/chunked", {}, b"{}", 2.0)
    assert chunked.status == 500 and chunked.head == b"c" * HEAD_BYTES
    busy = sender.post(f"{server}/busy", {}, b"{}", 2.0)
    assert busy.status == 429 and busy.headers["retry-after"] == "7" and busy.head == b"ok"


def test_a_timeout_and_a_refused_connection_are_send_failures(server: str) -> None:
    sender = HttpSender(allow_loopback=True, resolver=None)
    with pytest.raises(SendFailed):
        sender.post(f"{server}/slow", {}, b"{}", 0.1)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]  # nobody listens once this closes
    with pytest.raises(SendFailed):
        sender.post(f"http://127.0.0.1:{closed}/", {}, b"{}", 1.0)


def test_an_address_the_rules_refuse_is_never_connected_to() -> None:
    sender = HttpSender(allow_loopback=False, resolver=lambda host, port: ["10.0.0.7"])
    with pytest.raises(SendFailed, match="refused address"):
        sender.post("https://partner.example.vn/hook", {}, b"{}", 1.0)
