"""A tenant's staff as the ticket pages show them: kept in the cache until people change.

The workspace's assignee lists and the ticket timeline's names read the tenant's staff on
every page: a scan of every membership (customers included, thousands of them) joined to
their users. The lists are kept under a version of the tenant's people, which any change of a
membership, a role or a member's user bumps (the signals below), so a page reads one cache
entry while nobody changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from core.versions import bump, cached

from .models import Membership, Role, User


@dataclass(frozen=True)
class StaffMember:
    """What a list shows of a staff member: the user's id, name and e-mail."""

    pk: int
    name: str
    email: str

    def get_full_name(self) -> str:
        return self.name or self.email  # as User.get_full_name


def staff_version(tenant_id: int) -> str:
    return f"staff:{tenant_id}"


def active_staff(tenant) -> list[StaffMember]:
    """The tenant's active staff, by name then e-mail (whom tickets may be assigned to)."""

    def read():
        users = User.objects.filter(
            pk__in=Membership.objects.for_tenant(tenant).active().staff().values("user_id")
        ).order_by("name", "email")
        return [StaffMember(*row) for row in users.values_list("pk", "name", "email")]

    return cached(staff_version(tenant.pk), f"staff:active:{tenant.pk}", read)


def staff_names(tenant) -> dict[str, str]:
    """E-mail -> name of everyone who is or was staff here (the timeline keeps e-mails)."""

    def read():
        return dict(
            User.objects.filter(
                pk__in=Membership.objects.for_tenant(tenant).staff().values("user_id")
            ).values_list("email", "name")
        )

    return cached(staff_version(tenant.pk), f"staff:names:{tenant.pk}", read)


def _tenant_changed(sender, instance, **kwargs) -> None:
    bump(staff_version(instance.tenant_id))


def _user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # a sign-in or a new password: nothing a list shows
    for tenant_id in Membership.objects.filter(user_id=instance.pk).values_list(
        "tenant_id", flat=True
    ):
        bump(staff_version(tenant_id))


for _model in (Membership, Role):
    post_save.connect(_tenant_changed, sender=_model, dispatch_uid=f"staff-{_model.__name__}")
    post_delete.connect(_tenant_changed, sender=_model, dispatch_uid=f"staff-d-{_model.__name__}")
post_save.connect(_user_changed, sender=User, dispatch_uid="staff-user")
