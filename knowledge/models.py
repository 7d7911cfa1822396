"""Articles, onboarding checklists, deflections, announcements, ideas and kudos: data and reads."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import Membership, Role
from accounts.tenancy import TenantOwned, TenantQuerySet
from tickets.models import Rating

SEARCH_CONFIG = "english"
# Words too common to say anything about an article (the SQLite fallback has no stemmer).
STOP_WORDS = set(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "had",
        "not",
        "but",
        "you",
        "your",
        "our",
        "are",
        "was",
        "were",
        "can",
        "could",
        "how",
        "what",
        "when",
        "where",
        "why",
        "who",
        "will",
        "would",
        "into",
        "out",
        "about",
        "there",
        "their",
        "them",
        "they",
        "its",
        "it's",
        "dont",
        "don't",
        "cant",
        "can't",
        "does",
        "did",
        "doing",
        "been",
        "being",
        "please",
        "thanks",
        "thank",
        "hello",
        "help",
        "need",
        "want",
        "get",
        "got",
        "just",
        "also",
        "any",
        "all",
        "some",
    ]
)
WORD = re.compile(r"[\w']{3,}", re.UNICODE)


def search_words(text: str, limit: int = 8) -> list[str]:
    """The distinct, meaningful words of what someone typed, in order."""
    words: list[str] = []
    for word in WORD.findall((text or "").lower()):
        if word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:limit]


class KnowledgeSettings(TenantOwned):
    """One row per tenant: how long an article stays fresh without a review."""

    stale_after_days = models.PositiveIntegerField(
        _("flag articles as stale after (days without review)"), default=180
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="knowledge_settings_one_per_tenant")
        ]

    def __str__(self):
        return f"knowledge settings of {self.tenant_id}"

    @classmethod
    def for_tenant(cls, tenant) -> KnowledgeSettings:
        found, _created = cls.objects.get_or_create(tenant=tenant)
        return found


class Category(TenantOwned):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="category_slug_unique")
        ]

    def __str__(self):
        return self.name


class ArticleQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership | None):
        """The audience rule, the only one: lists, search, suggestions, API and picker use it.

        Writers (manage_articles) see every article, drafts included. Other staff see published
        articles for everyone, for customers and for staff; customers see those for everyone and
        for customers; anyone sees the articles aimed at their own role.
        """
        if member is None or not member.is_active:
            return self.none()
        articles = self.for_tenant(member.tenant)
        if can(member, "manage_articles"):
            return articles
        audiences = [Article.Audience.PUBLIC, Article.Audience.CUSTOMERS]
        if can(member, "view_staff_content"):
            audiences.append(Article.Audience.STAFF)
        for_my_role = Exists(
            Article.roles.through.objects.filter(article_id=OuterRef("pk"), role_id=member.role_id)
        )
        return articles.filter(is_published=True).filter(
            Q(audience__in=audiences) | (Q(audience=Article.Audience.ROLES) & for_my_role)
        )

    def search(self, text: str):
        """Articles matching any meaningful word, best first (full text on PostgreSQL)."""
        words = search_words(text)
        if not words:
            return self.none()
        if connection.vendor == "postgresql":
            query = SearchQuery(words[0], config=SEARCH_CONFIG)
            for word in words[1:]:
                query |= SearchQuery(word, config=SEARCH_CONFIG)
            return (
                self.filter(search_document=query)
                .annotate(rank=SearchRank(F("search_document"), query))
                .order_by("-rank", "title")
            )
        # SQLite: a word in the title counts twice as much as one in the body.
        matches, score = Q(), Value(0)
        for word in words:
            matches |= Q(title__icontains=word) | Q(body__icontains=word)
            score = score + Case(
                When(title__icontains=word, then=Value(2)),
                When(body__icontains=word, then=Value(1)),
                default=Value(0),
            )
        return self.filter(matches).annotate(rank=score).order_by("-rank", "title")

    def stale(self, *, now=None, stale_after_days: int):
        now = now or timezone.now()
        return self.filter(reviewed_at__lt=now - timedelta(days=stale_after_days))

    def with_list_columns(self):
        return self.select_related("category", "owner")


class Article(TenantOwned):
    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        CUSTOMERS = "customers", _("Customers")
        STAFF = "staff", _("Staff")
        ROLES = "roles", _("Chosen roles")

    # Paths under /kb/ that are pages, not articles.
    RESERVED_SLUGS = frozenset({"manage", "suggest", "deflect"})

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    body = models.TextField(
        _("body"),
        max_length=100_000,
        help_text=_(
            "Markdown. An image from another server, ![description](https://…), shows as a "
            "link to it. A YouTube or Vimeo link alone on a line becomes a video player; any "
            "other link stays a link."
        ),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    roles = models.ManyToManyField(
        Role, blank=True, related_name="+", verbose_name=_("roles (for “Chosen roles”)")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(_("last reviewed"), default=timezone.now)
    # The stale job stamps this so that an owner is reminded once per stale period.
    stale_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept up to date by knowledge.services on PostgreSQL (GIN index, see migrations).
    search_document = SearchVectorField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="article_slug_unique")
        ]
        indexes = [
            # The stale job: a tenant's articles by last review.
            models.Index(fields=["tenant", "reviewed_at"], name="article_review"),
        ]

    def __str__(self):
        return self.title

    def is_stale(self, stale_after_days: int, now=None) -> bool:
        now = now or timezone.now()
        return self.reviewed_at < now - timedelta(days=stale_after_days)

    def review_due(self, stale_after_days: int):
        return self.reviewed_at + timedelta(days=stale_after_days)


class ArticleVersion(TenantOwned):
    """One saved state of an article: who changed what, when. Never edited."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=100_000)
    audience = models.CharField(max_length=10, choices=Article.Audience.choices)
    role_keys = models.JSONField(default=list)
    category_name = models.CharField(max_length=80, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")
        ]

    def __str__(self):
        return f"{self.article_id} v{self.number}"


class OnboardingQuerySet(TenantQuerySet):
    def with_articles(self):
        return self.select_related("role").prefetch_related("articles")


class OnboardingChecklist(TenantOwned):
    """The guides a newcomer of one role must read and acknowledge within a few days."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    due_within_days = models.PositiveIntegerField(_("to complete within (days)"), default=14)
    articles = models.ManyToManyField(Article, blank=True, related_name="+")
    # People who joined before the checklist existed get the same number of days from here.
    created_at = models.DateTimeField(default=timezone.now)

    objects = OnboardingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "role"], name="onboarding_one_per_role")
        ]

    def __str__(self):
        return f"onboarding for {self.role}"


class Acknowledgement(TenantOwned):
    """A member read a guide and said so."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "article"], name="acknowledge_once")
        ]

    def __str__(self):
        return f"{self.membership_id} read {self.article_id}"


class DeflectionQuerySet(TenantQuerySet):
    def between(self, start, end):
        """Deflections on these dates (inclusive)."""
        return self.filter(created_at__date__gte=start, created_at__date__lte=end)

    def most_useful_articles(self, limit: int = 5):
        return (
            self.values("article_id", "article__title", "article__slug")
            .annotate(n=Count("id"))
            .order_by("-n", "article__title")[:limit]
        )


class Deflection(TenantOwned):
    """A customer said an article solved their problem: a request that was never opened."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "created_at"], name="deflection_recent")]

    def __str__(self):
        return f"deflected by {self.article_id}"


class AnnouncementQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership | None):
        """Published announcements for everyone or for the member's role."""
        if member is None or not member.is_active:
            return self.none()
        for_my_role = Exists(
            Announcement.roles.through.objects.filter(
                announcement_id=OuterRef("pk"), role_id=member.role_id
            )
        )
        return self.for_tenant(member.tenant).filter(
            Q(audience=Announcement.Audience.EVERYONE) | for_my_role
        )

    def unread_by(self, member: Membership):
        return self.exclude(
            Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), membership=member))
        )

    def with_read_state(self, member: Membership):
        return (
            self.select_related("author")
            .annotate(
                is_read=Exists(
                    AnnouncementRead.objects.filter(announcement=OuterRef("pk"), membership=member)
                ),
                n_reads=Count("reads", distinct=True),
            )
            .order_by("-published_at", "-pk")
        )


class Announcement(TenantOwned):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        ROLES = "roles", _("Chosen roles")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=20_000, help_text=_("Markdown."))
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="+", verbose_name=_("roles"))
    send_email = models.BooleanField(_("also send by e-mail"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "-published_at"], name="announcement_recent")]

    def __str__(self):
        return self.title


class AnnouncementRead(TenantOwned):
    """A member read (or dismissed) an announcement: the banner goes away for them."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "membership"], name="read_once")
        ]

    def __str__(self):
        return f"{self.membership_id} read {self.announcement_id}"


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


class ThankYouNoteQuerySet(TenantQuerySet):
    def for_agent(self, user):
        return self.filter(to_user=user).select_related("from_user")


class ThankYouNote(TenantOwned):
    """A supervisor thanks an agent; shown on the agent's kudos page and in the weekly wins."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThankYouNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "to_user", "-created_at"], name="thanks_agent")]

    def __str__(self):
        return f"thanks to {self.to_user_id}"


def kudos_ratings(tenant):
    """Good ratings with a comment: the kudos an agent earned (Rating.agent)."""
    return Rating.objects.for_tenant(tenant).filter(score__gte=4).exclude(comment="")


class DigestSent(TenantOwned):
    """A periodic e-mail went out for this tenant and period: the beat jobs send each once."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly digest")
        WINS = "wins", _("weekly wins")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "period_start"], name="digest_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.period_start}"


class ChecklistStatus:
    """One member's onboarding checklist: its guides, which are read, and whether it is late."""

    def __init__(self, member: Membership, checklist: OnboardingChecklist, read: dict, now):
        self.member = member
        self.checklist = checklist
        self.articles = list(checklist.articles.all())
        self.read = {a.pk: read[a.pk] for a in self.articles if a.pk in read}
        start = max(member.joined_at, checklist.created_at)
        self.due_at = start + timedelta(days=checklist.due_within_days)
        self.now = now

    @property
    def items(self):
        return [(article, self.read.get(article.pk)) for article in self.articles]

    @property
    def done(self) -> int:
        return len(self.read)

    @property
    def total(self) -> int:
        return len(self.articles)

    @property
    def is_complete(self) -> bool:
        return self.done >= self.total

    @property
    def is_late(self) -> bool:
        return not self.is_complete and self.now > self.due_at

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


def onboarding_status(member: Membership, *, now) -> ChecklistStatus | None:
    """The member's checklist (three queries), or None when their role has none or it is empty."""
    # Only the guides the member may read: a checklist never names an article hidden from them.
    checklist = (
        OnboardingChecklist.objects.for_tenant(member.tenant)
        .filter(role_id=member.role_id)
        .prefetch_related(Prefetch("articles", queryset=Article.objects.visible_to(member)))
        .first()
    )
    if checklist is None or not checklist.articles.all():
        return None
    read = dict(
        Acknowledgement.objects.for_tenant(member.tenant)
        .filter(membership=member)
        .values_list("article_id", "acknowledged_at")
    )
    return ChecklistStatus(member, checklist, read, now)


def onboarding_overview(tenant, *, now) -> list[ChecklistStatus]:
    """Every active member whose role has a checklist, with progress: a constant few queries."""
    checklists = {
        c.role_id: c for c in OnboardingChecklist.objects.for_tenant(tenant).with_articles()
    }
    members = list(
        Membership.objects.for_tenant(tenant)
        .active()
        .filter(role_id__in=list(checklists))
        .select_related("user", "role", "tenant")
        .order_by("role_id", "joined_at")
    )
    read: dict[int, dict] = {}
    for membership_id, article_id, at in (
        Acknowledgement.objects.for_tenant(tenant)
        .filter(membership__in=[m.pk for m in members])
        .values_list("membership_id", "article_id", "acknowledged_at")
    ):
        read.setdefault(membership_id, {})[article_id] = at
    return [ChecklistStatus(m, checklists[m.role_id], read.get(m.pk, {}), now) for m in members]


# --------------------------------------------------------------- the banner's cached answer


def announcements_version(tenant_id: int) -> str:
    """The version name of what the banner reads: the tenant's announcements and their reads."""
    return f"announcements:{tenant_id}"


def _announcements_changed(sender, instance, **kwargs) -> None:
    from helpdesk.versions import bump

    bump(announcements_version(instance.tenant_id))


def _audience_changed(sender, instance, action, **kwargs) -> None:
    """An announcement's roles set, added to or cleared (instance: the announcement)."""
    from helpdesk.versions import bump

    if action.startswith("post_"):
        bump(announcements_version(instance.tenant_id))


def _audience_row_deleted(sender, instance, **kwargs) -> None:
    """A role removed from an announcement's audience (a role deleted takes its rows along)."""
    from helpdesk.versions import bump

    tenant_id = Announcement.objects.filter(pk=instance.announcement_id).values("tenant_id")
    for row in tenant_id:
        bump(announcements_version(row["tenant_id"]))


for _model in (Announcement, AnnouncementRead):
    post_save.connect(_announcements_changed, sender=_model, dispatch_uid=f"kb-{_model.__name__}")
    post_delete.connect(
        _announcements_changed, sender=_model, dispatch_uid=f"kb-del-{_model.__name__}"
    )
m2m_changed.connect(_audience_changed, sender=Announcement.roles.through, dispatch_uid="kb-roles")
post_delete.connect(
    _audience_row_deleted, sender=Announcement.roles.through, dispatch_uid="kb-roles-del"
)


# ------------------------------------------------- the dashboard's cached deflection figures


def deflections_version(tenant_id: int) -> str:
    """The version name of the dashboard's deflection figures: deflections and their articles."""
    return f"deflections:{tenant_id}"


def _deflections_changed(sender, instance, **kwargs) -> None:
    from helpdesk.versions import bump

    bump(deflections_version(instance.tenant_id))


for _model in (Deflection, Article):
    post_save.connect(_deflections_changed, sender=_model, dispatch_uid=f"kb-d-{_model.__name__}")
    post_delete.connect(
        _deflections_changed, sender=_model, dispatch_uid=f"kb-d-del-{_model.__name__}"
    )
