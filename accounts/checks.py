"""System checks for a deployment (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 (compared, not bound)


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """E-mails link to SITE_URL: left at its default, every link points at the server itself."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in LOOPBACK:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL}: links in invitations and ticket e-mails "
                "would point at the server itself.",
                hint="Set SITE_URL to the helpdesk's public address, e.g. https://help.example.com.",
                id="helpdesk.W001",
            )
        ]
    return []
