"""Articles' stored search documents again, with the Hebrew forms of their words.

knowledge.services keeps ``search_document`` up to date on every save with
``helpdesk_search_document`` (tickets 0010); the articles saved before it get theirs here.
PostgreSQL only: SQLite searches titles and bodies with icontains.
"""

from django.db import migrations

FORWARD = (
    "UPDATE knowledge_article SET search_document = "
    "setweight(helpdesk_search_document(COALESCE(title, '')), 'A') || "
    "setweight(helpdesk_search_document(COALESCE(body, '')), 'B')"
)
BACKWARD = (
    "UPDATE knowledge_article SET search_document = "
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')"
)


def refresh(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0005_unicode_slugs"),
        ("tickets", "0012_hebrew_search_document"),
    ]

    operations = [migrations.RunPython(refresh, restore)]
