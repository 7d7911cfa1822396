"""Indexes for the workspace's default views, built without locking a big ticket table.

PostgreSQL builds them CONCURRENTLY (outside a transaction); other databases (SQLite for the
demo) build them the ordinary way.
"""

from django.db import migrations, models

from tickets.migrations._concurrently import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0003_full_text_search_indexes")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="ticket",
            index=models.Index(
                fields=["tenant", "queue", "-created_at"], name="ticket_queue_newest"
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="ticket",
            index=models.Index(fields=["tenant", "-created_at"], name="ticket_newest"),
        ),
    ]
