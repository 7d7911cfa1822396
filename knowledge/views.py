"""Pages of the knowledge app: thin; reads through QuerySets, writes through services."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can
from accounts.models import Membership, Role
from accounts.views_access import member_required
from helpdesk.text import plain_excerpt

from . import services
from .forms import (
    AnnouncementForm,
    AnswerForm,
    ArticleForm,
    CategoryForm,
    ChecklistForm,
    IdeaForm,
    SettingsForm,
    ThankForm,
)
from .models import (
    Acknowledgement,
    Announcement,
    AnnouncementRead,
    Article,
    ArticleVersion,
    Category,
    Deflection,
    Idea,
    KnowledgeSettings,
    OnboardingChecklist,
    ThankYouNote,
    kudos_ratings,
    onboarding_overview,
)
from .rendering import render_article_body
from .services import KnowledgeError

SUGGESTIONS = 5


def _back(request, default: str):
    """Return to the page the form came from, if it is one of ours."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _visible(request):
    return Article.objects.visible_to(request.membership)


# ---------------------------------------------------------------- reading


@member_required()
def article_list(request, slug):
    """Browse by category and search: the member's articles only (the audience rule)."""
    query = request.GET.get("q", "").strip()[:200]
    category = request.GET.get("category", "")
    articles = _visible(request).with_list_columns()
    articles = articles.search(query) if query else articles.order_by("title")
    if category:
        articles = articles.filter(category__slug=category)
    page = Paginator(articles, 30).get_page(request.GET.get("page"))
    categories = (
        Category.objects.for_tenant(request.tenant)
        .filter(articles__in=_visible(request))
        .annotate(n=Count("articles"))
        .order_by("position", "name")
    )
    return render(
        request,
        "knowledge/article_list.html",
        {"page": page, "query": query, "category": category, "categories": categories},
    )


@member_required()
def article_detail(request, slug, article_slug):
    member = request.membership
    article = get_object_or_404(
        _visible(request).select_related("category", "owner"), slug=article_slug
    )
    in_checklist = (
        OnboardingChecklist.objects.for_tenant(request.tenant)
        .filter(role_id=member.role_id, articles=article)
        .exists()
    )
    acknowledged = (
        Acknowledgement.objects.for_tenant(request.tenant)
        .filter(membership=member, article=article)
        .first()
    )
    stale_days = KnowledgeSettings.for_tenant(request.tenant).stale_after_days
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "article": article,
            "body": render_article_body(article.body),
            "in_checklist": in_checklist,
            "acknowledged": acknowledged,
            "can_manage": can(member, "manage_articles"),
            "is_stale": article.is_stale(stale_days),
            "query": request.GET.get("q", "")[:200],
            "offers_deflection": not member.is_staff,
        },
    )


@require_POST
@member_required()
def acknowledge(request, slug, article_slug):
    article = get_object_or_404(_visible(request), slug=article_slug)
    services.acknowledge_article(membership=request.membership, article=article)
    messages.success(request, _("Thank you: “%(title)s” is marked as read.") % {"title": article})
    return _back(request, reverse("knowledge:article", args=[slug, article.slug]))


@member_required()
def suggest(request, slug):
    """JSON: the member's articles that match what they typed (portal form and reply picker)."""
    query = request.GET.get("q", "")[:500]
    articles = _visible(request).search(query)[:SUGGESTIONS] if query.strip() else []
    results = [
        {
            "id": a.pk,
            "title": a.title,
            "url": reverse("knowledge:article", args=[slug, a.slug]),
            "absolute_url": request.build_absolute_uri(
                reverse("knowledge:article", args=[slug, a.slug])
            ),
            "excerpt": plain_excerpt(a.body),
        }
        for a in articles
    ]
    return JsonResponse({"query": query, "results": results})


@require_POST
@member_required()
def deflect(request, slug):
    """“This solved my problem”: count it; no request is opened."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    article = get_object_or_404(_visible(request), pk=request.POST.get("article") or 0)
    services.record_deflection(
        member=request.membership, article=article, query=request.POST.get("query", "")
    )
    message = _("Glad it helped! No request was opened.")
    if wants_json:
        return JsonResponse({"ok": True, "message": message}, status=201)
    messages.success(request, message)
    return redirect("knowledge:article", slug=slug, article_slug=article.slug)


# ---------------------------------------------------------------- managing articles


@member_required("manage_articles")
def manage(request, slug):
    tenant = request.tenant
    knowledge_settings = KnowledgeSettings.for_tenant(tenant)
    days = knowledge_settings.stale_after_days
    articles = list(
        _visible(request)
        .select_related("category", "owner")
        .annotate(n_deflections=Count("deflections"))
        .order_by("title")
    )
    now = timezone.now()
    rows = [(a, a.is_stale(days, now), a.review_due(days)) for a in articles]
    return render(
        request,
        "knowledge/manage.html",
        {
            "rows": rows,
            "n_stale": sum(1 for _a, stale, _d in rows if stale),
            "most_useful": Deflection.objects.for_tenant(tenant).most_useful_articles(),
            "n_deflections": Deflection.objects.for_tenant(tenant).count(),
            "category_form": CategoryForm(),
            "settings_form": SettingsForm(initial={"stale_after_days": days}),
            "categories": Category.objects.for_tenant(tenant),
        },
    )


def _article_form_page(request, form, article=None):
    preview = None
    if form.is_bound and "preview" in request.POST and form.is_valid():
        preview = render_article_body(form.cleaned_data["body"])
    return render(
        request,
        "knowledge/article_form.html",
        {"form": form, "article": article, "preview": preview},
    )


def _save_from_form(request, form, article=None):
    data = form.cleaned_data
    owner = data["owner"].user if data["owner"] else None
    return services.save_article(
        tenant=request.tenant,
        by=request.user,
        article=article,
        title=data["title"],
        body=data["body"],
        audience=data["audience"],
        roles=list(data["roles"]),
        category=data["category"],
        owner=owner,
        is_published=data["is_published"],
        mark_reviewed=data["mark_reviewed"],
        note=data["note"],
    )


@member_required("manage_articles")
def article_create(request, slug):
    form = ArticleForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        article = _save_from_form(request, form)
        messages.success(request, _("Article saved."))
        return redirect("knowledge:article", slug=slug, article_slug=article.slug)
    return _article_form_page(request, form)


@member_required("manage_articles")
def article_edit(request, slug, pk):
    article = get_object_or_404(_visible(request).prefetch_related("roles"), pk=pk)
    owner = Membership.objects.for_tenant(request.tenant).filter(user_id=article.owner_id).first()
    initial = {
        "title": article.title,
        "category": article.category_id,
        "body": article.body,
        "audience": article.audience,
        "roles": list(article.roles.all()),
        "owner": owner,
        "is_published": article.is_published,
        "mark_reviewed": True,
    }
    form = ArticleForm(request.POST or None, tenant=request.tenant, initial=initial)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        article = _save_from_form(request, form, article)
        messages.success(request, _("Article saved as a new version."))
        return redirect("knowledge:article", slug=slug, article_slug=article.slug)
    return _article_form_page(request, form, article)


def _diff(old: ArticleVersion | None, new: ArticleVersion) -> list[tuple[str, str]]:
    """Line changes from the previous version: ("add" | "remove" | "same", line)."""
    before = (f"# {old.title}\n" + old.body).splitlines() if old else []
    after = (f"# {new.title}\n" + new.body).splitlines()
    lines = []
    for line in difflib.ndiff(before, after):
        tag, text = line[:2], line[2:]
        if tag == "+ ":
            lines.append(("add", text))
        elif tag == "- ":
            lines.append(("remove", text))
        elif tag == "  ":
            lines.append(("same", text))
    return lines


@member_required("manage_articles")
def article_history(request, slug, pk):
    article = get_object_or_404(_visible(request), pk=pk)
    versions = list(
        ArticleVersion.objects.for_tenant(request.tenant)
        .filter(article=article)
        .select_related("edited_by")
        .order_by("-number")
    )
    shown = versions[0] if versions else None
    wanted = request.GET.get("version")
    for version in versions:
        if str(version.number) == wanted:
            shown = version
    previous = next((v for v in versions if shown and v.number < shown.number), None)
    return render(
        request,
        "knowledge/article_history.html",
        {
            "article": article,
            "versions": versions,
            "shown": shown,
            "previous": previous,
            "diff": _diff(previous, shown) if shown else [],
        },
    )


@require_POST
@member_required("manage_articles")
def restore(request, slug, pk, number):
    article = get_object_or_404(_visible(request), pk=pk)
    version = get_object_or_404(
        ArticleVersion.objects.for_tenant(request.tenant).select_related("article__tenant"),
        article=article,
        number=number,
    )
    services.restore_version(version=version, by=request.user)
    messages.success(
        request, _("Version %(number)s restored as a new version.") % {"number": number}
    )
    return redirect("knowledge:article_history", slug=slug, pk=pk)


@require_POST
@member_required("manage_articles")
def reviewed(request, slug, pk):
    article = get_object_or_404(_visible(request), pk=pk)
    services.mark_reviewed(article=article, by=request.user)
    messages.success(request, _("Marked as reviewed."))
    return _back(request, reverse("knowledge:manage", args=[slug]))


@require_POST
@member_required("manage_articles")
def category_create(request, slug):
    form = CategoryForm(request.POST)
    if form.is_valid():
        category, created = services.create_category(
            tenant=request.tenant, name=form.cleaned_data["name"], by=request.user
        )
        if created:
            messages.success(request, _("Category added."))
        else:
            messages.info(
                request, _("There is already a category “%(name)s”.") % {"name": category}
            )
    else:
        messages.error(request, _("Give the category a name."))
    return redirect("knowledge:manage", slug=slug)


@require_POST
@member_required("manage_articles")
def settings_update(request, slug):
    form = SettingsForm(request.POST)
    if form.is_valid():
        services.update_settings(
            tenant=request.tenant,
            stale_after_days=form.cleaned_data["stale_after_days"],
            by=request.user,
        )
        messages.success(request, _("Review period saved."))
    else:
        messages.error(request, _("The review period must be between 1 and 3650 days."))
    return redirect("knowledge:manage", slug=slug)


# ---------------------------------------------------------------- onboarding


@member_required("manage_onboarding")
def onboarding(request, slug):
    tenant = request.tenant
    checklists = {
        c.role_id: c for c in OnboardingChecklist.objects.for_tenant(tenant).with_articles()
    }
    # One list of guides shared by every role's form: the page's queries do not grow with roles.
    guides = list(Article.objects.for_tenant(tenant).filter(is_published=True).order_by("title"))
    roles = []
    for role in Role.objects.for_tenant(tenant):
        checklist = checklists.get(role.pk)
        initial = (
            {
                "due_within_days": checklist.due_within_days,
                "articles": [a.pk for a in checklist.articles.all()],
            }
            if checklist
            else None
        )
        form = ChecklistForm(initial=initial, tenant=tenant, guides=guides, prefix=f"role{role.pk}")
        roles.append((role, form))
    statuses = onboarding_overview(tenant, now=timezone.now())
    return render(
        request,
        "knowledge/onboarding.html",
        {
            "roles": roles,
            "statuses": statuses,
            "n_late": sum(1 for s in statuses if s.is_late),
        },
    )


@require_POST
@member_required("manage_onboarding")
def onboarding_set(request, slug, role_id):
    role = get_object_or_404(Role.objects.for_tenant(request.tenant), pk=role_id)
    form = ChecklistForm(request.POST, tenant=request.tenant, prefix=f"role{role.pk}")
    if form.is_valid():
        services.set_onboarding_checklist(
            tenant=request.tenant,
            role=role,
            articles=list(form.cleaned_data["articles"]),
            due_within_days=form.cleaned_data["due_within_days"],
            by=request.user,
        )
        messages.success(request, _("Checklist for %(role)s saved.") % {"role": role})
    else:
        messages.error(request, _("The checklist was not saved: check the number of days."))
    return redirect("knowledge:onboarding", slug=slug)


# ---------------------------------------------------------------- announcements


@member_required()
def news(request, slug):
    member = request.membership
    may_publish = can(member, "publish_announcements")
    form = AnnouncementForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST":
        if not may_publish:
            return redirect("knowledge:news", slug=slug)
        if form.is_valid():
            data = form.cleaned_data
            services.publish_announcement(
                tenant=request.tenant,
                by=request.user,
                title=data["title"],
                body=data["body"],
                audience=data["audience"],
                roles=list(data["roles"]),
                send_email=data["send_email"],
            )
            messages.success(request, _("Announcement published."))
            return redirect("knowledge:news", slug=slug)
    announcements = Announcement.objects.visible_to(member).with_read_state(member)
    if may_publish:
        # Admins see every announcement, with how many have read it.
        announcements = (
            Announcement.objects.for_tenant(request.tenant)
            .with_read_state(member)
            .prefetch_related("roles")
        )
    page = Paginator(announcements, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/news.html",
        {"page": page, "form": form if may_publish else None},
    )


@require_POST
@member_required()
def announcement_read(request, slug, pk):
    announcement = get_object_or_404(Announcement.objects.visible_to(request.membership), pk=pk)
    services.mark_announcement_read(announcement=announcement, membership=request.membership)
    return _back(request, reverse("knowledge:news", args=[slug]))


@member_required("publish_announcements")
def announcement_readers(request, slug, pk):
    announcement = get_object_or_404(Announcement.objects.for_tenant(request.tenant), pk=pk)
    reads = {
        r.membership_id: r.read_at
        for r in AnnouncementRead.objects.for_tenant(request.tenant).filter(
            announcement=announcement
        )
    }
    audience = services.announcement_recipients(announcement).select_related("role")
    rows = [(m, reads.get(m.pk)) for m in audience]
    return render(
        request,
        "knowledge/announcement_readers.html",
        {
            "announcement": announcement,
            "rows": rows,
            "n_read": sum(1 for _m, at in rows if at),
        },
    )


# ---------------------------------------------------------------- ideas


@member_required()
def ideas(request, slug):
    member = request.membership
    form = IdeaForm(request.POST or None, for_staff=member.is_staff)
    if request.method == "POST" and form.is_valid():
        services.suggest_idea(membership=member, **form.cleaned_data)
        messages.success(request, _("Thank you for your idea!"))
        return redirect("knowledge:ideas", slug=slug)
    status = request.GET.get("status", "")
    listed = Idea.objects.visible_to(member).with_votes(member)
    if status in Idea.Status.values:
        listed = listed.filter(status=status)
    page = Paginator(listed.order_by("-n_votes", "-created_at"), 30).get_page(
        request.GET.get("page")
    )
    may_answer = can(member, "answer_ideas")
    rows = [
        (
            idea,
            AnswerForm(
                initial={"status": idea.status, "answer": idea.answer},
                prefix_id=idea.pk,
            )
            if may_answer
            else None,
        )
        for idea in page
    ]
    return render(
        request,
        "knowledge/ideas.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Idea.Status.choices,
        },
    )


@require_POST
@member_required()
def idea_vote(request, slug, pk):
    idea = get_object_or_404(Idea.objects.visible_to(request.membership), pk=pk)
    services.toggle_vote(idea=idea, membership=request.membership)
    return _back(request, reverse("knowledge:ideas", args=[slug]))


@require_POST
@member_required("answer_ideas")
def idea_answer(request, slug, pk):
    idea = get_object_or_404(Idea.objects.visible_to(request.membership), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.answer_idea(idea=idea, by=request.membership, **form.cleaned_data)
        messages.success(request, _("Answer saved."))
    return redirect("knowledge:ideas", slug=slug)


# ---------------------------------------------------------------- kudos


def _kudos_page(request, agent: Membership):
    tenant = request.tenant
    ratings = (
        kudos_ratings(tenant)
        .filter(agent_id=agent.user_id)
        .select_related("ticket")
        .order_by("-updated_at")[:50]
    )
    notes = ThankYouNote.objects.for_tenant(tenant).for_agent(agent.user)[:50]
    may_thank = can(request.membership, "thank_agents")
    return render(
        request,
        "knowledge/kudos.html",
        {
            "agent": agent,
            "is_me": agent.pk == request.membership.pk,
            "ratings": ratings,
            "notes": notes,
            "thank_form": ThankForm(
                tenant=tenant, exclude_user=request.user, initial={"agent": agent.pk}
            )
            if may_thank
            else None,
            "team": Membership.objects.for_tenant(tenant)
            .active()
            .staff()
            .select_related("user")
            .order_by("user__name")
            if may_thank
            else [],
        },
    )


@member_required("view_kudos")
def kudos(request, slug):
    return _kudos_page(request, request.membership)


@member_required("thank_agents")
def agent_kudos(request, slug, member_id):
    agent = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).active().staff().select_related("user"),
        pk=member_id,
    )
    return _kudos_page(request, agent)


@require_POST
@member_required("thank_agents")
def thank(request, slug):
    form = ThankForm(request.POST, tenant=request.tenant, exclude_user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose an agent and write a note."))
        return redirect("knowledge:kudos", slug=slug)
    agent = form.cleaned_data["agent"]
    try:
        services.thank_agent(
            by=request.membership, agent=agent, message=form.cleaned_data["message"]
        )
    except KnowledgeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your note to %(name)s was sent.") % {"name": agent.user.get_full_name()},
        )
    return redirect("knowledge:agent_kudos", slug=slug, member_id=agent.pk)
