from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_joining_deny_and_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="tenant",
            name="two_factor_required_for_staff",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Staff must add an authenticator app and give its code when signing in "
                    "before they use this helpdesk, and their API tokens must be issued with "
                    "a code."
                ),
                verbose_name="require two-factor sign-in for staff",
            ),
        ),
    ]
