from django.shortcuts import get_object_or_404, render

from .models import Certificate


def certificate(request, code):
    """A certificate, open to anyone with its address: that is how it is verified."""
    return render(
        request,
        "courses/certificate.html",
        {"certificate": get_object_or_404(Certificate, code=code)},
    )
