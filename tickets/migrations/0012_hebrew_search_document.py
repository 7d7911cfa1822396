"""Search in English and Hebrew: the search document function and its GIN indexes.

``helpdesk_search_document(text)`` is the ``english`` tsvector of the text plus, for every
Hebrew word that starts with prefix letters (ה ו ב ל מ ש כ), the word without one and without
two of them (at least two letters left): core.hebrew.word_forms is its Python twin, and
core.search.SearchDocument writes exactly the expressions indexed here. It needs no extension
and no dictionary file on the server (a Hunspell dictionary would: see docs/architecture.md).

The indexes replace those of 0003 and are built CONCURRENTLY (atomic = False): the ticket and
comment tables are the biggest. Other databases (SQLite for the demo) get nothing: their
search is icontains over the same forms.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION helpdesk_search_document(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
SELECT to_tsvector('english'::regconfig, document) || array_to_tsvector(ARRAY(
    SELECT DISTINCT cut.form
    FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, document))) AS word
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN word ~ '^[והבלמשכ][א-ת]{2,}$' THEN substr(word, 2) END),
        (CASE WHEN word ~ '^[והבלמשכ]{2}[א-ת]{2,}$' THEN substr(word, 3) END)
    ) AS cut(form)
    WHERE word ~ '^[והבלמשכ]' AND cut.form IS NOT NULL
))
$$
"""
TICKET = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_search ON tickets_ticket USING GIN "
    "(helpdesk_search_document(COALESCE(subject, '') || ' ' || COALESCE(description, '')))"
)
COMMENT = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS comment_search ON tickets_comment USING GIN "
    "(helpdesk_search_document(COALESCE(body, '')))"
)
OLD_TICKET = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_fts ON tickets_ticket USING GIN "
    "(to_tsvector('english'::regconfig, COALESCE(subject, '') || ' ' || COALESCE(description, '')))"
)
OLD_COMMENT = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS comment_fts ON tickets_comment USING GIN "
    "(to_tsvector('english'::regconfig, COALESCE(body, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(TICKET)
    schema_editor.execute(COMMENT)
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS ticket_fts")
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS comment_fts")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_TICKET)
    schema_editor.execute(OLD_COMMENT)
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS ticket_search")
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS comment_search")
    # The articles' stored documents (knowledge 0005) are computed with it: it stays.


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0011_queue_assignment_event_reasons")]

    operations = [migrations.RunPython(create, drop)]
