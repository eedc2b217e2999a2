from tests.courses.conftest import catalogue, lessons, module  # noqa: F401 - shared fixtures
