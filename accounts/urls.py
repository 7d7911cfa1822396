"""Pages of one tenant (under /t/<slug>/) that belong to people and roles.

The people pages that show or change tickets and queues (the directory, a person, approvals,
roles, "why can't I?") are people.urls; helpdesk/urls.py serves both in the ``accounts``
namespace, so every page keeps its ``accounts:`` name."""

from django.urls import path

from . import (
    views_audit,
    views_invitations,
    views_join,
    views_joining_rules,
    views_settings,
    views_sso,
    views_two_factor,
)

app_name = "accounts"

urlpatterns = [
    # Joining and finding one's way in.
    path("join/", views_join.join, name="join"),
    path("join/sent/", views_join.join_sent, name="join_sent"),
    path("verify/<str:token>/", views_join.verify_address, name="verify"),
    path("waiting/", views_join.waiting, name="waiting"),
    path("welcome/", views_join.welcome, name="welcome"),
    path(
        "invitations/<str:token>/",
        views_join.invitation_accept,
        name="invitation_accept",
    ),
    # People.
    path("people/invitations/", views_invitations.invitations, name="invitations"),
    path(
        "people/invitations/<id:invitation_id>/withdraw/",
        views_invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    # Joining rules.
    path("joining-rules/", views_joining_rules.joining_rules, name="joining_rules"),
    path(
        "joining-rules/<id:rule_id>/", views_joining_rules.joining_rules, name="joining_rule_edit"
    ),
    path(
        "joining-rules/<id:rule_id>/delete/",
        views_joining_rules.joining_rule_delete,
        name="joining_rule_delete",
    ),
    path(
        "people/<id:user_id>/two-factor/reset/",
        views_two_factor.reset_person_two_factor,
        name="person_two_factor_reset",
    ),
    path("audit-log/", views_audit.audit_log, name="audit_log"),
    # Single sign-on.
    path("sso/<id:provider_id>/start/", views_sso.sso_start, name="sso_start"),
    path("identity-providers/", views_sso.identity_providers, name="identity_providers"),
    path(
        "identity-providers/<id:provider_id>/delete/",
        views_sso.identity_provider_delete,
        name="identity_provider_delete",
    ),
    # The helpdesk's own settings.
    path("settings/", views_settings.tenant_settings, name="settings"),
]
