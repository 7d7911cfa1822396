"""A calendar's holidays loaded for a country from the `holidays` package, e.g. Israel's."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from tickets.services import load_country_holidays

from .sla import office

pytestmark = pytest.mark.django_db


def test_israels_holidays_for_2027_are_loaded_and_kept_once(acme, ada):
    calendar = office(acme, name="Tel Aviv", time_zone="Asia/Jerusalem", holidays=["2027-10-11"])

    added = load_country_holidays(calendar=calendar, by=ada.user, country="il", year=2027)

    days = dict(calendar.holidays.values_list("date", "name"))
    assert date(2027, 10, 11) in days  # Yom Kippur, entered by hand before: kept
    assert days[date(2027, 10, 2)] == "Rosh Hashanah"
    assert days[date(2027, 4, 22)] == "Pesach"
    assert added == len(days) - 1
    assert load_country_holidays(calendar=calendar, by=ada.user, country="IL", year=2027) == 0
    entry = AuditEntry.objects.filter(action="calendar.holidays_loaded").first()
    assert entry.after["country"] == "IL"


@pytest.mark.parametrize(("country", "year"), [("XX", 2027), ("IL", 1800)])
def test_an_unknown_country_or_year_is_refused(acme, country, year):
    calendar = office(acme)
    with pytest.raises(ValidationError):
        load_country_holidays(calendar=calendar, by=None, country=country, year=year)
    assert not calendar.holidays.exists()
