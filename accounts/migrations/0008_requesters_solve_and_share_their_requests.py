from django.db import migrations

# The requester's own moves (accounts.actions, written out: a migration imports none of our
# code). Every role that submits requests gets them, as the built-in roles now do (staff too:
# giving the customer role needs holding its actions). Admins get every action anyway
# (accounts.services.give_admins_every_action, after each migrate).
REQUESTER_ACTIONS = ["solve_own_request", "add_colleague"]


def _roles(Role):
    return Role.objects.only("pk", "key", "scope", "permissions").iterator(2000)


def _gets_them(role) -> bool:
    return "submit_ticket" in role.permissions


def requesters_solve_and_share(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in _roles(Role):
        missing = [a for a in REQUESTER_ACTIONS if a not in role.permissions]
        if missing and _gets_them(role):
            Role.objects.filter(pk=role.pk).update(permissions=[*role.permissions, *missing])


def requesters_let_go(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in _roles(Role):
        kept = [a for a in role.permissions if a not in REQUESTER_ACTIONS]
        if kept != role.permissions:
            Role.objects.filter(pk=role.pk).update(permissions=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_manage_mailboxes"),
    ]

    operations = [
        migrations.RunPython(requesters_solve_and_share, requesters_let_go),
    ]
