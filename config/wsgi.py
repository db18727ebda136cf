import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view now, through the URL map, and then move everything loaded so far out of
# the garbage collector's sight: the code and its data live as long as the process, so a
# full collection during a request no longer walks them (tens of milliseconds each time),
# and workers forked from a preloading server keep sharing those pages with it.
get_resolver().url_patterns  # noqa: B018 - read for its side effect, importing the views
gc.collect()
gc.freeze()
