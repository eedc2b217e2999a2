"""Sheber's URLs and one bare Django view: the yardstick each benchmark result is divided by."""

from django.shortcuts import render
from django.urls import path

from sheber.urls import urlpatterns as sheber_urlpatterns


def bare(request):
    """A small template, no database, no session: what Django alone costs per request."""
    return render(request, "bench/bare.html", {"items": range(10)})


urlpatterns = [path("bench/bare/", bare), *sheber_urlpatterns]
