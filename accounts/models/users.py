"""People: the user model, global to the installation, and how an e-mail address compares."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normal_address(email: str | None) -> str:
    """An e-mail address as we compare it: look-alike letters folded (a full-width "ｍ" is
    the "m" the mail is delivered to), spaces trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # E-mail is the login and is compared case-insensitively.
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra):
        user = self.model(email=normal_address(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, global to the installation; what they may do is per tenant (Membership)."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May use the Django admin."))
    date_joined = models.DateTimeField(default=timezone.now)
    # When the owner of the address proved it (a sign-up link, an invitation link, or the
    # operator's word). Joining rules admit no one before.
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name or self.email).split(" ")[0]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None
