from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "icc.roadmaps"
    verbose_name = _("Strategy, roadmap and KPIs")
