"""Which URLs a subscription may deliver to: https only (plain http to a loopback address in
development), no credentials in the URL, and, in AWS, never a host that resolves to a private,
loopback, link-local or otherwise non-public address (the forwarder would become a way into the
city's network)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from ioc_core.shared.errors import FieldProblem, ValidationFailed

MAX_URL = 2000
Resolver = Callable[[str, int], list[str]]  # host, port → addresses


def resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


def _refuse(message_vi: str, message_en: str, field: str = "url") -> ValidationFailed:
    return ValidationFailed(f"{message_vi} / {message_en}", problems=[FieldProblem(field, message_en)])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_loopback: bool, resolver: Resolver | None, field: str = "url") -> str:
    """The URL as given, or a ValidationFailed naming ``field``. ``resolver`` None: no DNS look-up
    (development, offline); in AWS every address the host resolves to must be public."""
    if len(url) > MAX_URL:
        raise _refuse("Địa chỉ quá dài", f"The URL is longer than {MAX_URL} characters.", field)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise _refuse("Địa chỉ không hợp lệ", f"Not a URL: {error}.", field) from error
    host = (parts.hostname or "").lower()
    if not host:
        raise _refuse("Địa chỉ thiếu máy chủ", "The URL names no host.", field)
    if parts.username or parts.password:
        raise _refuse("Địa chỉ không được chứa mật khẩu", "The URL must not carry credentials.", field)
    loopback = _is_loopback(host)
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback and allow_loopback):
        raise _refuse("Chỉ nhận địa chỉ https", "Only https URLs are accepted.", field)
    if loopback and not allow_loopback:
        raise _refuse("Không gửi tới máy cục bộ", "Loopback addresses are refused.", field)
    if resolver is not None:
        try:
            addresses = resolver(host, port or 443)
        except OSError as error:
            raise _refuse(
                "Không phân giải được tên máy chủ", f"The host does not resolve: {error}.", field
            ) from error
        bad = [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_global]
        if not addresses or bad:
            raise _refuse(
                "Địa chỉ trỏ tới mạng nội bộ",
                f"The host resolves to a non-public address ({', '.join(bad) or 'none'}).",
                field,
            )
    return url
