"""GIN indexes for the workspace's full-text search (PostgreSQL only; SQLite uses icontains).

The expressions are exactly those Django writes for TicketQuerySet.search, so the planner
can use them: SearchVector(..., config="english") compiles to to_tsvector + COALESCE.
"""

from django.db import migrations

TICKET = (
    "CREATE INDEX IF NOT EXISTS ticket_fts ON tickets_ticket USING GIN "
    "(to_tsvector('english'::regconfig, COALESCE(subject, '') || ' ' || COALESCE(description, '')))"
)
COMMENT = (
    "CREATE INDEX IF NOT EXISTS comment_fts ON tickets_comment USING GIN "
    "(to_tsvector('english'::regconfig, COALESCE(body, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TICKET)
    schema_editor.execute(COMMENT)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ticket_fts")
    schema_editor.execute("DROP INDEX IF EXISTS comment_fts")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_events_comments_saved_filters_notifications")]

    operations = [migrations.RunPython(create, drop)]
