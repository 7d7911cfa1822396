"""API tokens: a person's named, expiring API keys."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .users import User


class ApiTokenQuerySet(models.QuerySet):
    def of(self, user: User) -> ApiTokenQuerySet:
        return self.filter(user=user)


class ApiToken(models.Model):
    """A named API key of one person. Only its SHA-256 is kept (accounts.tokens); the first
    characters are kept to tell tokens apart on the list."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The user's session hash when issued: a changed password no longer matches it.
    password_state = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Issued after a second factor (a code with the password, or in a verified session): only
    # such tokens work in a helpdesk that requires two-factor sign-in of its staff.
    second_factor = models.BooleanField(default=False, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # One's own tokens, newest first (the key itself is found by key_hash's unique index).
            models.Index(fields=["user", "-created_at"], name="apitoken_of_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
