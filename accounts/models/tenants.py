"""Tenants (one helpdesk each) and the customer organizations inside them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tenancy import TenantOwned


class Tenant(models.Model):
    """One helpdesk. Tenants are public by slug: each has a portal people can find."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    agents_work_all_queues = models.BooleanField(
        _("agents work every queue"),
        default=False,
        help_text=_("Otherwise each agent works only the queues granted to them."),
    )
    customers_see_organization_tickets = models.BooleanField(
        _("customers see their organization's requests"), default=False
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close solved tickets after (days)"),
        default=4,
        help_text=_("Solved tickets close by themselves after this many days; 0: never."),
    )
    two_factor_required_for_staff = models.BooleanField(
        _("require two-factor sign-in for staff"),
        default=False,
        help_text=_(
            "Staff must add an authenticator app and give its code when signing in before "
            "they use this helpdesk, and their API tokens must be issued with a code."
        ),
    )
    # Kept by accounts.services.sso: some identity provider of the tenant is required for
    # staff. On the row so that the tenant door knows it from the query it makes anyway.
    staff_sign_in_with_sso = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class Organization(TenantOwned):
    """A customer company inside a tenant."""

    name = models.CharField(_("name"), max_length=160)
    domain = models.CharField(_("e-mail domain"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="organization_name_unique")
        ]

    def __str__(self):
        return self.name
