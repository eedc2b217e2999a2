"""Every string of the interface has a Russian and a Kazakh translation: extract the strings from
a copy of the source exactly as `makemessages` would, then look for any that is missing."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings

SOURCES = ["sheber", "home", "glossary", "courses", "learners", "templates", "locale"]


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory):
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        shutil.copytree(
            settings.BASE_DIR / name, copy / name, ignore=shutil.ignore_patterns("data", "*.mo")
        )
    shutil.copy(settings.BASE_DIR / "manage.py", copy)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale=ru",
            "--locale=kk",
            "--no-location",
            "--no-obsolete",
            "--verbosity=0",
        ],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "sheber.settings.test"},
    )
    return copy / "locale"


def entries_where(catalogue, flag):
    output = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(catalogue)], capture_output=True, text=True, check=True
    ).stdout
    return [
        line for line in output.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
    ]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_string_is_translated(extracted_catalogues, language):
    catalogue = extracted_catalogues / language / "LC_MESSAGES" / "django.po"

    assert entries_where(catalogue, "--untranslated") == []
    assert entries_where(catalogue, "--only-fuzzy") == []


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_committed_catalogues_are_up_to_date(extracted_catalogues, language):
    """The catalogue in the repository already holds every string of the code."""
    relative = Path(language) / "LC_MESSAGES" / "django.po"
    committed = (settings.BASE_DIR / "locale" / relative).read_text(encoding="utf-8")
    extracted = (extracted_catalogues / relative).read_text(encoding="utf-8")

    def msgids(text):
        return {line for line in text.splitlines() if line.startswith("msgid")}

    assert msgids(extracted) == msgids(committed)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_committed_catalogues_compile_with_matching_placeholders(language, tmp_path):
    """msgfmt refuses a translation whose %(name)s placeholders or plural forms differ from
    the English: such a string would fail or show the wrong number at run time."""
    catalogue = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(catalogue)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
