"""Production settings for the benchmarks, plus the bare view they compare Sheber's pages with
(`/bench/bare/`). Started by bench/server.py; never used to serve learners."""

from sheber.settings.production import *

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# First, so that the count includes the session, the user and everything after the view.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
