"""`check --deploy` warns about settings that would break a real deployment."""

from django.core import checks
from django.test import override_settings


def warnings_for(site_url):
    with override_settings(SITE_URL=site_url):
        return [m.id for m in checks.run_checks(include_deployment_checks=True)]


def test_a_site_url_left_on_this_machine_is_flagged_and_a_public_one_is_not():
    assert "helpdesk.W001" in warnings_for("http://127.0.0.1:8000")
    assert "helpdesk.W001" in warnings_for("http://localhost")
    assert "helpdesk.W001" not in warnings_for("https://help.example.com")
