"""The API's page cursors: sealed for one context with one key, opaque, and refused otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ioc_core.platform.api import cursor_key
from ioc_core.platform.api.cursors import CursorSigner, InvalidCursor, _b64, _unb64

pytestmark = pytest.mark.unit

KEY = b"k" * 32
CONTEXT = '{"caller":"sub-1","route":"GET /api/v1/me/reports"}'
TOKEN = "eyJrIjp7InBrIjoiUFQtQUJDIn19"  # what an adapter hands out: its own page state
NOW = 1_772_400_000.0


def signer(key: bytes = KEY, at: float = NOW, ttl: timedelta = timedelta(hours=1)) -> CursorSigner:
    return CursorSigner(key, ttl=ttl, clock=lambda: at)


def test_a_sealed_token_opens_again_in_its_context() -> None:
    cursor = signer().seal(TOKEN, CONTEXT)
    assert signer().open(cursor, CONTEXT) == TOKEN
    assert TOKEN not in cursor  # opaque: not the adapter's token with something appended


@given(token=st.text(max_size=300), context=st.text(max_size=200))
def test_any_token_round_trips_in_the_url_safe_alphabet(token: str, context: str) -> None:
    cursor = signer().seal(token, context)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert signer().open(cursor, context) == token


def test_every_tampered_byte_is_refused() -> None:
    raw = _unb64(signer().seal(TOKEN, CONTEXT))
    assert raw is not None
    for position in range(len(raw)):
        for flip in (0x01, 0x80):
            tampered = bytearray(raw)
            tampered[position] ^= flip
            with pytest.raises(InvalidCursor):
                signer().open(_b64(bytes(tampered)), CONTEXT)


def test_every_changed_character_is_refused() -> None:
    """Spare bits of the last base64 character would decode to the same bytes: refused too."""
    cursor = signer().seal(TOKEN, CONTEXT)
    for position, char in enumerate(cursor):
        for other in ("A", "B", "_", "-"):
            if other != char:
                with pytest.raises(InvalidCursor):
                    signer().open(cursor[:position] + other + cursor[position + 1 :], CONTEXT)


@pytest.mark.parametrize(
    "forged",
    ["", "x", TOKEN, "A" * 60, "not base64!", "=" * 8, _b64(b"\x01" + b"\0" * 40)],
    ids=["empty", "one-char", "the-raw-token", "zeros", "punctuation", "padding", "no-mac"],
)
def test_a_forged_cursor_is_a_400_naming_the_field(forged: str) -> None:
    with pytest.raises(InvalidCursor) as refused:
        signer().open(forged, CONTEXT, name="page_token")
    assert refused.value.status == 400
    assert [p.field for p in refused.value.problems] == ["page_token"]
    assert " / " in refused.value.message  # Vietnamese / English


def test_a_truncated_cursor_is_refused() -> None:
    cursor = signer().seal(TOKEN, CONTEXT)
    for cut in (1, 2, 10, len(cursor) // 2, len(cursor) - 1):
        with pytest.raises(InvalidCursor):
            signer().open(cursor[:-cut], CONTEXT)


def test_a_cursor_sealed_with_another_key_is_refused() -> None:
    cursor = signer(key=b"o" * 32).seal(TOKEN, CONTEXT)
    with pytest.raises(InvalidCursor):
        signer().open(cursor, CONTEXT)


@pytest.mark.parametrize(
    "foreign",
    [
        '{"caller":"sub-2","route":"GET /api/v1/me/reports"}',  # another caller
        '{"caller":"sub-1","route":"GET /api/v1/me/notifications"}',  # another list
        '{"caller":"sub-1","route":"GET /api/v1/me/reports","filters":{"status":"resolved"}}',
        "",
    ],
    ids=["caller", "route", "filters", "none"],
)
def test_a_cursor_of_another_context_is_refused(foreign: str) -> None:
    cursor = signer().seal(TOKEN, CONTEXT)
    with pytest.raises(InvalidCursor):
        signer().open(cursor, foreign)


def test_a_cursor_expires_after_its_time_to_live() -> None:
    cursor = signer(at=NOW, ttl=timedelta(hours=1)).seal(TOKEN, CONTEXT)
    assert signer(at=NOW + 3600).open(cursor, CONTEXT) == TOKEN
    with pytest.raises(InvalidCursor) as expired:
        signer(at=NOW + 3601).open(cursor, CONTEXT)
    assert "expired" in expired.value.message


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        CursorSigner(b"short")


def test_the_key_comes_from_the_environment_or_a_fresh_one_per_process() -> None:
    assert cursor_key.cursor_key({"IOC_CURSOR_KEY": "s" * 40}) == b"s" * 40
    first, second = cursor_key.cursor_key({}), cursor_key.cursor_key({})
    assert len(first) == 32 and first != second  # locally: random, never a constant in the repo
    with pytest.raises(RuntimeError, match="IOC_CURSOR_KEY_SECRET"):
        cursor_key.cursor_key({"AWS_LAMBDA_FUNCTION_NAME": "ioc-dev-cameras"})  # never a random key in AWS
    with pytest.raises(RuntimeError, match="32 bytes"):
        cursor_key.cursor_key({"IOC_CURSOR_KEY": "too short"})


def test_in_aws_the_key_is_the_secret_the_stack_names(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []

    def secret(secret_id: str) -> str:
        read.append(secret_id)
        return "g" * 64

    monkeypatch.setattr(cursor_key, "_secret", secret)
    arn = "arn:aws:secretsmanager:x:1:secret:c"
    assert cursor_key.cursor_key({"AWS_LAMBDA_FUNCTION_NAME": "f", "IOC_CURSOR_KEY_SECRET": arn}) == b"g" * 64
    assert read == [arn]
