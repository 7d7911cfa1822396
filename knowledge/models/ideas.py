"""The ideas box: ideas, their audience, answers and votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import Membership
from accounts.tenancy import TenantOwned, TenantQuerySet


class IdeaQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership | None):
        """The ideas box a member reads: staff see every idea, customers those for everyone."""
        if member is None or not member.is_active:
            return self.none()
        ideas = self.for_tenant(member.tenant)
        if can(member, "view_staff_content"):
            return ideas
        return ideas.filter(audience=Idea.Audience.EVERYONE)

    def with_votes(self, member: Membership):
        """With the vote count, the member's own vote, and whether the author may be named to
        them: a customer is never shown another customer's name (staff and themselves, yes)."""
        if can(member, "view_staff_content"):
            named = Value(True)
        else:
            staff_author = Membership.objects.filter(
                tenant_id=OuterRef("tenant_id"), user_id=OuterRef("author_id")
            ).staff()
            named = ExpressionWrapper(
                Q(author_id=member.user_id) | Exists(staff_author), output_field=BooleanField()
            )
        return (
            self.select_related("author", "answered_by")
            .annotate(
                n_votes=Count("votes", distinct=True),
                voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), membership=member)),
                author_named=named,
            )
            .order_by("-created_at", "-pk")
        )


class Idea(TenantOwned):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        STAFF = "staff", _("Staff only")

    title = models.CharField(_("idea"), max_length=200)
    body = models.TextField(_("details"), max_length=5000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    # Staff ideas are about how the team works: customers never see them (IdeaQuerySet).
    audience = models.CharField(
        _("who sees it"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class IdeaVote(TenantOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "membership"], name="one_vote_per_member")
        ]

    def __str__(self):
        return f"{self.membership_id} +1 {self.idea_id}"
