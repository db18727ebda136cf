from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TagsConfig(AppConfig):
    name = "icc.tags"
    verbose_name = _("Thematic action groups and cross-city labs")
