"""The forwarder's HTTP client (standard library): one kept-alive connection per endpoint and
thread, the answer's first bytes read and the rest left unread. In AWS each send checks again
where the host resolves (a name that pointed outside at registration may point inside now)."""

from __future__ import annotations

import http.client
import ssl
import threading
from urllib.parse import urlsplit

from ioc_core.integration.deliveries.endpoints import Resolver, check_url
from ioc_core.integration.deliveries.ports import Answer, SendFailed
from ioc_core.shared.errors import ValidationFailed

HEAD_BYTES = 1024


class HttpSender:
    def __init__(self, *, allow_loopback: bool, resolver: Resolver | None) -> None:
        self.allow_loopback, self.resolver = allow_loopback, resolver
        self._local = threading.local()
        self._tls = ssl.create_default_context()

    def post(self, url: str, headers: dict[str, str], body: bytes, timeout: float) -> Answer:
        try:
            check_url(url, allow_loopback=self.allow_loopback, resolver=self.resolver)
        except ValidationFailed as refused:
            raise SendFailed(f"refused address: {refused.message}") from refused
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        for reused in (True, False):  # a kept-alive connection the server closed: once more on a new one
            connection = self._connection(
                parts.scheme, parts.hostname or "", parts.port, timeout, fresh=not reused
            )
            try:
                connection.request(
                    "POST", target, body=body, headers=headers | {"content-length": str(len(body))}
                )
                response = connection.getresponse()
                head = response.read(HEAD_BYTES)
                if not response.isclosed():  # the rest, unread, would block the next request on it
                    connection.close()
                    self._forget(parts.scheme, parts.hostname or "", parts.port)
                answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, head)
                if response.will_close:
                    self._forget(parts.scheme, parts.hostname or "", parts.port)
                return answer
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self._forget(parts.scheme, parts.hostname or "", parts.port)
                if not reused:
                    raise SendFailed(f"{type(error).__name__}: {error}") from error
            except (OSError, http.client.HTTPException) as error:
                self._forget(parts.scheme, parts.hostname or "", parts.port)
                raise SendFailed(f"{type(error).__name__}: {error}") from error
        raise SendFailed("no answer")

    def _connection(
        self, scheme: str, host: str, port: int | None, timeout: float, fresh: bool
    ) -> http.client.HTTPConnection:
        pool: dict[tuple[str, str, int | None], http.client.HTTPConnection] = self._pool()
        key = (scheme, host, port)
        if fresh or key not in pool:
            self._forget(scheme, host, port)
            if scheme == "https":
                pool[key] = http.client.HTTPSConnection(host, port, timeout=timeout, context=self._tls)
            else:
                pool[key] = http.client.HTTPConnection(host, port, timeout=timeout)
        connection = pool[key]
        connection.timeout = timeout
        return connection

    def _pool(self) -> dict[tuple[str, str, int | None], http.client.HTTPConnection]:
        if not hasattr(self._local, "pool"):
            self._local.pool = {}
        return self._local.pool  # type: ignore[no-any-return]

    def _forget(self, scheme: str, host: str, port: int | None) -> None:
        connection = self._pool().pop((scheme, host, port), None)
        if connection is not None:
            connection.close()
