"""People pages that show or change tickets and queues (under /t/<slug>/).

Served in the ``accounts`` namespace together with accounts.urls (helpdesk/urls.py joins
them), so their names are ``accounts:people``, ``accounts:person`` and so on, as before."""

from django.urls import path

from . import (
    views_absences,
    views_approvals,
    views_data_requests,
    views_explain,
    views_people,
    views_roles,
    views_workload,
)

urlpatterns = [
    # Why can't I?
    path("access/", views_explain.access, name="access"),
    path("access/request/", views_explain.ask_for_access, name="ask_for_access"),
    # People.
    path("people/", views_people.people, name="people"),
    path("people/workload/", views_workload.workload_board, name="workload"),
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
    path("people/away/", views_absences.my_absences, name="my_absences"),
    path("people/<id:user_id>/", views_people.person, name="person"),
    path("people/<id:user_id>/away/", views_absences.person_absences, name="person_absences"),
    path(
        "people/<id:user_id>/away/<id:absence_id>/withdraw/",
        views_absences.absence_cancel,
        name="absence_cancel",
    ),
    path("people/<id:user_id>/change/", views_people.person_change, name="person_change"),
    path("people/<id:user_id>/queues/", views_people.person_grant, name="person_grant"),
    path("people/<id:user_id>/export/", views_data_requests.person_export, name="person_export"),
    path("people/<id:user_id>/erase/", views_data_requests.person_erase, name="person_erase"),
    path(
        "people/data-requests/<id:request_id>/download/",
        views_data_requests.data_request_download,
        name="data_request_download",
    ),
    path("people/<id:user_id>/capacity/", views_people.person_capacity, name="person_capacity"),
    # Roles.
    path("roles/", views_roles.roles, name="roles"),
    path("roles/new/", views_roles.role_edit, name="role_create"),
    path("roles/<id:role_id>/", views_roles.role_edit, name="role_edit"),
    path("roles/<id:role_id>/delete/", views_roles.role_delete, name="role_delete"),
]
