"""The names of the months as dates on the public pages write them.

Django's own catalogues write month names with a capital in some languages whose
spelling keeps them lower case (Italian “1 marzo 2027”, Romanian, Portuguese, Polish,
Bulgarian). The public catalogue, which Django reads before its own, carries the names
so that each language writes them the way its readers do.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
