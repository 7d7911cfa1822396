"""Team views (saved views shared with roles or queues), the "customer replied" marker kept on
the ticket, and the index the "Priority" column's sort needs (its rank, then the id).

The index is built CONCURRENTLY on PostgreSQL (outside a transaction, hence ``atomic = False``);
the new column is nullable, so adding it rewrites nothing. The marker of the tickets not yet
closed is filled in batches of ids, each its own statement.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Q, Subquery

from tickets.migrations._concurrently import AddIndexConcurrentlyOnPostgres

BATCH = 20_000


def fill_customer_replied(apps, schema_editor):
    """The requester side's first public reply after the helpdesk's last public reply."""
    Ticket = apps.get_model("tickets", "Ticket")
    Comment = apps.get_model("tickets", "Comment")
    Membership = apps.get_model("accounts", "Membership")
    staff = Membership.objects.filter(
        tenant_id=OuterRef("tenant_id"), user_id=OuterRef("author_id")
    ).exclude(role__scope="own")
    public = Comment.objects.filter(is_public=True).annotate(_staff=Exists(staff))
    for_helpdesk = Q(_staff=True) & ~Q(author_id=F("ticket__requester_id"))
    last_answer = (
        public.filter(for_helpdesk, ticket_id=OuterRef("ticket_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waiting = (
        public.filter(ticket_id=OuterRef("pk"))
        .exclude(for_helpdesk)
        .annotate(_answered=Subquery(last_answer))
        .filter(Q(_answered__isnull=True) | Q(created_at__gt=F("_answered")))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    tickets = Ticket.objects.exclude(status="closed")
    last = tickets.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last + 1, BATCH):
        batch = tickets.filter(pk__gte=start, pk__lt=start + BATCH)
        batch.update(customer_replied_at=Subquery(waiting))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0009_admins_manage_team_views"),
        ("tickets", "0012_hebrew_search_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="savedfilter", name="saved_filter_name_unique"),
        migrations.AddField(
            model_name="savedfilter",
            name="is_team",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="savedfilter",
            name="shared_with_queues",
            field=models.ManyToManyField(blank=True, related_name="+", to="tickets.queue"),
        ),
        migrations.AddField(
            model_name="savedfilter",
            name="shared_with_roles",
            field=models.ManyToManyField(blank=True, related_name="+", to="accounts.role"),
        ),
        migrations.AddConstraint(
            model_name="savedfilter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_team", False)),
                fields=("tenant", "owner", "name"),
                name="saved_filter_name_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="savedfilter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_team", True)),
                fields=("tenant", "name"),
                name="team_view_name_unique",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="customer_replied_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill_customer_replied, migrations.RunPython.noop),
        AddIndexConcurrentlyOnPostgres(
            model_name="ticket",
            index=models.Index(
                models.F("tenant"),
                models.Case(
                    models.When(priority="low", then=models.Value(0)),
                    models.When(priority="normal", then=models.Value(1)),
                    models.When(priority="high", then=models.Value(2)),
                    models.When(priority="urgent", then=models.Value(3)),
                    output_field=models.IntegerField(),
                ),
                models.F("id"),
                name="ticket_priority",
            ),
        ),
    ]
