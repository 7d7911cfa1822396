"""Roles: which actions a role allows and how far it sees tickets."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..actions import ACTIONS, BUILTIN_ROLES, SCOPE_OWN, SCOPES
from ..tenancy import TenantOwned


class Role(TenantOwned):
    """A role template: which actions it allows and how far it sees tickets."""

    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list)
    scope = models.CharField(_("ticket scope"), max_length=10, choices=SCOPES, default=SCOPE_OWN)
    is_builtin = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="role_key_unique")]

    def __str__(self):
        return self._in_readers_language("name")

    @property
    def about(self) -> str:
        """The plain description of what this role may and may not do, translated if built-in."""
        return self._in_readers_language("description")

    def _in_readers_language(self, field: str) -> str:
        # A built-in role's own wording speaks the reader's language; what an admin wrote
        # (a custom role, or a built-in one renamed) stays as written.
        stored = getattr(self, field)
        template = BUILTIN_ROLES.get(self.key) if self.is_builtin else None
        if template is not None:
            with translation.override("en"):
                untouched = stored == str(template[field])
            if untouched:
                return str(template[field])
        return stored

    def allows(self, action: str) -> bool:
        return action in self.permissions

    @property
    def is_staff(self) -> bool:
        return self.scope != SCOPE_OWN

    def permission_labels(self):
        return [ACTIONS[a] for a in ACTIONS if a in self.permissions]
