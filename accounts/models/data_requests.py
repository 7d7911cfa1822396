"""A person's data on request (GDPR articles 15, 17 and 20): an export of everything a tenant
holds about them, or their erasure from that tenant, run by Celery with its progress kept."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tenancy import TenantOwned, TenantQuerySet
from .users import User


def data_request_path(request: DataRequest, filename: str) -> str:
    # A generated name: the archive is only ever served through the permission check.
    return f"data-requests/{request.tenant_id}/{request.pk}-{timezone.now():%Y%m%d%H%M%S}.zip"


class DataRequestQuerySet(TenantQuerySet):
    def about(self, person: User):
        return self.filter(person=person)

    def newest_first(self):
        return self.select_related("requested_by").order_by("-created_at", "-pk")


class DataRequest(TenantOwned):
    """One export or erasure of one person in one tenant, and how far it has got."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    # Erasure: whether the text of their comments stays (under the placeholder's name).
    keeps_comments = models.BooleanField(default=True)
    # Erasure: who stands in for them in this tenant from now on (kept, so a rerun uses it).
    placeholder = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=data_request_path, max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # the download's

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The person page's section and the export endpoint: one person's requests.
            models.Index(fields=["tenant", "person", "-created_at"], name="data_request_person"),
        ]

    def __str__(self):
        return f"{self.kind} of {self.person_id}"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.kind == self.Kind.EXPORT
            and self.status == self.Status.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )
