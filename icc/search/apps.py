from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "icc.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models import AutoField, BigAutoField, BigIntegerField, IntegerField

        from icc.search import indexing
        from icc.search.query import AmongIds

        indexing.connect()
        for field in (AutoField, BigAutoField, IntegerField, BigIntegerField):
            field.register_lookup(AmongIds)
