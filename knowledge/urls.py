"""Pages of knowledge, under /t/<slug>/."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("kb/", views.article_list, name="articles"),
    path("kb/suggest/", views.suggest, name="suggest"),
    path("kb/deflect/", views.deflect, name="deflect"),
    path("kb/manage/", views.manage, name="manage"),
    path("kb/manage/new/", views.article_create, name="article_create"),
    path("kb/manage/categories/", views.category_create, name="category_create"),
    path("kb/manage/settings/", views.settings_update, name="settings"),
    path("kb/manage/<id:pk>/edit/", views.article_edit, name="article_edit"),
    path("kb/manage/<id:pk>/history/", views.article_history, name="article_history"),
    path("kb/manage/<id:pk>/restore/<id:number>/", views.restore, name="restore"),
    path("kb/manage/<id:pk>/reviewed/", views.reviewed, name="reviewed"),
    path("kb/<uslug:article_slug>/", views.article_detail, name="article"),
    path("kb/<uslug:article_slug>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/<id:role_id>/", views.onboarding_set, name="onboarding_set"),
    path("news/", views.news, name="news"),
    path("news/<id:pk>/read/", views.announcement_read, name="announcement_read"),
    path(
        "news/<id:pk>/readers/",
        views.announcement_readers,
        name="announcement_readers",
    ),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/<id:pk>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<id:pk>/answer/", views.idea_answer, name="idea_answer"),
    path("kudos/", views.kudos, name="kudos"),
    path("kudos/thank/", views.thank, name="thank"),
    path("kudos/<id:member_id>/", views.agent_kudos, name="agent_kudos"),
]
