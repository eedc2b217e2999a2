"""The test suite: fast hashing, in-memory email, no manifest for static files."""

from .base import *

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # static files as in development, without collectstatic

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrency tests then meet the same locking (WAL, IMMEDIATE
    # transactions, busy timeout) as the site does.
    # SHEBER_TEST_DB names another file, so that two runs can share a checkout.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SHEBER_TEST_DB", str(BASE_DIR / ".test-db.sqlite3"))
    }
DRILL_FUZZING = False  # repeatable intervals in tests
