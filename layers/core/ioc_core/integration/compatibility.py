"""Is a new edition of a published schema compatible with the old one? Within a major version
only additions are: a consumer written against the published edition must read every event the
new one allows. Annotations (title, description, examples, deprecated, x-…) may change freely.

Breaking, property by property and down into nested objects and array items:
- a property removed, or no longer required;
- a type changed (``string`` → ``integer``, or ``null`` added or taken away);
- a new required property;
- an enum narrowed (a value dropped, or an enum put on a field that had none), a ``const``
  changed or added;
- ``additionalProperties`` tightened (allowed before, ``false`` now);
- a ``format`` or ``pattern`` changed or added, a bound (minimum, maxLength, minItems…) tightened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_MISSING = object()


def _types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    raw = schema.get("type")
    if raw is None:
        return None
    return frozenset([raw] if isinstance(raw, str) else raw)


def _open(schema: Mapping[str, Any]) -> bool:
    """Does the object take properties it does not list?"""
    return schema.get("additionalProperties", True) is not False


def breaking_changes(old: Mapping[str, Any], new: Mapping[str, Any], where: str = "data") -> list[str]:
    """What in ``new`` breaks a reader of ``old``, one line each; empty when compatible."""
    found: list[str] = []
    if _types(old) != _types(new):
        found.append(f"{where}: type {sorted(_types(old) or [])} became {sorted(_types(new) or [])}")
    found += _values(old, new, where)
    found += _bounds(old, new, where)
    found += _object(old, new, where)
    if isinstance(old.get("items"), Mapping) and isinstance(new.get("items"), Mapping):
        found += breaking_changes(old["items"], new["items"], f"{where}[]")
    elif "items" in new and "items" not in old:
        found.append(f"{where}: items constrained")
    return found


def _values(old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> list[str]:
    found: list[str] = []
    if "enum" in new:
        if "enum" not in old:
            found.append(f"{where}: an enum was put on it")
        else:
            dropped = [v for v in old["enum"] if v not in new["enum"]]
            if dropped:
                found.append(f"{where}: enum narrowed, {dropped} dropped")
    if new.get("const", _MISSING) != old.get("const", _MISSING) and "const" in new:
        found.append(f"{where}: const {old.get('const', '(none)')!r} became {new['const']!r}")
    for keyword in ("format", "pattern"):
        if keyword in new and new.get(keyword) != old.get(keyword):
            found.append(f"{where}: {keyword} {old.get(keyword)!r} became {new[keyword]!r}")
    return found


def _bounds(old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> list[str]:
    found: list[str] = []
    for keyword in _LOWER_BOUNDS:
        if keyword in new and (keyword not in old or new[keyword] > old[keyword]):
            found.append(f"{where}: {keyword} tightened to {new[keyword]}")
    for keyword in _UPPER_BOUNDS:
        if keyword in new and (keyword not in old or new[keyword] < old[keyword]):
            found.append(f"{where}: {keyword} tightened to {new[keyword]}")
    return found


def _object(old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> list[str]:
    found: list[str] = []
    if _open(old) and not _open(new):
        found.append(f"{where}: additionalProperties tightened to false")
    old_props: Mapping[str, Any] = old.get("properties", {})
    new_props: Mapping[str, Any] = new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in old_props:
        if name not in new_props:
            found.append(f"{where}.{name}: removed")
        else:
            found += breaking_changes(old_props[name], new_props[name], f"{where}.{name}")
    found += [f"{where}.{name}: newly required" for name in sorted(new_required - old_required)]
    loosened = sorted(n for n in old_required - new_required if n in new_props)  # removed: said above
    found += [f"{where}.{name}: no longer required" for name in loosened]
    return found
