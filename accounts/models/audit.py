"""The audit log: who changed what, append-only."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ..tenancy import TenantOwned, TenantQuerySet
from .users import User


class AuditEntryQuerySet(TenantQuerySet):
    # Append-only: the audit log cannot be rewritten through the ORM's bulk paths either.
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(TenantOwned):
    """Who changed what, when, before and after. Written once by record_audit, never edited."""

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="audit_recent")]

    def __str__(self):
        return f"{self.action} {self.target_repr}"

    @property
    def action_words(self) -> str:
        from ..audit_words import describe

        return describe(self.action)

    @property
    def subject(self) -> str:
        return self.action.partition(".")[0]

    @property
    def before_words(self) -> list[tuple[str, str]]:
        from ..audit_words import in_words

        return in_words(self.before, self.subject)

    @property
    def after_words(self) -> list[tuple[str, str]]:
        from ..audit_words import in_words

        return in_words(self.after, self.subject)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
