"""Sign-in, sign-out, passwords and language: global pages, outside any tenant."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_sso, views_tokens, views_two_factor

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", views_two_factor.login_code, name="login_code"),
    path("accounts/two-factor/", views_two_factor.two_factor, name="two_factor"),
    path("accounts/sso/callback/", views_sso.sso_callback, name="sso_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/tokens/", views_tokens.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<id:token_id>/revoke/",
        views_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
    path("language/", views.set_language, name="set_language"),
]
