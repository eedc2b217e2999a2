from pathlib import Path

import yaml

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from courses.content import load_modules, load_quizzes
from glossary.content import load_glossary
from home.content import load_home_page
from home.models import SubSector
from learners.models import User

DEMO_ACCOUNTS = Path(__file__).resolve().parents[2] / "data" / "demo_accounts.yaml"


class Command(BaseCommand):
    help = (
        "Load Sheber's content (home page, glossary, seminar modules, quizzes) and, in "
        "development, the demo accounts. Safe to run again: it updates what exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="Load content only, no demo accounts."
        )

    def handle(self, *args, no_accounts=False, **options):
        load_home_page()
        self.stdout.write("Home page loaded in English, Russian and Kazakh.")
        plan = load_glossary()
        self.stdout.write(
            f"Glossary: {len(plan.created)} terms added, {len(plan.updated)} updated, "
            f"{len(plan.unchanged)} unchanged."
        )
        modules = load_modules()
        self.stdout.write(f"Seminar modules: {len(modules)}, in English and Russian.")
        quizzes = load_quizzes()
        self.stdout.write(f"Quizzes: {len(quizzes)}, in English and Russian.")
        if no_accounts:
            return
        if not settings.DEBUG:
            self.stdout.write("Demo accounts are for development only (DEBUG is off): skipped.")
            return
        accounts = self.load_accounts()
        self.stdout.write(self.style.SUCCESS("Demo accounts (development only):"))
        for account in accounts:
            self.stdout.write(
                f"  {account['group']:<15} {account['email']:<22} password: {account['password']}"
            )

    @transaction.atomic
    def load_accounts(self):
        accounts = yaml.safe_load(DEMO_ACCOUNTS.read_text(encoding="utf-8"))
        for account in accounts:
            user, _ = User.objects.update_or_create(
                email=account["email"],
                defaults={
                    "display_name": account["display_name"],
                    "native_language": account["native_language"],
                    "interface_language": account["interface_language"],
                    "city": account["city"],
                    "is_superuser": account.get("superuser", False),
                    "is_staff": account.get("superuser", False),
                },
            )
            user.set_password(account["password"])
            user.save()
            user.groups.set([Group.objects.get(name=account["group"])])
            user.sub_sectors.set(SubSector.objects.filter(slug__in=account["sub_sectors"]))
        return accounts
