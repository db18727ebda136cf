from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "icc.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from icc.core import dataversion

        connection_created.connect(dataversion.install, dispatch_uid="icc-data-version")
