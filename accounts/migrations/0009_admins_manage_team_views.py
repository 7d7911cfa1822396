from django.db import migrations

# Admin roles hold every action (accounts.actions.BUILTIN_ROLES); those made before this one
# existed get it here, so that their admins can share workspace views with their team.
ACTION = "manage_team_views"


def admins_manage_team_views(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(key="admin").only("pk", "permissions").iterator(2000):
        if ACTION not in role.permissions:
            Role.objects.filter(pk=role.pk).update(permissions=[*role.permissions, ACTION])


def admins_let_go(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(key="admin").only("pk", "permissions").iterator(2000):
        if ACTION in role.permissions:
            kept = [action for action in role.permissions if action != ACTION]
            Role.objects.filter(pk=role.pk).update(permissions=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_requesters_solve_and_share_their_requests"),
    ]

    operations = [
        migrations.RunPython(admins_manage_team_views, admins_let_go),
    ]
