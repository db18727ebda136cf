"""Close surveys early, count invitations on the campaign, delete an invitation once used
and give invitations random keys; the programme team's population for peer bands."""

import uuid
from typing import Any

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def count_invitations(apps: Any, schema_editor: Any) -> None:
    SatCampaign = apps.get_model("assessments", "SatCampaign")
    for campaign in SatCampaign.objects.all():
        campaign.invitations_sent = campaign.invitations.count()
        campaign.save(update_fields=["invitations_sent"])


def copy_unused_invitations(apps: Any, schema_editor: Any) -> None:
    """Unused invitations keep working under a random key; used ones are not carried over."""
    old = apps.get_model("assessments", "SatInvitation")
    new = apps.get_model("assessments", "SatInvitationNext")
    new.objects.bulk_create(
        new(id=uuid.uuid4(), campaign_id=row.campaign_id, token_digest=row.token_digest, expires_on=row.expires_on)
        for row in old.objects.filter(used=False).order_by("?")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_indicator_indicatorvalue_maturityrating_and_more"),
        ("cities", "0002_city_named_in_comparisons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="satcampaign",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="closed early on"),
        ),
        migrations.AddField(
            model_name="satcampaign",
            name="invitations_sent",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_invitations, migrations.RunPython.noop),
        migrations.CreateModel(
            name="SatInvitationNext",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("token_digest", models.CharField(max_length=64, unique=True)),
                ("expires_on", models.DateField()),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessments.satcampaign"
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_unused_invitations, migrations.RunPython.noop),
        migrations.DeleteModel(name="SatInvitation"),
        migrations.RenameModel(old_name="SatInvitationNext", new_name="SatInvitation"),
        migrations.AlterField(
            model_name="satinvitation",
            name="campaign",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="assessments.satcampaign",
            ),
        ),
        migrations.CreateModel(
            name="PeerPopulation",
            fields=[
                (
                    "city",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="peer_population",
                        serialize=False,
                        to="cities.city",
                    ),
                ),
                (
                    "population",
                    models.PositiveIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100000000),
                        ],
                        verbose_name="population for peer comparisons",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
