"""The administrator's routing rules: what they override, and what is refused whole."""

from __future__ import annotations

import pytest

from fakes import MONDAY_9AM, IntakeWorld
from ioc_core.admin_units import default_registry
from ioc_core.field_reporting.routing import InvalidRules, Router, routing_data

pytestmark = pytest.mark.unit


@pytest.fixture
def router() -> Router:
    return Router(IntakeWorld().catalogue, default_registry(), routing_data(), MONDAY_9AM.date())


def test_an_administrator_rule_overrides_the_catalogue_in_one_ward(router: Router) -> None:
    router.replace_admin_rules([{"service_code": "street_light_out", "ward_code": "22945", "unit": "QLDT"}])
    assert router.route("street_light_out", "22945") == "QLDT"
    assert router.route("street_light_out", "22918") == "CSCC"


def test_rules_naming_what_does_not_exist_are_refused_field_by_field(router: Router) -> None:
    good = {"service_code": "street_light_out", "ward_code": "22945", "unit": "QLDT"}
    rules = [
        good,
        {"service_code": "no_such", "ward_code": "99999", "unit": "NOPE"},
        good,
    ]
    with pytest.raises(InvalidRules) as refused:
        router.replace_admin_rules(rules)
    assert [field for field, _ in refused.value.problems] == [
        "rules[1].service_code",
        "rules[1].ward_code",
        "rules[1].unit",
        "rules[2]",
    ]
    assert router.admin_rules == {}
