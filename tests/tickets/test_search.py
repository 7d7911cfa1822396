"""Finding tickets: by number, requester, organization and words, in English and Hebrew.

Hebrew search runs on PostgreSQL (the documents' Hebrew forms are computed there by
helpdesk_search_document); the demo's SQLite would hide the difference.
"""

import pytest
from django.db import connection

from core.hebrew import word_forms
from core.search import (
    ENGLISH_STOP_WORDS,
    SearchDocument,
    marked_pieces,
    query_words,
    snippet,
    word_query,
)
from tests.factories import make_member, make_ticket
from tickets.models import Comment, Ticket
from tickets.services import add_comment

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Hebrew search is PostgreSQL's"
)


def _numbers(response):
    assert response.status_code == 200
    return sorted(t["number"] for t in response.context["page"].rows)


def _api_numbers(api, q):
    response = api.get("/api/v1/t/acme/tickets/", {"q": q})
    assert response.status_code == 200
    return sorted(t["number"] for t in response.json()["results"])


def test_the_database_is_postgres():
    """The Hebrew tests below must not be skipped silently in the suite."""
    assert connection.vendor == "postgresql"


def test_a_ticket_is_found_by_its_number_with_or_without_a_hash(
    client, acme, alice, bob, billing, acme_ticket
):
    other = make_ticket(acme, bob.user, billing, subject="Printer jam")
    client.force_login(alice.user)
    for q in (str(acme_ticket.number), f"#{acme_ticket.number}", f" #{acme_ticket.number} "):
        assert _numbers(client.get("/t/acme/workspace/", {"q": q})) == [acme_ticket.number]
    assert _numbers(client.get("/t/acme/workspace/", {"q": f"#{other.number}"})) == [other.number]


def test_a_ticket_is_found_by_its_requesters_name_email_and_organization(
    client, acme, alice, bob, carol, billing, acme_ticket
):
    carols = make_ticket(acme, carol.user, billing, subject="Printer jam")
    dave = make_member(acme, "dave@elsewhere.test", "customer", name="Dave Doe")
    daves = make_ticket(acme, dave.user, billing, subject="Printer jam")
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/", {"q": "Bob Buyer"})) == [acme_ticket.number]
    assert _numbers(client.get("/t/acme/workspace/", {"q": "bob@acme"})) == [acme_ticket.number]
    assert _numbers(client.get("/t/acme/workspace/", {"q": "Acme Co"})) == sorted(
        [acme_ticket.number, carols.number]
    )
    assert _numbers(client.get("/t/acme/workspace/", {"q": "dave"})) == [daves.number]


def test_words_must_all_match_in_subject_description_or_conversation(
    client, acme, alice, bob, billing, acme_ticket
):
    other = make_ticket(acme, bob.user, billing, subject="Printer", description="Paper stuck.")
    add_comment(ticket=other, author=alice.user, body="The toner cartridges are leaking")
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/", {"q": "printer cartridge"})) == [other.number]
    assert _numbers(client.get("/t/acme/workspace/", {"q": "papers leak"})) == [other.number]
    assert _numbers(client.get("/t/acme/workspace/", {"q": "printer charged"})) == []


@on_postgres
def test_hebrew_words_match_with_and_without_their_prefixes(client, acme, alice, bob, billing):
    printer = make_ticket(
        acme, bob.user, billing, subject="המדפסת לא עובדת", description="שלום, היא תקועה."
    )
    office = make_ticket(acme, bob.user, billing, subject="בעיה", description="אין רשת במשרד")
    add_comment(ticket=office, author=alice.user, body="ובמשרד השני הכול תקין")
    password = make_ticket(acme, bob.user, billing, subject="סיסמה", description="שכחתי")
    client.force_login(alice.user)

    def found(q):
        return _numbers(client.get("/t/acme/workspace/", {"q": q}))

    assert found("מדפסת") == [printer.number]  # the document has the prefix
    assert found("המדפסת") == [printer.number]  # both have it
    assert found("משרד") == [office.number]
    assert found("השני") == [office.number]  # in a comment
    assert found("הסיסמה") == [password.number]  # the query has the prefix
    assert found("לסיסמה") == [password.number]
    assert found("מדפסת רשת") == []  # every word must match


@on_postgres
def test_the_api_q_finds_hebrew_numbers_and_names(api, acme, alice, bob, billing, acme_ticket):
    printer = make_ticket(acme, bob.user, billing, subject="המדפסת במשרד")
    api.force_authenticate(alice.user)
    assert _api_numbers(api, "מדפסת") == [printer.number]
    assert _api_numbers(api, f"#{acme_ticket.number}") == [acme_ticket.number]
    assert _api_numbers(api, "Bob Buyer") == sorted([acme_ticket.number, printer.number])
    api.force_authenticate(bob.user)
    assert _api_numbers(api, "משרד") == [printer.number]


@on_postgres
def test_internal_notes_never_match_for_customers_in_any_language(
    api, acme, alice, bob, acme_ticket
):
    add_comment(ticket=acme_ticket, author=alice.user, body="הלקוח זעם sneaky", is_public=False)
    api.force_authenticate(bob.user)
    assert _api_numbers(api, "לקוח") == []
    assert _api_numbers(api, "sneaky") == []
    api.force_authenticate(alice.user)
    assert _api_numbers(api, "לקוח") == [acme_ticket.number]


def test_a_number_or_name_of_another_tenant_finds_nothing(
    client, acme, alice, globex_ticket, mallory
):
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/", {"q": f"#{globex_ticket.number}"})) == []
    assert _numbers(client.get("/t/acme/workspace/", {"q": "Mallory"})) == []


def test_punctuation_alone_finds_nothing_and_breaks_nothing(client, alice, acme_ticket):
    client.force_login(alice.user)
    for q in ("#", "!!", "'\"&|:*()", "a" * 200):
        assert _numbers(client.get("/t/acme/workspace/", {"q": q})) == []
    api_answer = client.get("/api/v1/t/acme/tickets/", {"q": "!:*&|"})
    assert api_answer.status_code == 200


@on_postgres
def test_the_row_shows_where_the_words_matched_escaped(client, acme, alice, bob, billing):
    ticket = make_ticket(
        acme,
        bob.user,
        billing,
        subject="<b>Printers</b> on fire",
        description="Hello. " * 40 + "The printer in the office <script>x</script> is smoking.",
    )
    add_comment(ticket=ticket, author=alice.user, body="נשלח טכנאי למשרד")
    client.force_login(alice.user)
    page = client.get("/t/acme/workspace/", {"q": "printer"}).content.decode()
    assert "&lt;b&gt;<mark>Printers</mark>&lt;/b&gt; on fire" in page
    assert "<mark>printer</mark> in the office &lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x" not in page
    page = client.get("/t/acme/workspace/", {"q": "משרד"}).content.decode()
    assert "נשלח טכנאי <mark>למשרד</mark>" in page


def test_snippets_are_read_in_one_query_for_the_whole_page(
    client, acme, alice, bob, billing, django_assert_num_queries
):
    for n in range(3):
        ticket = make_ticket(acme, bob.user, billing, subject=f"Ticket {n}")
        add_comment(ticket=ticket, author=alice.user, body="The printer smokes")
    client.force_login(alice.user)
    client.get("/t/acme/workspace/?q=printer")
    counts = []
    from django.test.utils import CaptureQueriesContext

    for size in (1, 3):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/t/acme/workspace/?q=printer&page_size={size}")
        assert len(response.context["page"].rows) == size
        assert all(row["snippet"] for row in response.context["page"].rows)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# ------------------------------------------------------------------------ the shared rules


def test_hebrew_forms_drop_one_or_two_prefix_letters_leaving_two():
    assert word_forms("והמדפסת") == ["והמדפסת", "המדפסת", "מדפסת"]
    assert word_forms("במשרד") == ["במשרד", "משרד", "שרד"]
    assert word_forms("של") == ["של"]
    assert word_forms("סיסמה") == ["סיסמה"]
    assert word_forms("printer") == ["printer"]


def test_marked_pieces_follow_english_stems_and_hebrew_forms():
    pieces = marked_pieces("Printers charged; המדפסת במשרד!", query_words("printer charging משרד"))
    assert [p for p, matched in pieces if matched] == ["Printers", "charged", "במשרד"]
    assert "".join(p for p, _ in pieces) == "Printers charged; המדפסת במשרד!"


def test_a_snippet_is_cut_around_the_first_match():
    text = "word " * 100 + "the printer smokes " + "tail " * 100
    pieces = snippet(text, ["printer"])
    joined = "".join(p for p, _ in pieces)
    assert joined.startswith("…") and joined.endswith("…")
    assert ("printer", True) in pieces
    assert len(joined) < 200
    assert snippet(text, ["absent"]) == []


@on_postgres
def test_the_database_and_python_agree_on_hebrew_forms(acme, bob, billing):
    """helpdesk_search_document (SQL) and core.hebrew.word_forms compute the same forms."""
    words = ["והמדפסת", "במשרד", "של", "בית", "מלח", "הסיסמה", "כשהלכתי", "printer"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(helpdesk_search_document(%s))", [" ".join(words)])
        in_sql = set(cursor.fetchone()[0])
    in_python = {form for word in words for form in word_forms(word)}
    assert in_sql == in_python


@on_postgres
def test_the_search_expressions_are_those_the_gin_indexes_hold(acme, bob, billing):
    make_ticket(acme, bob.user, billing, subject="המדפסת")
    query = word_query("מדפסת")
    tickets = Ticket.objects.annotate(d=SearchDocument("subject", "description")).filter(d=query)
    comments = Comment.objects.annotate(d=SearchDocument("body")).filter(d=query)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            assert "ticket_search" in tickets.explain()
            assert "comment_search" in comments.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")


@on_postgres
def test_the_stop_words_left_out_are_postgresqls():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM unnest(%s::text[]) AS word "
            "WHERE numnode(plainto_tsquery('english', word)) = 0",
            [sorted(ENGLISH_STOP_WORDS)],
        )
        assert cursor.fetchone()[0] == len(ENGLISH_STOP_WORDS)
    assert query_words("the printer is on fire") == ["printer", "fire"]
    assert query_words("the") == ["the"]
