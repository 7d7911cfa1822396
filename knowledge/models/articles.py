"""Articles, their versions and categories, and how long an article stays fresh."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import Membership, Role
from accounts.tenancy import TenantOwned, TenantQuerySet
from core.hebrew import word_forms
from core.search import text_query

from .search import search_words


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
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
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
        """Articles matching any meaningful word, best first (full text on PostgreSQL), in
        English and Hebrew: a Hebrew word matches with or without its prefixes."""
        words = search_words(text)
        if not words:
            return self.none()
        if connection.vendor == "postgresql":
            query = text_query(words, every_word=False)
            return (
                self.filter(search_document=query)
                .annotate(rank=SearchRank(F("search_document"), query))
                .order_by("-rank", "title")
            )
        # SQLite: a word (any of its forms) in the title counts twice as much as in the body.
        matches, score = Q(), Value(0)
        for word in words:
            in_title = reduce(or_, (Q(title__icontains=form) for form in word_forms(word)))
            in_body = reduce(or_, (Q(body__icontains=form) for form in word_forms(word)))
            matches |= in_title | in_body
            score = score + Case(
                When(in_title, then=Value(2)),
                When(in_body, then=Value(1)),
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
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
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
