"""Failed and refused mail, listed for admins: by outcome, one message, Retry and Discard.

A message kept FAILED (its bytes whole) is what a bug or an odd message leaves behind; once
the cause is gone, Ada retries it and it becomes the ticket it should have been."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from mailroom.models import InboundMessage
from tickets.models import Ticket

from ..conftest import login_api
from .conftest import mail

Outcome = InboundMessage.Outcome
PAGES = "/t/acme/settings/inbound-mail/"
API = "/api/v1/t/acme/inbound-messages/"


@pytest.fixture
def failed(acme, help_mailbox, bob):
    return InboundMessage.objects.create(
        tenant=acme,
        mailbox=help_mailbox,
        message_id="stuck@mail.acme.test",
        sender="bob@acme.test",
        subject="Stuck invoice",
        outcome=Outcome.FAILED,
        reason="OperationalError: the attachment store was full",
        raw=mail(subject="Stuck invoice", message_id="<stuck@mail.acme.test>"),
    )


@pytest.fixture
def refused(acme, help_mailbox):
    return InboundMessage.objects.create(
        tenant=acme,
        mailbox=help_mailbox,
        sender="eve@elsewhere.test",
        subject="Let me in",
        outcome=Outcome.REFUSED,
        reason="This helpdesk takes requests from its members only.",
    )


@pytest.fixture
def globex_failed(globex):
    return InboundMessage.objects.create(
        tenant=globex, sender="mallory@globex.test", subject="Globex secret", outcome="failed"
    )


def test_ada_lists_failed_mail_by_default_and_other_outcomes_on_asking(
    client, ada, failed, refused, globex_failed
):
    client.force_login(ada.user)

    failed_page = client.get(PAGES).content.decode()
    refused_page = client.get(PAGES, {"outcome": "refused"}).content.decode()

    assert "Stuck invoice" in failed_page and "Let me in" not in failed_page
    assert "the attachment store was full" in failed_page
    assert "Let me in" in refused_page and "Stuck invoice" not in refused_page
    assert "Globex secret" not in failed_page
    assert client.get(PAGES, {"outcome": "nonsense"}).status_code == 404


def test_one_message_shows_sender_subject_reason_and_when(client, ada, failed):
    client.force_login(ada.user)

    body = client.get(f"{PAGES}{failed.pk}/").content.decode()

    for shown in ("bob@acme.test", "Stuck invoice", "the attachment store was full", "Retry"):
        assert shown in body
    assert f'datetime="{failed.received_at.isoformat()}"' in body


def test_retry_makes_the_ticket_it_should_have_been(client, ada, failed, bob):
    client.force_login(ada.user)

    response = client.post(f"{PAGES}{failed.pk}/retry/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.outcome == Outcome.TICKET
    ticket = Ticket.objects.get(subject="Stuck invoice")
    assert failed.ticket == ticket and ticket.requester == bob.user
    assert "Became a ticket" in client.get(response.url).content.decode()
    assert AuditEntry.objects.filter(actor=ada.user, action="inbound_mail.retried").exists()


def test_discard_throws_the_kept_message_away(client, ada, failed):
    client.force_login(ada.user)

    response = client.post(f"{PAGES}{failed.pk}/discard/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.outcome, failed.raw) == (Outcome.DISCARDED, None)
    assert not Ticket.objects.exists()


def test_retry_and_discard_are_post_only_and_for_failed_mail_only(client, ada, failed, refused):
    client.force_login(ada.user)

    assert client.get(f"{PAGES}{failed.pk}/retry/").status_code == 405
    assert client.get(f"{PAGES}{failed.pk}/discard/").status_code == 405
    client.post(f"{PAGES}{refused.pk}/retry/")
    client.post(f"{PAGES}{refused.pk}/discard/")

    refused.refresh_from_db()
    assert refused.outcome == Outcome.REFUSED
    failed.refresh_from_db()
    assert failed.outcome == Outcome.FAILED and not Ticket.objects.exists()
    assert "Retry" not in client.get(f"{PAGES}{refused.pk}/").content.decode()


def test_another_helpdesks_message_is_a_404(client, api, ada, globex_failed):
    client.force_login(ada.user)
    login_api(api, ada)

    assert client.get(f"{PAGES}{globex_failed.pk}/").status_code == 404
    assert client.post(f"{PAGES}{globex_failed.pk}/discard/").status_code == 404
    assert api.post(f"{API}{globex_failed.pk}/discard/").status_code == 404
    globex_failed.refresh_from_db()
    assert globex_failed.outcome == Outcome.FAILED


@pytest.mark.parametrize("who", ["sam", "alice", "bob"])
def test_only_admins_see_the_mail_received(client, api, failed, who, request):
    member = request.getfixturevalue(who)
    client.force_login(member.user)
    login_api(api, member)

    assert client.get(PAGES).status_code == 403
    assert client.post(f"{PAGES}{failed.pk}/discard/").status_code == 403
    assert api.get(API).status_code == 403
    assert api.post(f"{API}{failed.pk}/retry/").status_code == 403
    failed.refresh_from_db()
    assert failed.outcome == Outcome.FAILED


def test_the_api_lists_by_outcome_and_retries_or_discards(api, ada, failed, refused, bob):
    login_api(api, ada)

    everything = api.get(API).json()["results"]
    only_failed = api.get(API, {"outcome": "failed"}).json()["results"]

    assert {m["id"] for m in everything} == {failed.pk, refused.pk}
    assert [m["id"] for m in only_failed] == [failed.pk]
    assert only_failed[0]["reason"] == "OperationalError: the attachment store was full"
    assert api.get(API, {"outcome": "nonsense"}).status_code == 400
    assert api.post(f"{API}{refused.pk}/retry/").status_code == 409

    retried = api.post(f"{API}{failed.pk}/retry/")

    assert retried.status_code == 200
    assert retried.json()["outcome"] == "ticket" and retried.json()["ticket_number"]
    assert api.post(f"{API}{failed.pk}/discard/").status_code == 409  # no longer failed


def test_the_api_discards_a_failed_message(api, ada, failed):
    login_api(api, ada)

    response = api.post(f"{API}{failed.pk}/discard/")

    assert response.status_code == 200 and response.json()["outcome"] == "discarded"
    assert AuditEntry.objects.filter(action="inbound_mail.discarded").exists()
