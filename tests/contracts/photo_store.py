"""The PhotoStore contract, one suite for the in-memory fake and the S3 adapter.

A tier's test module subclasses ``PhotoStoreContract`` and provides ``photos``, an empty
store (tests/unit/field_reporting/test_port_contracts_in_memory.py: the fake;
tests/integration/field_reporting/test_port_contracts_adapters.py: S3 on moto).
"""

from __future__ import annotations

from ioc_core.field_reporting.ports import PhotoStore

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4
KEY = "uploads/2026/03/02/photo-123"


class PhotoStoreContract:
    def test_an_object_is_read_back_whole_with_its_size_type_and_first_32_bytes(
        self, photos: PhotoStore
    ) -> None:
        photos.put(KEY, JPEG, "image/jpeg")
        stored = photos.stat(KEY)
        assert stored is not None
        assert (stored.key, stored.size, stored.content_type, stored.head) == (
            KEY,
            len(JPEG),
            "image/jpeg",
            JPEG[:32],
        )
        assert photos.read(KEY) == JPEG

    def test_a_small_object_has_all_of_itself_as_its_head(self, photos: PhotoStore) -> None:
        photos.put(KEY, b"GIF8", "image/gif")
        stored = photos.stat(KEY)
        assert stored is not None
        assert (stored.size, stored.head) == (4, b"GIF8")

    def test_a_missing_object_is_none(self, photos: PhotoStore) -> None:
        photos.put(KEY, JPEG, "image/jpeg")
        assert photos.stat(KEY + "-other") is None
        assert photos.read(KEY + "-other") is None

    def test_a_second_put_replaces_the_object(self, photos: PhotoStore) -> None:
        photos.put(KEY, JPEG, "image/jpeg")
        photos.put(KEY, b"\x89PNG\r\n\x1a\n", "image/png")
        stored = photos.stat(KEY)
        assert stored is not None
        assert (stored.size, stored.content_type) == (8, "image/png")
        assert photos.read(KEY) == b"\x89PNG\r\n\x1a\n"

    def test_an_upload_ticket_names_the_key_type_and_limits(self, photos: PhotoStore) -> None:
        ticket = photos.presign_upload(KEY, "image/jpeg", 5_000_000)
        fields = ticket["fields"]
        assert isinstance(fields, dict)
        assert (fields["key"], fields["Content-Type"]) == (KEY, "image/jpeg")
        assert (ticket["expires_in"], ticket["max_bytes"]) == (900, 5_000_000)
        assert str(ticket["url"]).startswith(("http://", "https://"))

    def test_urls_name_the_photo(self, photos: PhotoStore) -> None:
        assert photos.public_url(KEY).endswith("/api/v1/photos/photo-123")
        assert KEY in photos.download_url(KEY)
