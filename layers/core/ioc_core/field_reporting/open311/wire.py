"""Open311 GeoReport v2 wire format: one document tree rendered as XML or Spark-style JSON.

A document is an ``Element(name, value)`` whose value is a scalar, a mapping of child name to
value, or a list of ``Element`` (repeated children). XML renders the tree as is; JSON follows the
Spark convention used by Open311 clients: the outer wrapper is dropped and repeated children
become arrays, so ``<services><service>…`` is ``[{…}]`` and ``<service_definition>`` is ``{…}``.
Callers use ``render_list``/``render_object``/``render_errors`` and pass plain dicts.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeAlias

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
CONTENT_TYPES: Mapping[str, str] = MappingProxyType({"json": JSON_CONTENT_TYPE, "xml": XML_CONTENT_TYPE})
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'

# Plural list field → name of each repeated child, as the GeoReport v2 spec and its extensions
# spell them. Callers may add to this per call through ``list_fields``.
DEFAULT_LIST_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "attributes": "attribute",
        "values": "value",
        "endpoints": "endpoint",
        "formats": "format",
        "notes": "note",
        "photos": "photo",
    }
)

Scalar: TypeAlias = str | int | float | bool | None
Value: TypeAlias = "Scalar | Mapping[str, Value] | list[Element]"

_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
# Characters XML 1.0 cannot carry at all, even escaped; dropped rather than breaking the document.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Element:
    name: str
    value: Value


class UnsupportedFormat(ValueError):
    """The resource was asked for without ``.json``/``.xml`` (the handler answers 404/400)."""

    def __init__(self, requested: str) -> None:
        self.requested = requested
        super().__init__(
            f"Định dạng không được hỗ trợ: {requested!r}, hãy dùng .json hoặc .xml"
            f" / Unsupported format {requested!r}: use .json or .xml"
        )


def split_format(path_part: str) -> tuple[str, str]:
    """``"123.json"`` → ``("123", "json")``; splits on the last dot, extension case-insensitive.

    The stem may be empty (``".json"``); the caller treats that as an unknown resource.
    """
    stem, dot, extension = path_part.rpartition(".")
    fmt = extension.lower()
    if not dot or fmt not in CONTENT_TYPES:
        raise UnsupportedFormat(path_part)
    return stem, fmt


def content_type_for(fmt: str) -> str:
    try:
        return CONTENT_TYPES[fmt]
    except KeyError:
        raise UnsupportedFormat(fmt) from None


def render(document: Element, fmt: str) -> tuple[bytes, str]:
    """Serialise ``document`` as ``fmt`` (``json`` or ``xml``); returns (body, content type)."""
    content_type = content_type_for(fmt)
    if fmt == "json":
        text = json.dumps(
            _to_json(document.value), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        return text.encode("utf-8"), content_type
    return _to_xml(document), content_type


def render_list(
    root: str,
    item: str,
    items: Iterable[Mapping[str, object]],
    fmt: str,
    *,
    list_fields: Mapping[str, str] | None = None,
) -> tuple[bytes, str]:
    """A list resource: ``<root><item>…</item>…</root>`` or a JSON array of objects."""
    names = _list_fields(list_fields)
    document = Element(root, [Element(item, _build(entry, names)) for entry in items])
    return render(document, fmt)


def render_object(
    root: str,
    obj: Mapping[str, object],
    fmt: str,
    *,
    list_fields: Mapping[str, str] | None = None,
) -> tuple[bytes, str]:
    """A single-object resource (``service_definition``, ``discovery``): ``<root>…`` or ``{…}``."""
    return render(Element(root, _build(obj, _list_fields(list_fields))), fmt)


def render_errors(errors: Iterable[tuple[int | str, str]], fmt: str) -> tuple[bytes, str]:
    """The Open311 error list; each code is sent exactly as given (pass strings for JSON)."""
    items = [{"code": code, "description": description} for code, description in errors]
    return render_list("errors", "error", items, fmt)


def _list_fields(extra: Mapping[str, str] | None) -> Mapping[str, str]:
    return {**DEFAULT_LIST_FIELDS, **extra} if extra else DEFAULT_LIST_FIELDS


def _build(value: object, list_fields: Mapping[str, str]) -> Value:
    """Plain dicts/lists/scalars → the document tree, naming list items from ``list_fields``."""
    if isinstance(value, Mapping):
        return {str(key): _build_field(str(key), child, list_fields) for key, child in value.items()}
    return _scalar(value)


def _build_field(key: str, value: object, list_fields: Mapping[str, str]) -> Value:
    if not isinstance(value, list | tuple):
        return _build(value, list_fields)
    item = list_fields.get(key)
    if item is None:
        raise TypeError(f"List field {key!r} needs its item name in list_fields")
    return [Element(item, _build(entry, list_fields)) for entry in value]


def _to_json(value: Value) -> object:
    if isinstance(value, list):
        return [_to_json(_element(child).value) for child in value]
    if isinstance(value, Mapping):
        return {name: _to_json(child) for name, child in value.items()}
    return _scalar(value)


def _to_xml(document: Element) -> bytes:
    root = ET.Element(_xml_name(document.name))
    _fill(root, document.value)
    text = ET.tostring(root, encoding="unicode")
    return f"{XML_DECLARATION}\n{text}".encode()


def _fill(node: ET.Element, value: Value) -> None:
    if isinstance(value, list):
        for child in value:
            element = _element(child)
            _fill(ET.SubElement(node, _xml_name(element.name)), element.value)
    elif isinstance(value, Mapping):
        for name, child_value in value.items():
            _fill(ET.SubElement(node, _xml_name(name)), child_value)
    else:
        node.text = _xml_text(value)


def _xml_text(value: Scalar) -> str | None:
    value = _scalar(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return repr(value) if isinstance(value, float) else str(value)


def _scalar(value: object) -> Scalar:
    if not (value is None or isinstance(value, str | int | float | bool)):
        kind = type(value).__name__
        raise TypeError(f"Open311 documents hold str/int/float/bool/None, not {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"Open311 documents cannot carry the number {value!r}")
    return value


def _element(child: object) -> Element:
    if not isinstance(child, Element):
        raise TypeError(f"Repeated children must be Element, not {type(child).__name__}")
    return child


def _xml_name(name: str) -> str:
    if not _XML_NAME.match(name):
        raise ValueError(f"Not a valid Open311 element name: {name!r}")
    return name
