"""Production: everything secret comes from the environment; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# SMTP: a relay from the environment, or the machine's own mail transfer agent.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", 25)),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "false").lower() == "true",
            "timeout": 10,
        },
    }
}

# The login throttle counts failures per account and client address. Behind a proxy every
# request comes from the proxy's address, so CLIENT_IP_HEADER names the header in which the proxy
# passes on the client's (docs/deploy.md); set it only when the app servers are reachable through
# that proxy alone, or anyone could choose their address and escape the throttle.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
if CLIENT_IP_HEADER:
    CLIENT_IP_META = "HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_")

    def client_ip_address(request):
        return request.META.get(CLIENT_IP_META) or request.META.get("REMOTE_ADDR")

    AXES_CLIENT_IP_CALLABLE = client_ip_address

LOGGING["loggers"] = {
    "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
}
