"""How people join a tenant: joining rules for sign-ups, invitations, and sign-ups waiting for
their address to be proved."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tenancy import TenantOwned, TenantQuerySet
from .roles import Role
from .tenants import Organization
from .users import User


class JoiningRuleQuerySet(TenantQuerySet):
    def in_order(self):
        return self.select_related("role", "organization").order_by("position", "pk")


class JoiningRule(TenantOwned):
    """How people may join a tenant by signing up. Ordered: the first rule that matches decides.

    A tenant without rules is invitation-only.
    """

    class Kind(models.TextChoices):
        DOMAIN = "domain", _("E-mail domain")
        OPEN = "open", _("Anyone")

    class Effect(models.TextChoices):
        ALLOW = "allow", _("Let them join")
        DENY = "deny", _("Turn them away")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    pattern = models.CharField(
        _("domain"),
        max_length=120,
        blank=True,
        help_text=_("For domain rules: the part after @, for example acme.com."),
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    # Only people whose identity provider puts this group in its "groups" claim (single
    # sign-on); empty: no condition.
    group = models.CharField(
        _("group"),
        max_length=120,
        blank=True,
        help_text=_("Only for people signing in with a provider that names this group."),
    )
    requires_approval = models.BooleanField(_("an admin must approve"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Deny rules are asked before every allow rule: "anyone but @rival.example".
    effect = models.CharField(
        _("effect"), max_length=5, choices=Effect.choices, default=Effect.ALLOW
    )
    # Temporary contractors: their membership ends this many days after they join.
    expires_after_days = models.PositiveIntegerField(
        _("memberships expire after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: they stay until an admin ends their membership."),
    )

    objects = JoiningRuleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        if self.kind == self.Kind.OPEN:
            text = str(_("Anyone → %(role)s") % {"role": self.role})
        else:
            text = str(
                _("@%(domain)s → %(role)s") % {"domain": self.pattern, "role": self.role.name}
            )
        if self.group:
            text = str(_("group %(group)s, %(rule)s") % {"group": self.group, "rule": text})
        return text

    def matches(self, email: str, groups=()) -> bool:
        """``groups``: the provider's groups claim at a single sign-on (none otherwise)."""
        if self.group and self.group not in groups:
            return False
        if self.kind == self.Kind.OPEN:
            return True
        return self._covers_domain(email.rsplit("@", 1)[-1])

    def covers(self, other: JoiningRule) -> bool:
        """Whether every address ``other`` matches is matched by this rule too."""
        if self.group and self.group != other.group:
            return False
        if self.kind == self.Kind.OPEN:
            return True
        return other.kind == self.Kind.DOMAIN and self._covers_domain(other.pattern)

    def _covers_domain(self, domain: str) -> bool:
        domain = domain.lower().lstrip("@")
        pattern = self.pattern.lower().lstrip("@")
        return domain == pattern or domain.endswith("." + pattern)

    @property
    def denies(self) -> bool:
        return self.effect == self.Effect.DENY

    @property
    def lets_staff_in_unchecked(self) -> bool:
        """Sign-ups become staff with no admin looking first: worth a second thought."""
        return not self.denies and self.role.allows("use_workspace") and not self.requires_approval


class InvitationQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(TenantOwned):
    """A single-use link that lets one person join with a role. Only the token's hash is kept."""

    email = models.EmailField(_("e-mail"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The invitations page: a tenant's newest first.
            models.Index(fields=["tenant", "-created_at"], name="invitation_recent"),
        ]

    def __str__(self):
        return self.email

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class SignUpQuerySet(TenantQuerySet):
    def of_address(self, email: str):
        return self.filter(email=email.lower())  # stored lower-cased, as check_address gives it

    def unused_since(self, moment):
        """Never followed, and asked for before ``moment``: their links can no longer work."""
        return self.filter(verified_at__isnull=True, created_at__lt=moment)


class SignUp(TenantOwned):
    """A request to join a tenant that waits for its address to be proved.

    No account exists for a new person until the link is followed (the password waits here,
    hashed); a signed-in person joining with an address never proved is ``user``. Accounts
    that already exist only get a notice (``kind`` existing), never a link.
    """

    class Kind(models.TextChoices):
        NEW = "new", _("New account")
        JOIN = "join", _("Signed-in person joining")
        EXISTING = "existing", _("Address already has an account")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    name = models.CharField(max_length=150, blank=True)
    password = models.CharField(max_length=128, blank=True)  # a hash, as User.password
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    mails_sent = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The per-address mail limit: recent sign-ups of one address.
            models.Index(fields=["email", "-created_at"], name="signup_recent_by_address"),
        ]

    def __str__(self):
        return self.email
