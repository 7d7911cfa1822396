from django.urls import path

from . import api

rules = api.JoiningRuleViewSet
urlpatterns = [
    path("me/", api.MeViewSet.as_view({"get": "retrieve"}), name="api-me"),
    path("register/", api.RegisterView.as_view(), name="api-register"),
    path("verify/", api.VerifyView.as_view(), name="api-verify"),
    path(
        "joining-rules/",
        rules.as_view({"get": "list", "post": "create"}),
        name="api-joining-rules",
    ),
    path("joining-rules/test/", rules.as_view({"get": "test"}), name="api-joining-rules-test"),
    path(
        "joining-rules/<id:pk>/",
        rules.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-joining-rule",
    ),
    path("approvals/", api.ApprovalViewSet.as_view({"get": "list"}), name="api-approvals"),
    path(
        "approvals/<id:pk>/approve/",
        api.ApprovalViewSet.as_view({"post": "approve"}),
        name="api-approval-approve",
    ),
    path(
        "approvals/<id:pk>/reject/",
        api.ApprovalViewSet.as_view({"post": "reject"}),
        name="api-approval-reject",
    ),
    path(
        "invitations/",
        api.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="api-invitations",
    ),
    path(
        "invitations/accept/",
        api.AcceptInvitationView.as_view(),
        name="api-invitations-accept",
    ),
    path(
        "roles/",
        api.RoleViewSet.as_view({"get": "list", "post": "create"}),
        name="api-roles",
    ),
    path("roles/<id:pk>/", api.RoleViewSet.as_view({"get": "retrieve"}), name="api-role"),
    path("audit-log/", api.AuditLogViewSet.as_view({"get": "list"}), name="api-audit-log"),
    path(
        "identity-providers/",
        api.IdentityProviderViewSet.as_view({"get": "list", "post": "create"}),
        name="api-identity-providers",
    ),
    path(
        "identity-providers/<id:pk>/",
        api.IdentityProviderViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-identity-provider",
    ),
]
