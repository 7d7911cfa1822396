"""Mail in: acme's support address help@acme.test works the Billing queue."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from accounts.models import JoiningRule
from tests.factories import role
from tickets.models import Mailbox


@pytest.fixture
def help_mailbox(acme, billing):
    return Mailbox.objects.create(tenant=acme, address="help@acme.test", queue=billing)


@pytest.fixture
def customers_of_acme_test(acme):
    """acme lets anyone at acme.test in as a customer, straight away."""
    return JoiningRule.objects.create(
        tenant=acme, kind="domain", pattern="acme.test", role=role(acme, "customer"), position=1
    )


def mail(
    *,
    sender: str = "Bob Buyer <bob@acme.test>",
    to: str = "help@acme.test",
    subject: str = "Printer on fire",
    body: str = "It is on fire.",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    files: list[tuple[str, str, bytes]] = (),
    message_id: str | None = "",
) -> bytes:
    """A message as a mail program would send it: headers, a text part (and HTML), files."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id or make_msgid(domain="mail.acme.test")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, content in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
