from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneyConfig(AppConfig):
    name = "icc.journey"
    verbose_name = _("Journey")
