"""Indexes for incremental metrics runs (tickets solved and ratings given on given days).

Built CONCURRENTLY on PostgreSQL, as in 0004, so that a big ticket table stays writable.
"""

from django.db import migrations, models

from tickets.migrations._concurrently import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0004_workspace_list_indexes")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="rating",
            index=models.Index(fields=["tenant", "created_at"], name="rating_given"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("solved_at__isnull", False)),
                fields=["tenant", "solved_at"],
                name="ticket_solved",
            ),
        ),
    ]
