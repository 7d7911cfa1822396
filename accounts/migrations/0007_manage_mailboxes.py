from django.db import migrations

# The built-in admin role holds every action (accounts.actions.BUILTIN_ROLES): the helpdesks
# made before "manage_mailboxes" existed give it to their admins here.
ACTION = "manage_mailboxes"


def admins_manage_mailboxes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(key="admin", is_builtin=True).only("pk", "permissions"):
        if ACTION not in role.permissions:
            Role.objects.filter(pk=role.pk).update(permissions=[*role.permissions, ACTION])


def admins_let_go(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(key="admin", is_builtin=True).only("pk", "permissions"):
        if ACTION in role.permissions:
            kept = [action for action in role.permissions if action != ACTION]
            Role.objects.filter(pk=role.pk).update(permissions=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_absences_capacity_auto_close"),
    ]

    operations = [
        migrations.RunPython(admins_manage_mailboxes, admins_let_go),
    ]
