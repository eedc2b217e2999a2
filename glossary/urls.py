from django.urls import path, register_converter

from . import views


class TranslationLanguageConverter:
    """The languages the glossary has equivalents in: "ru" and "kk"."""

    regex = "ru|kk"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TranslationLanguageConverter, "lang")

app_name = "glossary"

urlpatterns = [
    path("glossary/", views.glossary_index, name="index"),
    path("glossary/in/<lang:language>/", views.glossary_alphabet, name="alphabet"),
    path("glossary/<slug:slug>/", views.term_detail, name="term"),
    path("glossary/<slug:slug>/drill/", views.add_to_drills, name="add_to_drills"),
    path("drill/", views.drill, name="drill"),
    path("drill/answer/", views.drill_answer, name="drill_answer"),
    path("drill/hard/", views.hard_terms, name="hard_terms"),
    path("drill/hard/<int:pk>/reset/", views.reset_card, name="reset_card"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector"),
    path("sectors/<slug:slug>/anki/", views.sector_deck, name="sector_deck"),
]
