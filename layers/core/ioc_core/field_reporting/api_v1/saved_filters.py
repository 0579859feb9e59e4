"""/api/v1/me/saved-filters: a staff member's saved queue filters, their own only (the owner is
the signed-in account, never a request's field), kept on the server so that they follow the
person from computer to computer."""

from __future__ import annotations

from ioc_core.field_reporting import permissions as p
from ioc_core.field_reporting.saved_filters import MAX_NAME, MAX_SAVED, QueueFilterSet, SavedFilter
from ioc_core.platform.api.routes import Operation, Reply, needs
from ioc_core.platform.api.wire import WireReply, WireRequest
from ioc_core.shared.clock import VN_TZ, iso

_MINE = needs(p.SAVED_FILTERS_KEEP, scope="the caller's own saved filters only")
_NAME = {"name": rf"^[^/]{{1,{MAX_NAME}}}$"}


class SavedFilterRequest(WireRequest):
    filters: QueueFilterSet


class SavedFilterView(WireReply):
    name: str
    filters: QueueFilterSet
    updated_at: str

    @classmethod
    def of(cls, saved: SavedFilter) -> SavedFilterView:
        return cls(name=saved.name, filters=saved.filters, updated_at=iso(saved.updated_at.astimezone(VN_TZ)))


class SavedFilterList(WireReply):
    items: list[SavedFilterView]


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET", "/me/saved-filters", "listSavedFilters", "Your saved queue filters, by name", "saved filters",
        {200: Reply("Your saved filters", SavedFilterList)}, errors=(401, 403), access=_MINE,
    ),
    Operation(
        "PUT", "/me/saved-filters/{name}", "putSavedFilter",
        f"Save the queue's filters under a name (1–{MAX_NAME} characters, NFC; again: replaced);"
        f" at most {MAX_SAVED} per person (a new one past that is a 409)", "saved filters",
        {201: Reply("Saved as a new one", SavedFilterView), 200: Reply("Replaced", SavedFilterView)},
        errors=(400, 401, 403, 409, 413, 415), body=SavedFilterRequest, path_params=_NAME, access=_MINE,
    ),
    Operation(
        "DELETE", "/me/saved-filters/{name}", "deleteSavedFilter", "Forget one of your saved filters",
        "saved filters", {204: Reply("Forgotten", media_type=None)}, errors=(400, 401, 403, 404),
        path_params=_NAME, access=_MINE,
    ),
)  # fmt: skip
