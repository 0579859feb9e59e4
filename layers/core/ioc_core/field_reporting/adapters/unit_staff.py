"""Field Reporting's UnitStaff port on identity's staff directory (the identity provider's
groups: Cognito's staff pool in AWS, the dev IdP locally). A unit's staff are the accounts in
its group ``unit_staff@<unit>``; only enabled ones work there."""

from __future__ import annotations

from ioc_core.field_reporting.permissions import UNIT_STAFF
from ioc_core.field_reporting.ports import UnitMember
from ioc_core.identity.staff import StaffDirectory
from ioc_core.platform.access import Grant


class DirectoryUnitStaff:
    def __init__(self, directory: StaffDirectory) -> None:
        self.directory = directory

    def members(self, unit: str) -> list[UnitMember]:
        found = self.directory.members(Grant(UNIT_STAFF, unit).group)
        return sorted((UnitMember(m.username, m.name) for m in found if m.enabled), key=lambda m: m.username)
