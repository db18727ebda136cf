from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "icc.finance"
    verbose_name = _("Access to finance")

    def ready(self) -> None:
        from icc.finance import receivers

        receivers.connect()
