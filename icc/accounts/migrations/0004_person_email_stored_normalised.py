"""Keep every e-mail address stored in lower case without surrounding spaces, and word
the refusal of a second person with the same address."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_lowercase_email_addresses"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("email", django.db.models.functions.text.Lower(django.db.models.functions.text.Trim("email")))
                ),
                name="person_email_stored_normalised",
                violation_error_message="E-mail addresses are stored in lower case without surrounding spaces.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="person",
            name="person_email_unique_ignoring_case",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="person_email_unique_ignoring_case",
                violation_error_message="Another person already uses this e-mail address.",
            ),
        ),
    ]
