"""Pages of one tenant (under /t/<slug>/) that belong to people and roles."""

from django.urls import path

from . import (
    views_approvals,
    views_audit,
    views_invitations,
    views_join,
    views_joining_rules,
    views_people,
    views_roles,
    views_settings,
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
    path("access/", views_join.access, name="access"),
    path("access/request/", views_join.ask_for_access, name="ask_for_access"),
    # People.
    path("people/", views_people.people, name="people"),
    path("people/approvals/", views_approvals.approvals, name="approvals"),
    path(
        "people/approvals/<id:membership_id>/",
        views_approvals.approval_decide,
        name="approval_decide",
    ),
    path(
        "people/access-requests/<id:request_id>/",
        views_approvals.access_request_decide,
        name="access_request_decide",
    ),
    path("people/invitations/", views_invitations.invitations, name="invitations"),
    path(
        "people/invitations/<id:invitation_id>/withdraw/",
        views_invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("people/<id:user_id>/", views_people.person, name="person"),
    path("people/<id:user_id>/change/", views_people.person_change, name="person_change"),
    path("people/<id:user_id>/queues/", views_people.person_grant, name="person_grant"),
    # Roles and joining rules.
    path("roles/", views_roles.roles, name="roles"),
    path("roles/new/", views_roles.role_edit, name="role_create"),
    path("roles/<id:role_id>/", views_roles.role_edit, name="role_edit"),
    path("roles/<id:role_id>/delete/", views_roles.role_delete, name="role_delete"),
    path("joining-rules/", views_joining_rules.joining_rules, name="joining_rules"),
    path(
        "joining-rules/<id:rule_id>/", views_joining_rules.joining_rules, name="joining_rule_edit"
    ),
    path(
        "joining-rules/<id:rule_id>/delete/",
        views_joining_rules.joining_rule_delete,
        name="joining_rule_delete",
    ),
    path("audit-log/", views_audit.audit_log, name="audit_log"),
    # The helpdesk's own settings.
    path("settings/", views_settings.tenant_settings, name="settings"),
]
