from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "icc.consultations"
    verbose_name = _("Citizen surveys and quick polls")
