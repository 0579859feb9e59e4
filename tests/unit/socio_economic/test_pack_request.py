"""The meeting pack's request as the console sends it: JSON, so the cut-off is a "YYYY-MM-DD"
string, read as a date; anything else is refused by field."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ioc_core.socio_economic.api_v1 import PackRequest

pytestmark = pytest.mark.unit


def test_a_cut_off_sent_as_json_text_is_a_date() -> None:
    sent = PackRequest.model_validate({"period": "2026-09", "cutoff": "2026-09-30"})
    assert sent.cutoff == date(2026, 9, 30)


def test_no_cut_off_is_the_periods_own() -> None:
    assert PackRequest.model_validate({"period": "2026-09"}).cutoff is None


@pytest.mark.parametrize("cutoff", ["30/09/2026", "2026-09-31", 20260930])
def test_a_cut_off_that_is_no_date_is_refused(cutoff: object) -> None:
    with pytest.raises(ValidationError) as refused:
        PackRequest.model_validate({"period": "2026-09", "cutoff": cutoff})
    assert refused.value.errors()[0]["loc"] == ("cutoff",)
