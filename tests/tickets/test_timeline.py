"""The ticket page's timeline built in Python (tickets/timeline.py) gives the templates' HTML.

The former event template and the customer's comment loop are kept verbatim in
tests/tickets/former/ and rendered beside the Python timeline: every kind of event, replies
and notes with and without files, names and values that need escaping, an event with no actor,
an assignee the helpdesk no longer knows, in English and Hebrew, in two time zones, for staff
(who see internal notes) and for the customer (who never do).
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils import timezone, translation

from accounts.staff import staff_names
from tests.factories import make_member, make_queue, make_ticket
from tickets import timeline
from tickets.models import Comment, Ticket, TicketEvent
from tickets.services import (
    add_comment,
    assign_ticket,
    attach_file,
    change_priority,
    change_status,
    move_to_queue,
    rate_ticket,
    set_tags,
)

FORMER = Path(__file__).parent / "former"
EVENT = (FORMER / "event.html").read_text()
STAFF_TIMELINE = (
    "{% for e in events %}{% if not skip_created or e.kind != 'created' %}"
    + EVENT
    + "{% endif %}{% endfor %}"
)
CUSTOMER_COMMENTS = "{% load i18n helpdesk_text tickets_extras %}" + (
    FORMER / "customer_comments.html"
).read_text().removesuffix("\n")


def _render(source, context):
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def busy(acme, alice, bob, billing):
    """A ticket with every kind of event, escaping needed everywhere."""
    ticket = make_ticket(acme, bob.user, billing, subject="Busy")
    alice.user.name = 'Alice <b>"Agent"</b> & Co'
    alice.user.save(update_fields=["name"])
    nameless = make_member(acme, "nameless@acme.test", "agent", name="")
    other = make_queue(acme, "Other <queue>")
    reply = add_comment(ticket=ticket, author=alice.user, body="Hi **there** <script>x</script>")
    attach_file(
        ticket=ticket,
        upload=SimpleUploadedFile("a <b>.png", b"\x89PNG" * 400, "image/png"),
        by=alice.user,
        comment=reply,
    )
    attach_file(
        ticket=ticket,
        upload=SimpleUploadedFile("b.pdf", b"%PDF" * 10, "application/pdf"),
        by=alice.user,
        comment=reply,
    )
    add_comment(ticket=ticket, author=nameless.user, body="Secret & internal", is_public=False)
    add_comment(ticket=ticket, author=bob.user, body="Thanks")
    assign_ticket(ticket=ticket, assignee=alice.user, by=alice.user)
    assign_ticket(ticket=ticket, assignee=nameless.user, by=None)
    set_tags(ticket=ticket, names=["<vip>", "a&b"], by=alice.user)
    set_tags(ticket=ticket, names=[], by=alice.user)
    change_priority(ticket=ticket, to="urgent", by=alice.user)
    move_to_queue(ticket=ticket, queue=other, by=alice.user)
    change_status(ticket=ticket, to="solved", by=alice.user)
    rate_ticket(ticket=Ticket.objects.get(pk=ticket.pk), score=4, by=bob.user)
    # An assignee the helpdesk no longer lists (kept by e-mail) and an unknown status value.
    TicketEvent.objects.create(
        tenant=acme, ticket=ticket, kind="assignee", old_value="gone@acme.test", new_value=""
    )
    TicketEvent.objects.create(
        tenant=acme, ticket=ticket, kind="status", old_value="weird<", new_value="open"
    )
    return ticket


def _events(ticket):
    return list(
        TicketEvent.objects.for_tenant(ticket.tenant)
        .filter(ticket=ticket)
        .select_related("actor", "comment")
        .prefetch_related("comment__attachments")
    )


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Jerusalem"])
@pytest.mark.parametrize("skip_created", [True, False])
def test_staff_timeline_is_the_templates_timeline(acme, busy, language, zone, skip_created):
    events = _events(busy)
    kinds = {e.kind for e in events}
    assert kinds == set(TicketEvent.Kind.values) and any(e.actor is None for e in events)
    names = staff_names(acme)
    for shown in (events, []):
        with translation.override(language), timezone.override(zone):
            context = {"events": shown, "names": names, "tenant": acme}
            expected = _render(STAFF_TIMELINE, {**context, "skip_created": skip_created})
            built = timeline.staff_timeline(
                shown, slug=acme.slug, names=names, skip_created=skip_created
            )
        assert built == expected
        assert ("Secret &amp; internal" in built) == bool(shown)
        assert ("gone@acme.test" in built) == bool(shown)


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Jerusalem"])
@pytest.mark.parametrize("viewer", ["bob", "carol"])
def test_customer_comments_are_the_templates_comments(acme, busy, language, zone, viewer, request):
    user = request.getfixturevalue(viewer).user
    comments = list(
        Comment.objects.for_tenant(acme)
        .filter(ticket=busy, is_public=True)
        .select_related("author")
        .prefetch_related("attachments")
    )
    assert len(comments) == 2 and any(c.attachments.all() for c in comments)
    for shown in (comments, []):
        with translation.override(language), timezone.override(zone):
            context = {"comments": shown, "user": user, "tenant": acme}
            expected = _render(CUSTOMER_COMMENTS, context)
            built = timeline.customer_comments(shown, slug=acme.slug, user_id=user.pk)
        assert built == expected
        assert ("a &lt;b&gt;.png" in built) == bool(shown) and "internal" not in built


def test_customer_page_never_shows_internal_notes_and_staff_page_does(client, bob, sam, busy):
    client.force_login(bob.user)
    page = client.get(f"/t/acme/tickets/{busy.number}/").content.decode()
    assert "Thanks" in page and "a &lt;b&gt;.png" in page and "Secret" not in page
    client.force_login(sam.user)
    page = client.get(f"/t/acme/tickets/{busy.number}/").content.decode()
    assert "Secret &amp; internal" in page and "Internal note" in page
