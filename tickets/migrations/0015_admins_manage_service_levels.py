from django.db import migrations

# The admin role of every helpdesk holds every action; the new one is given to those that
# exist (a new helpdesk's admin role is made with it). Written out: a migration imports none
# of our code.
ACTION = "manage_service_levels"


def admins_manage_service_levels(apps, schema_editor):
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
        ("accounts", "0005_staff_work_actions"),
        ("tickets", "0014_service_levels"),
    ]

    operations = [
        migrations.RunPython(admins_manage_service_levels, admins_let_go),
    ]
