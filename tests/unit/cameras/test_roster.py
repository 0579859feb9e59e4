"""The duty roster: shifts as data in Vietnam time, naming real operator accounts."""

from __future__ import annotations

from datetime import datetime

import pytest

from ioc_core.cameras.roster import FileRoster, default_roster
from ioc_core.shared.clock import VN_TZ

pytestmark = pytest.mark.unit


def _roster() -> FileRoster:
    return FileRoster.from_data(
        {
            "fallback": "role:operator",
            "shifts": [
                {"name": "sáng", "operator": "an", "days": ["mon", "tue"], "from": "06:00", "to": "14:00"},
                {"name": "đêm", "operator": "binh", "days": ["mon"], "from": "22:00", "to": "06:00"},
            ],
        }
    )


@pytest.mark.parametrize(
    ("at", "who"),
    [
        (datetime(2026, 3, 2, 6, 0, tzinfo=VN_TZ), "an"),  # Monday, the morning shift starts
        (datetime(2026, 3, 2, 13, 59, tzinfo=VN_TZ), "an"),
        (datetime(2026, 3, 2, 14, 0, tzinfo=VN_TZ), "role:operator"),  # no shift: the desk
        (datetime(2026, 3, 2, 23, 30, tzinfo=VN_TZ), "binh"),  # Monday night
        (datetime(2026, 3, 3, 5, 59, tzinfo=VN_TZ), "binh"),  # Monday's night shift, Tuesday morning
        (datetime(2026, 3, 3, 23, 30, tzinfo=VN_TZ), "role:operator"),  # no night shift on Tuesday
        (datetime(2026, 3, 2, 0, 30, tzinfo=VN_TZ), "role:operator"),  # Sunday's night: none
        (datetime(2026, 3, 1, 23, 30, tzinfo=VN_TZ).astimezone(VN_TZ), "role:operator"),
    ],
)
def test_the_operator_on_shift_in_vietnam_time(at: datetime, who: str) -> None:
    assert _roster().on_duty(at) == who


def test_utc_moments_are_read_in_vietnam_time() -> None:
    from datetime import UTC

    assert _roster().on_duty(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == "an"  # 06:30 Monday in Vietnam


def test_the_city_roster_names_only_real_operator_accounts() -> None:
    """Not an invented account: everyone on a shift signs in as an operator."""
    from ioc_core.identity.dev_idp import DEMO_STAFF

    operators = {name for name, roles, _ in DEMO_STAFF if "operator" in roles}
    roster = default_roster()
    assert roster.shifts and {s.operator for s in roster.shifts} <= operators
    assert roster.fallback == "role:operator"
