"""The list rows built in Python (tickets/rows.py) give the HTML their templates gave.

The former row loops are kept verbatim in tests/tickets/former/ and rendered beside the
Python rows, for tickets with and without a queue, an assignee, an organization, tags and a
rating, subjects and names that need escaping, in English and Hebrew, in two time zones, for a
viewer who may and one who may not open people's history. The forms' field blocks (the former
``tickets/_field.html`` include) likewise.
"""

from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from tests.factories import make_ticket
from tickets import rows
from tickets.models import Tag, Ticket
from tickets.services import assign_ticket, rate_ticket, set_tags

# The row loops as the templates had them (tests/tickets/former/), after the same {% load %}.
FORMER = Path(__file__).parent / "former"
WORKSPACE_ROWS = "{% load i18n tickets_extras %}\n" + (FORMER / "workspace_rows.html").read_text()
PORTAL_ROWS = "{% load i18n tickets_extras %}\n" + (FORMER / "portal_rows.html").read_text()


def _template(source):
    return engines["django"].from_string(source)


@pytest.fixture
def tickets(acme, alice, bob, carol, billing):
    plain = make_ticket(acme, bob.user, billing, subject='Charged <twice> & "more"')
    nowhere = make_ticket(acme, carol.user, None, subject="No queue, no organization")
    nowhere.organization = None
    nowhere.save(update_fields=["organization"])
    assign_ticket(ticket=plain, assignee=alice.user, by=alice.user)
    set_tags(ticket=plain, names=["billing", "<b>vip</b>", "a&b"], by=alice.user)
    urgent = make_ticket(acme, bob.user, billing, subject="Down", priority="urgent")
    Ticket.objects.filter(pk=urgent.pk).update(status="solved")
    rate_ticket(ticket=Ticket.objects.get(pk=urgent.pk), score=4, comment="", by=bob.user)
    bob.user.name = "Bob <Buyer> & Co"
    bob.user.save(update_fields=["name"])
    return list(
        Ticket.objects.for_tenant(acme)
        .with_list_columns()
        .select_related("rating")
        .with_tags()
        .order_by("-created_at", "-pk")
    )


def _values(tickets, columns):
    """The rows as the views read them: the list's columns as values, in the same order."""
    found = (
        Ticket.objects.filter(pk__in=[t.pk for t in tickets])
        .with_list_names()
        .values(*{"id": 1, **dict.fromkeys(columns)})
    )
    by_pk = {row["id"]: row for row in found}
    return rows.with_tag_names([by_pk[t.pk] for t in tickets])


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Jerusalem"])
@pytest.mark.parametrize("may_view_people", [True, False])
def test_workspace_rows_are_the_templates_rows(acme, tickets, language, zone, may_view_people):
    assert Tag.objects.for_tenant(acme).count() == 3
    for shown in (tickets, []):
        with translation.override(language), timezone.override(zone):
            context = {"page": {"rows": shown}, "tenant": acme, "may_view_people": may_view_people}
            expected = _template(WORKSPACE_ROWS).render(context)
            built = rows.workspace_rows(
                _values(shown, rows.WORKSPACE_COLUMNS),
                slug=acme.slug,
                may_view_people=may_view_people,
            )
        assert built == expected.removeprefix("\n  ")


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Jerusalem"])
def test_portal_rows_are_the_templates_rows(acme, bob, tickets, language, zone):
    for shown in (tickets, []):
        with translation.override(language), timezone.override(zone):
            context = {"page": {"rows": shown}, "tenant": acme, "user": bob.user}
            expected = _template(PORTAL_ROWS).render(context)
            built = rows.portal_rows(
                _values(shown, rows.PORTAL_COLUMNS), slug=acme.slug, user_id=bob.user.pk
            )
        assert built == expected.removeprefix("\n  ")


def test_a_row_shows_the_ticket_as_it_is_now(client, acme, alice, bob, billing, tickets):
    """Nothing is cached: a change to the ticket or a name shows on the next list."""
    client.force_login(alice.user)
    ticket = next(t for t in tickets if t.subject == "Down")
    assert "Renamed" not in client.get("/t/acme/workspace/").content.decode()
    Ticket.objects.filter(pk=ticket.pk).update(subject="Renamed subject")
    billing.name = "Invoices"
    billing.save(update_fields=["name"])
    page = client.get("/t/acme/workspace/").content.decode()
    assert "Renamed subject" in page and "<td>Invoices</td>" in page


@pytest.mark.parametrize("initial", [{}, {"queue": "billing", "assignee": "alice"}])
def test_listed_selects_are_djangos_selects(acme, ada, alice, sam, billing, initial):
    """The ticket page's queue and assignee selects, from the kept staff list and one plain
    read, are the options Django's ModelChoiceIterator gives."""
    from accounts.staff import active_staff
    from tickets.forms import TicketUpdateForm

    values = {"queue": billing.pk, "assignee": alice.user.pk}
    data = {name: values[name] for name in initial}
    listed = TicketUpdateForm(tenant=acme, staff=active_staff(acme), initial=data)
    stock = TicketUpdateForm(tenant=acme, initial=data)
    for name in ("queue", "assignee"):
        field = stock.fields[name]
        field.widget.choices = field.choices  # Django's own iterator
        assert str(listed[name]) == str(stock[name])
        assert "selected" in str(listed[name]) or not initial


FIELD = (FORMER / "field.html").read_text()


@pytest.mark.parametrize("language", ["en", "he"])
def test_field_blocks_are_the_former_includes(acme, billing, language):
    """{% field_block f %} gives what {% include "tickets/_field.html" with field=f %} gave:
    labels, help texts and errors that need escaping, every kind of widget the pages use."""
    from django.utils.datastructures import MultiValueDict

    from tickets.forms import RatingForm, ReplyForm, SubmitForm, TicketUpdateForm
    from tickets.templatetags.tickets_extras import field_block

    forms = [
        SubmitForm(tenant=acme),
        SubmitForm({"subject": "", "description": "<b>x</b>" * 10}, tenant=acme),
        SubmitForm(
            {"subject": "s", "description": "d", "queue": "999999"},
            MultiValueDict({"attachments": []}),
            tenant=acme,
        ),
        ReplyForm(),
        ReplyForm({"body": "", "visibility": "nowhere"}),
        ReplyForm(staff=False),
        RatingForm({"score": "9", "comment": "<i>fine</i>"}),
        TicketUpdateForm(tenant=acme, initial={"queue": billing.pk, "tags": 'a, "b" & <c>'}),
        TicketUpdateForm({"status": "nope", "tags": "x" * 600}, tenant=acme),
    ]
    seen = set()
    with translation.override(language):
        for form in forms:
            form.is_bound and form.is_valid()
            for field in form:
                if field.is_hidden:
                    continue
                expected = _template(FIELD).render({"field": field})
                assert field_block(field) == expected, (type(form).__name__, field.name)
                seen.add((bool(field.errors), bool(field.help_text)))
    assert seen == {(False, False), (True, False), (False, True), (True, True)}
