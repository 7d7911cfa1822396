"""Reading articles: browse and search, one article, "I have read it", suggestions, deflection."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can
from accounts.views_access import member_required
from core.text import plain_excerpt

from .. import services
from ..models import Acknowledgement, Category, KnowledgeSettings, OnboardingChecklist
from ..rendering import render_article_body
from .base import _back, _visible

SUGGESTIONS = 5


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
            "offers_deflection": not can(member, "use_workspace"),
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
