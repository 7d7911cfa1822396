"""Managing articles: the list to review, writing and editing, versions, categories, settings."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Membership
from accounts.views_access import member_required

from .. import services
from ..forms import ArticleForm, CategoryForm, SettingsForm
from ..models import ArticleVersion, Category, Deflection, KnowledgeSettings
from ..rendering import render_article_body
from .base import _back, _visible


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
