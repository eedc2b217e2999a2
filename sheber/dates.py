"""Month names as they stand inside a date ("28 қараша", "28 ноября").

Django's own Kazakh catalogue capitalises them ("28 Қараша"), which Kazakh does not. Naming the
strings here, with Django's context, puts them in Sheber's catalogues, which Django reads before
its own, so `date:"j E"` and DATE_FORMAT write them in lower case. Nothing imports this module."""

from django.utils.translation import pgettext_lazy

MONTHS_IN_A_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
