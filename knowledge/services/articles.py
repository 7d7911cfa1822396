"""Articles: saving (each save a version), restoring, reviewing, categories, settings, and
the stale reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Role, Tenant, User
from accounts.services import record_audit
from core.mail import subject_line

from ..models import (
    Article,
    ArticleVersion,
    Category,
    KnowledgeSettings,
    article_document,
)
from .base import KnowledgeError, _absolute


def _unique_slug(tenant: Tenant, title: str, exclude_pk=None) -> str:
    # Letters of every script: a Hebrew title gets a Hebrew slug, not "article", "article-2".
    base = slugify(title, allow_unicode=True)[:180].strip("-") or "article"
    if base in Article.RESERVED_SLUGS:
        base = f"{base}-article"
    taken = set(
        Article.objects.for_tenant(tenant)
        .filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _refresh_search_document(article: Article) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite searches title and body with icontains
    Article.objects.filter(pk=article.pk).update(search_document=article_document())


def _snapshot(article: Article, by: User | None, note: str, at) -> ArticleVersion:
    last = article.versions.aggregate(n=Max("number"))["n"] or 0
    return ArticleVersion.objects.create(
        tenant_id=article.tenant_id,
        article=article,
        number=last + 1,
        title=article.title,
        body=article.body,
        audience=article.audience,
        role_keys=sorted(r.key for r in article.roles.all()),
        category_name=article.category.name if article.category_id else "",
        edited_by=by,
        note=note[:200],
        created_at=at,
    )


@transaction.atomic
def save_article(
    *,
    tenant: Tenant,
    by: User | None,
    title: str,
    body: str,
    audience: str = Article.Audience.PUBLIC,
    roles=(),
    category: Category | None = None,
    owner: User | None = None,
    is_published: bool = True,
    mark_reviewed: bool = True,
    note: str = "",
    article: Article | None = None,
    at: datetime | None = None,
) -> Article:
    """Create or change an article; every save is a new version (who changed what)."""
    at = at or timezone.now()
    for thing in [category, *roles]:
        if thing is not None and thing.tenant_id != tenant.pk:
            raise KnowledgeError(_("That category or role belongs to another helpdesk."))
    creating = article is None
    if creating:
        article = Article(tenant=tenant, created_at=at, slug=_unique_slug(tenant, title))
    before = None if creating else {"title": article.title, "audience": article.audience}
    article.title = title
    article.body = body
    article.audience = audience
    article.category = category
    article.owner = owner if owner is not None else (article.owner if article.pk else by)
    article.is_published = is_published
    article.updated_at = at
    if creating or mark_reviewed:
        article.reviewed_at = at
        article.stale_reminded_at = None
    article.save()
    article.roles.set(roles if audience == Article.Audience.ROLES else [])
    _snapshot(article, by, note or (_("Created") if creating else _("Edited")), at)
    _refresh_search_document(article)
    record_audit(
        tenant=tenant,
        actor=by,
        action="article.created" if creating else "article.changed",
        target=article,
        before=before,
        after={"title": title, "audience": audience},
    )
    return article


def restore_version(*, version: ArticleVersion, by: User | None) -> Article:
    """Bring an older text back; the restore is itself a new version."""
    article = version.article
    roles = Role.objects.for_tenant(article.tenant).filter(key__in=version.role_keys)
    category = (
        Category.objects.for_tenant(article.tenant).filter(name=version.category_name).first()
    )
    return save_article(
        tenant=article.tenant,
        by=by,
        article=article,
        title=version.title,
        body=version.body,
        audience=version.audience,
        roles=list(roles),
        category=category,
        owner=article.owner,
        is_published=article.is_published,
        note=_("Restored version %(number)s") % {"number": version.number},
    )


def mark_reviewed(*, article: Article, by: User | None) -> Article:
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(reviewed_at=now, stale_reminded_at=None)
    article.reviewed_at, article.stale_reminded_at = now, None
    record_audit(tenant=article.tenant, actor=by, action="article.reviewed", target=article)
    return article


def create_category(*, tenant: Tenant, name: str, by: User | None) -> tuple[Category, bool]:
    """The category of that name, and whether it is new (names are unique by their slug)."""
    slug = slugify(name, allow_unicode=True)[:80].strip("-") or "category"
    return Category.objects.get_or_create(tenant=tenant, slug=slug, defaults={"name": name})


def update_settings(*, tenant: Tenant, stale_after_days: int, by: User | None):
    found = KnowledgeSettings.for_tenant(tenant)
    before = found.stale_after_days
    found.stale_after_days = stale_after_days
    found.save(update_fields=["stale_after_days"])
    record_audit(
        tenant=tenant,
        actor=by,
        action="knowledge.settings",
        target=found,
        before={"stale_after_days": before},
        after={"stale_after_days": stale_after_days},
    )
    return found


def remind_stale_articles(*, now: datetime | None = None) -> int:
    """Tell each stale article's owner, once per stale period. Returns the reminders sent."""
    now = now or timezone.now()
    sent = 0
    for tenant in Tenant.objects.all():
        days = KnowledgeSettings.for_tenant(tenant).stale_after_days
        cutoff = now - timedelta(days=days)
        due = (
            Article.objects.for_tenant(tenant)
            .stale(now=now, stale_after_days=days)
            .filter(owner__isnull=False)
            .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=cutoff))
            .select_related("owner")
        )
        for article in due:
            # Claim the reminder first: a second run (or a redelivered task) finds it taken.
            claimed = (
                Article.objects.filter(pk=article.pk)
                .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=cutoff))
                .update(stale_reminded_at=now)
            )
            if not claimed:
                continue
            edit = reverse("knowledge:article_edit", args=[tenant.slug, article.pk])
            send_mail(
                subject_line(_("Please review “%(title)s”") % {"title": article.title}),
                render_to_string(
                    "knowledge/email/stale_reminder.txt",
                    {
                        "article": article,
                        "tenant": tenant,
                        "days": days,
                        "url": _absolute(edit),
                    },
                ),
                None,
                [article.owner.email],
            )
            sent += 1
    return sent
