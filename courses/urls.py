from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("certificates/<uuid:code>/", views.certificate, name="certificate"),
]
