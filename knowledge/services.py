"""Every write of the knowledge app, one function per move, plus the e-mails the jobs send."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import can, ensure
from accounts.models import Membership, Role, Tenant, User
from accounts.services import record_audit
from helpdesk.mail import subject_line
from outbox.services import enqueue
from tickets.models import Ticket

from .models import (
    SEARCH_CONFIG,
    Acknowledgement,
    Announcement,
    AnnouncementRead,
    Article,
    ArticleVersion,
    Category,
    Deflection,
    DigestSent,
    Idea,
    IdeaVote,
    KnowledgeSettings,
    OnboardingChecklist,
    ThankYouNote,
    kudos_ratings,
)


class KnowledgeError(Exception):
    """A write the rules do not allow; the message says why in words."""


# ---------------------------------------------------------------- articles and versions


def _unique_slug(tenant: Tenant, title: str, exclude_pk=None) -> str:
    base = slugify(title)[:180] or "article"
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
    Article.objects.filter(pk=article.pk).update(
        search_document=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("body", weight="B", config=SEARCH_CONFIG)
    )


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
    slug = slugify(name)[:80] or "category"
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


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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


# ---------------------------------------------------------------- onboarding


@transaction.atomic
def set_onboarding_checklist(
    *, tenant: Tenant, role: Role, articles, due_within_days: int, by: User | None
) -> OnboardingChecklist:
    if role.tenant_id != tenant.pk or any(a.tenant_id != tenant.pk for a in articles):
        raise KnowledgeError(_("That role or guide belongs to another helpdesk."))
    checklist, _created = OnboardingChecklist.objects.get_or_create(tenant=tenant, role=role)
    checklist.due_within_days = due_within_days
    checklist.save(update_fields=["due_within_days"])
    checklist.articles.set(articles)
    record_audit(
        tenant=tenant,
        actor=by,
        action="onboarding.changed",
        target=checklist,
        after={
            "role": role.key,
            "articles": [a.slug for a in articles],
            "days": due_within_days,
        },
    )
    return checklist


def acknowledge_article(*, membership: Membership, article: Article) -> Acknowledgement:
    """The member read the guide; only guides they may see can be acknowledged."""
    if not Article.objects.visible_to(membership).filter(pk=article.pk).exists():
        raise KnowledgeError(_("You cannot see this article."))
    ack, _created = Acknowledgement.objects.get_or_create(
        tenant_id=membership.tenant_id, membership=membership, article=article
    )
    return ack


# ---------------------------------------------------------------- deflections


def record_deflection(*, member: Membership, article: Article, query: str = "") -> Deflection:
    """The customer says this article solved it: count it; no request is opened."""
    if not Article.objects.visible_to(member).filter(pk=article.pk).exists():
        raise KnowledgeError(_("You cannot see this article."))
    return Deflection.objects.create(
        tenant_id=member.tenant_id, article=article, member=member, query=query[:500]
    )


# ---------------------------------------------------------------- announcements


@transaction.atomic
def publish_announcement(
    *,
    tenant: Tenant,
    by: User,
    title: str,
    body: str,
    audience: str = Announcement.Audience.EVERYONE,
    roles=(),
    send_email: bool = False,
) -> Announcement:
    if any(r.tenant_id != tenant.pk for r in roles):
        raise KnowledgeError(_("That role belongs to another helpdesk."))
    if audience == Announcement.Audience.ROLES and not roles:
        raise KnowledgeError(_("Choose at least one role, or send it to everyone."))
    announcement = Announcement.objects.create(
        tenant=tenant,
        title=title,
        body=body,
        audience=audience,
        send_email=send_email,
        author=by,
    )
    announcement.roles.set(roles if audience == Announcement.Audience.ROLES else [])
    record_audit(
        tenant=tenant,
        actor=by,
        action="announcement.published",
        target=announcement,
        after={
            "audience": audience,
            "roles": [r.key for r in roles],
            "email": send_email,
        },
    )
    if send_email:
        from .tasks import email_announcement_task

        enqueue(email_announcement_task, announcement.pk)
    return announcement


def announcement_recipients(announcement: Announcement):
    members = Membership.objects.for_tenant(announcement.tenant).active()
    if announcement.audience == Announcement.Audience.ROLES:
        members = members.filter(role__in=announcement.roles.all())
    return members.select_related("user")


def email_announcement(*, announcement: Announcement) -> int:
    """Send the announcement to its audience, once (a second run finds it sent)."""
    claimed = Announcement.objects.filter(pk=announcement.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    url = _absolute(reverse("knowledge:news", args=[announcement.tenant.slug]))
    text = render_to_string(
        "knowledge/email/announcement.txt", {"announcement": announcement, "url": url}
    )
    recipients = [m.user.email for m in announcement_recipients(announcement)]
    for email in recipients:
        send_mail(subject_line(announcement.title), text, None, [email])
    return len(recipients)


def mark_announcement_read(
    *, announcement: Announcement, membership: Membership
) -> AnnouncementRead:
    if not Announcement.objects.visible_to(membership).filter(pk=announcement.pk).exists():
        raise KnowledgeError(_("This announcement is not for you."))
    read, _created = AnnouncementRead.objects.get_or_create(
        tenant_id=membership.tenant_id, announcement=announcement, membership=membership
    )
    return read


# ---------------------------------------------------------------- ideas


def suggest_idea(
    *, membership: Membership, title: str, body: str = "", audience: str | None = None
) -> Idea:
    """A member's idea. Staff ideas are staff-only unless they say otherwise; a customer's
    idea is for everyone (a customer cannot hide an idea from the staff who answer it)."""
    if not can(membership, "view_staff_content"):
        audience = Idea.Audience.EVERYONE
    elif audience is None:
        audience = Idea.Audience.STAFF
    return Idea.objects.create(
        tenant_id=membership.tenant_id,
        author=membership.user,
        title=title,
        body=body,
        audience=audience,
    )


def toggle_vote(*, idea: Idea, membership: Membership) -> bool:
    """Vote for the idea, or take the vote back. Returns whether the member now votes for it."""
    if not Idea.objects.visible_to(membership).filter(pk=idea.pk).exists():
        raise KnowledgeError(_("There is no such idea in this helpdesk."))
    deleted, _rows = IdeaVote.objects.filter(idea=idea, membership=membership).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            IdeaVote.objects.create(tenant_id=idea.tenant_id, idea=idea, membership=membership)
    except IntegrityError:  # a double click raced us; the vote is there either way
        pass
    return True


def answer_idea(*, idea: Idea, by: Membership, status: str, answer: str) -> Idea:
    ensure(by, "answer_ideas", idea)
    before = {"status": idea.status, "answer": idea.answer}
    idea.status, idea.answer, idea.answered_by = status, answer, by.user
    idea.save(update_fields=["status", "answer", "answered_by"])
    record_audit(
        tenant=idea.tenant,
        actor=by.user,
        action="idea.answered",
        target=idea,
        before=before,
        after={"status": status, "answer": answer},
    )
    return idea


# ---------------------------------------------------------------- kudos


def thank_agent(*, by: Membership, agent: Membership, message: str) -> ThankYouNote:
    ensure(by, "thank_agents")
    if agent.tenant_id != by.tenant_id or not can(agent, "work_tickets"):
        raise KnowledgeError(_("Thank-you notes go to agents of this helpdesk."))
    if agent.user_id == by.user_id:
        raise KnowledgeError(_("You cannot thank yourself."))
    return ThankYouNote.objects.create(
        tenant_id=by.tenant_id, from_user=by.user, to_user=agent.user, message=message
    )


# ---------------------------------------------------------------- digests


def _staff_emails(tenant: Tenant) -> list[str]:
    return list(
        Membership.objects.for_tenant(tenant)
        .active()
        .staff()
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )


def _claim_digest(tenant: Tenant, kind: str, period_start: date) -> bool:
    try:
        with transaction.atomic():
            DigestSent.objects.create(tenant=tenant, kind=kind, period_start=period_start)
    except IntegrityError:
        return False
    return True


def _month_bounds(day: date) -> tuple[date, date]:
    """The calendar month before the one containing ``day``."""
    end = day.replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    return start, end


def send_monthly_digest(*, tenant: Tenant, today: date | None = None) -> bool:
    """Last month in a few lines for the tenant's staff: once per month."""
    start, end = _month_bounds(today or timezone.localdate())
    recipients = _staff_emails(tenant)
    if not recipients or not _claim_digest(tenant, DigestSent.Kind.MONTHLY, start):
        return False
    in_month = {"created_at__date__gte": start, "created_at__date__lt": end}
    tickets = Ticket.objects.for_tenant(tenant)
    context = {
        "tenant": tenant,
        "month": start,
        "articles": list(
            Article.objects.for_tenant(tenant).filter(**in_month).order_by("title")[:20]
        ),
        "people": list(
            Membership.objects.for_tenant(tenant)
            .active()
            .filter(joined_at__date__gte=start, joined_at__date__lt=end)
            .select_related("user", "role")[:50]
        ),
        "opened": tickets.filter(**in_month).count(),
        "solved": tickets.filter(solved_at__date__gte=start, solved_at__date__lt=end).count(),
        "deflected": Deflection.objects.for_tenant(tenant).filter(**in_month).count(),
    }
    subject = _("%(tenant)s: your monthly digest") % {"tenant": tenant.name}
    send_mail(
        subject_line(subject),
        render_to_string("knowledge/email/monthly_digest.txt", context),
        None,
        recipients,
    )
    return True


def send_weekly_wins(*, tenant: Tenant, today: date | None = None) -> bool:
    """Last week's good ratings and thank-you notes, to the team: once per week."""
    today = today or timezone.localdate()
    end = today - timedelta(days=today.weekday())  # this Monday
    start = end - timedelta(days=7)
    ratings = list(
        kudos_ratings(tenant)
        .filter(updated_at__date__gte=start, updated_at__date__lt=end)
        .select_related("agent", "ticket")[:30]
    )
    notes = list(
        ThankYouNote.objects.for_tenant(tenant)
        .filter(created_at__date__gte=start, created_at__date__lt=end)
        .select_related("from_user", "to_user")[:30]
    )
    recipients = _staff_emails(tenant)
    if not (ratings or notes) or not recipients:
        return False
    if not _claim_digest(tenant, DigestSent.Kind.WINS, start):
        return False
    context = {"tenant": tenant, "start": start, "ratings": ratings, "notes": notes}
    send_mail(
        subject_line(_("%(tenant)s: this week's wins") % {"tenant": tenant.name}),
        render_to_string("knowledge/email/weekly_wins.txt", context),
        None,
        recipients,
    )
    return True
