from django.db import migrations

# What being staff allowed before it was a list of actions (accounts.actions.STAFF_WORK, written
# out: a migration imports none of our code). Every role that sees more than its own requests
# was staff, built-in or not, so each gets them and nobody loses what they could do.
STAFF_WORK = [
    "use_workspace",
    "work_tickets",
    "view_internal_notes",
    "view_all_queues",
    "view_staff_content",
]


def staff_roles_hold_staff_work(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.exclude(scope="own").only("pk", "permissions").iterator(2000):
        missing = [action for action in STAFF_WORK if action not in role.permissions]
        if missing:
            Role.objects.filter(pk=role.pk).update(permissions=[*role.permissions, *missing])


def staff_roles_let_go(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.exclude(scope="own").only("pk", "permissions").iterator(2000):
        kept = [action for action in role.permissions if action not in STAFF_WORK]
        if kept != role.permissions:
            Role.objects.filter(pk=role.pk).update(permissions=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_email_verification"),
    ]

    operations = [
        migrations.RunPython(staff_roles_hold_staff_work, staff_roles_let_go),
    ]
