from __future__ import annotations

import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS, BUILTIN_ROLES, SCOPE_ALL, SCOPE_OWN, SCOPE_QUEUES, SCOPES
from .tenancy import TenantOwned, TenantQuerySet


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


class MembershipQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def staff(self):
        return self.exclude(role__scope=SCOPE_OWN)

    def admins(self):
        return self.active().filter(role__key="admin")

    def held_by(self, user):
        """A person's memberships in every helpdesk: the one read not scoped to a tenant, for
        the caller's own list (GET /api/v1/me/)."""
        return self.filter(user=user).select_related("tenant", "role").order_by("tenant__slug")


class Membership(TenantOwned):
    """A user's place in one tenant: their role, organization and standing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        ACTIVE = "active", _("Active")
        DEACTIVATED = "deactivated", _("Deactivated")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique")]
        indexes = [
            # People directory: one tenant's members filtered by status.
            models.Index(fields=["tenant", "status"], name="membership_directory"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role.key})"  # what the audit log names it by

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role.key == "admin"

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role.is_staff

    @property
    def sees_all_tickets(self) -> bool:
        return self.role.scope == SCOPE_ALL

    @property
    def works_queues(self) -> bool:
        return self.role.scope == SCOPE_QUEUES


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
        from .audit_words import describe

        return describe(self.action)

    @property
    def before_words(self) -> list[tuple[str, str]]:
        from .audit_words import in_words

        return in_words(self.before)

    @property
    def after_words(self) -> list[tuple[str, str]]:
        from .audit_words import in_words

        return in_words(self.after)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


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
    requires_approval = models.BooleanField(_("an admin must approve"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = JoiningRuleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        if self.kind == self.Kind.OPEN:
            return str(_("Anyone → %(role)s") % {"role": self.role})
        return str(_("@%(domain)s → %(role)s") % {"domain": self.pattern, "role": self.role.name})

    def matches(self, email: str) -> bool:
        if self.kind == self.Kind.OPEN:
            return True
        return self._covers_domain(email.rsplit("@", 1)[-1])

    def covers(self, other: JoiningRule) -> bool:
        """Whether every address ``other`` matches is matched by this rule too."""
        if self.kind == self.Kind.OPEN:
            return True
        return other.kind == self.Kind.DOMAIN and self._covers_domain(other.pattern)

    def _covers_domain(self, domain: str) -> bool:
        domain = domain.lower().lstrip("@")
        pattern = self.pattern.lower().lstrip("@")
        return domain == pattern or domain.endswith("." + pattern)

    @property
    def lets_staff_in_unchecked(self) -> bool:
        """Sign-ups become staff with no admin looking first: worth a second thought."""
        return self.role.allows("use_workspace") and not self.requires_approval


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


class AccessRequestQuerySet(TenantQuerySet):
    def pending(self):
        return self.filter(status=AccessRequest.Status.PENDING)


class AccessRequest(TenantOwned):
    """A member asks an admin to lift a refusal (by a role change or a queue grant)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="access_requests"
    )
    action = models.CharField(_("action"), max_length=40)
    # The ticket the refusal was about, by its number (tickets live in another app).
    ticket_number = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(_("why it was refused"), blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The approvals page: a tenant's waiting requests.
            models.Index(fields=["tenant", "status"], name="access_request_waiting"),
        ]

    def __str__(self):
        return f"{self.membership.user} asks to {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


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

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # One's own tokens, newest first (the key itself is found by key_hash's unique index).
            models.Index(fields=["user", "-created_at"], name="apitoken_of_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


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
