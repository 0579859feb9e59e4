"""Open311 GeoReport v2 input: form bodies (urlencoded and multipart), dates and plain text.

Everything a client sends goes through here before it reaches the service layer: UTF-8 decoded
strictly, NFC-normalised, trimmed, with "passed and empty" treated as "not passed".
"""

from __future__ import annotations

import dataclasses
import email.errors
import email.parser
import email.policy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import collapse_rfc2231_value
from html.parser import HTMLParser
from urllib.parse import parse_qsl

from ioc_core.shared.clock import iso
from ioc_core.shared.datetimes import parse_datetime as _parse_w3c_datetime
from ioc_core.shared.text import nfc

MAX_BODY_BYTES = 12 * 1024 * 1024
MAX_MEDIA_FILES = 3
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MAX_FIELDS = 1000
MEDIA_FIELDS = frozenset({"media", "media[]"})
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

_ATTRIBUTE_KEY = re.compile(r"attribute\[([^\[\]]+)\](\[\])?\Z")
_RAW_FILENAME = re.compile(r';\s*filename="([^"]*)"', re.IGNORECASE)
_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)
_UTF8_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_BROKEN_MULTIPART = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.CloseBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
)
# A '+' in an unencoded query string arrives as a space: "…T07:00:00 07:00" means "+07:00".
_OFFSET_AS_SPACE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Block tags become line breaks; paragraph-like ones a blank line, as a reader would see them.
_LINE_TAGS = frozenset(
    {"address", "article", "br", "dd", "div", "dl", "dt", "footer", "form", "header", "li"}
    | {"section", "td", "th", "tr"}
)
_PARAGRAPH_TAGS = frozenset(
    {"blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre", "table", "ul"}
)
_INVISIBLE_TAGS = frozenset({"head", "noscript", "script", "style", "template", "title"})


class FormError(ValueError):
    """The body cannot be read as an Open311 form; always an HTTP 400 for the client.

    ``en``/``vi`` keep each language; ``str(error)`` carries both for the error description.
    """

    def __init__(self, en: str, vi: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.en = en
        self.vi = vi


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str | None
    content_type: str
    data: bytes = dataclasses.field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class OpenForm:
    """A parsed Open311 form.

    ``fields``: first non-empty value per key. ``attributes``: ``attribute[code]`` → str (first
    wins), ``attribute[code][]`` → list (values accumulate; a mix of both forms becomes a list).
    ``multi``: every non-empty value per plain key, in order (``media_url[]``, comma lists…).
    """

    fields: dict[str, str] = dataclasses.field(default_factory=dict)
    attributes: dict[str, str | list[str]] = dataclasses.field(default_factory=dict)
    media: list[UploadedFile] = dataclasses.field(default_factory=list)
    multi: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], media: Iterable[UploadedFile] = ()) -> OpenForm:
        """Build a form from raw key/value pairs (a body, or a query string's parameters)."""
        form = cls(media=list(media))
        for raw_key, raw_value in pairs:
            key, value = _clean(raw_key), _clean(raw_value)
            if not key or not value:
                continue
            match = _ATTRIBUTE_KEY.match(key)
            if match and match.group(1).strip():
                form._add_attribute(match.group(1).strip(), value, as_list=bool(match.group(2)))
            else:
                form.fields.setdefault(key, value)
                form.multi.setdefault(key, []).append(value)
        return form

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.fields.get(name, default)

    def getlist(self, name: str) -> list[str]:
        return list(self.multi.get(name, ()))

    def _add_attribute(self, code: str, value: str, *, as_list: bool) -> None:
        current = self.attributes.get(code)
        if current is None:
            self.attributes[code] = [value] if as_list else value
        elif isinstance(current, list):
            current.append(value)
        elif as_list:
            self.attributes[code] = [current, value]


def parse_form(raw_body: bytes | None, content_type: str | None) -> OpenForm:
    """Parse a POST body sent as urlencoded or multipart form data, enforcing the size limits."""
    body = raw_body or b""
    if len(body) > MAX_BODY_BYTES:
        raise FormError(
            f"The request body is larger than {_megabytes(MAX_BODY_BYTES)}.",
            f"Nội dung yêu cầu vượt quá {_megabytes(MAX_BODY_BYTES)}.",
        )
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime == URLENCODED:
        _require_utf8_charset(content_type or "")
        return _parse_urlencoded(body)
    if mime == MULTIPART:
        return _parse_multipart(body, content_type or "")
    raise FormError(
        f"Unsupported content type {mime or '(missing)'}: send {URLENCODED} or {MULTIPART}.",
        f"Kiểu nội dung {mime or '(thiếu)'} không được hỗ trợ: hãy gửi {URLENCODED} hoặc {MULTIPART}.",
    )


def parse_datetime(value: str) -> datetime:
    """W3C-DTF / ISO 8601 with ``Z`` or an offset; naive values and bare dates are Vietnam time.

    The result is timezone-aware, expressed in Asia/Ho_Chi_Minh.
    """
    text = _OFFSET_AS_SPACE.sub(r"\1+\2", value.strip())
    try:
        return _parse_w3c_datetime(text)
    except (ValueError, OverflowError) as exc:  # out-of-range years overflow on conversion
        raise FormError(
            f"Invalid date-time {value!r}: use ISO 8601, e.g. 2026-01-01T07:00:00+07:00.",
            f"Ngày giờ {value!r} không hợp lệ: dùng ISO 8601, ví dụ 2026-01-01T07:00:00+07:00.",
        ) from exc


def format_datetime(dt: datetime) -> str:
    """ISO 8601 in Asia/Ho_Chi_Minh with seconds and ``+07:00`` (naive values are Vietnam time)."""
    return iso(dt)


def strip_html(text: str) -> str:
    """Plain text from a description that may carry HTML (Open311 descriptions have none).

    Tags and comments go, script/style bodies go, entities are unescaped, block tags become line
    breaks, runs of blanks collapse to one space and of blank lines to one empty line; NFC.
    """
    extractor = _TextExtractor()
    extractor.feed(nfc(text))
    extractor.close()
    plain = "".join(extractor.parts).replace("\r\n", "\n").replace("\r", "\n")
    plain = _CONTROL.sub("", plain)
    lines = [" ".join(line.split()) for line in plain.split("\n")]
    return nfc(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden += 1
        else:
            self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden = max(0, self._hidden - 1)
        else:
            self._break(tag)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _LINE_TAGS:
            self.parts.append("\n")


def _parse_urlencoded(body: bytes) -> OpenForm:
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError as exc:
        raise _invalid_utf8() from exc
    except ValueError as exc:
        raise FormError(
            f"Too many form fields (more than {MAX_FIELDS}).",
            f"Biểu mẫu có quá nhiều trường (hơn {MAX_FIELDS}).",
        ) from exc
    return OpenForm.from_pairs(pairs)


def _parse_multipart(body: bytes, content_type: str) -> OpenForm:
    if "\r" in content_type or "\n" in content_type:
        raise _malformed_multipart()
    head = f"Content-Type: {content_type}\r\n\r\n".encode("utf-8", "surrogateescape")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or any(isinstance(defect, _BROKEN_MULTIPART) for defect in message.defects):
        raise _malformed_multipart()
    pairs: list[tuple[str, str]] = []
    media: list[UploadedFile] = []
    for part in message.get_payload():
        if not isinstance(part, Message) or part.is_multipart():
            raise _malformed_multipart()
        name = _part_name(part)
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if name in MEDIA_FIELDS:
            if data:  # an empty file input is "not passed"
                media.append(_uploaded_file(name, part, data))
                _check_media(media)
        elif name and part.get_filename() is None:  # files outside `media` are not Open311
            pairs.append((name, _decode_utf8(data)))
    return OpenForm.from_pairs(pairs, media)


def _part_name(part: Message) -> str | None:
    raw = part.get_param("name", header="content-disposition")
    if raw is None:
        return None
    return _header_text(collapse_rfc2231_value(raw))


def _uploaded_file(name: str, part: Message, data: bytes) -> UploadedFile:
    filename = _raw_filename(part) or part.get_filename()
    if filename is not None:
        # Old browsers send the client's full path; keep only the last component.
        filename = re.split(r"[\\/]", _header_text(filename))[-1].strip() or None
    content_type = part.get_content_type() if part.get("Content-Type") else None
    return UploadedFile(name, filename, content_type or "application/octet-stream", data)


def _raw_filename(part: Message) -> str | None:
    """``filename="…"`` as browsers write it: no escapes (``"`` is sent as %22), so a backslash
    in a Windows path is literal, where the RFC 822 parser would drop it."""
    for header, value in part.raw_items():
        if header.lower() == "content-disposition":
            match = _RAW_FILENAME.search(str(value))
            return match.group(1) if match else None
    return None


def _check_media(media: list[UploadedFile]) -> None:
    if len(media) > MAX_MEDIA_FILES:
        raise FormError(
            f"At most {MAX_MEDIA_FILES} media files may be attached.",
            f"Chỉ được đính kèm tối đa {MAX_MEDIA_FILES} tệp ảnh/video.",
        )
    latest = media[-1]
    if latest.size > MAX_MEDIA_BYTES:
        shown = latest.filename or latest.field
        raise FormError(
            f"Media file {shown!r} is larger than {_megabytes(MAX_MEDIA_BYTES)}.",
            f"Tệp {shown!r} vượt quá {_megabytes(MAX_MEDIA_BYTES)}.",
        )


def _header_text(value: str) -> str:
    """Raw UTF-8 in a header (what browsers send for filenames) arrives surrogate-escaped."""
    try:
        return nfc(value.encode("ascii", "surrogateescape").decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return nfc(value.encode("utf-8", "replace").decode("utf-8"))


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid_utf8() from exc


def _require_utf8_charset(content_type: str) -> None:
    match = _CHARSET.search(content_type)
    if match and match.group(1).lower() not in _UTF8_CHARSETS:
        raise FormError(
            f"Unsupported charset {match.group(1)!r}: send UTF-8.",
            f"Bảng mã {match.group(1)!r} không được hỗ trợ: hãy gửi UTF-8.",
        )


def _clean(value: str) -> str:
    return nfc(value).strip()


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _invalid_utf8() -> FormError:
    return FormError("The form is not valid UTF-8.", "Biểu mẫu không phải UTF-8 hợp lệ.")


def _malformed_multipart() -> FormError:
    return FormError(
        "The multipart/form-data body is malformed.",
        "Nội dung multipart/form-data không hợp lệ.",
    )
