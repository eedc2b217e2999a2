from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.formats import format_for
from glossary.importer import apply_import, plan_import

from ._progress import progress


class Command(BaseCommand):
    help = (
        "Import terms from a CSV or TBX-Basic file. Shows what would change; writes only with "
        "--apply, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .tbx file")
        parser.add_argument("--apply", action="store_true", help="write the changes")

    def handle(self, path, apply=False, **options):
        file = Path(path)
        file_format = format_for(file.name)
        if file_format is None:
            raise CommandError("Give a .csv or .tbx file.")
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        self.stderr.write(f"Reading {file.name} ({file.stat().st_size:,} bytes)…")
        records, problems = file_format.parse(file.read_bytes())
        plan = plan_import(
            records, problems, lambda items: progress(items, self.stderr, "Checking")
        )
        self.stdout.write(
            f"{len(plan.created)} to create, {len(plan.updated)} to update, "
            f"{len(plan.unchanged)} unchanged, {len(plan.rejected)} rejected."
        )
        for problem in plan.rejected:
            self.stdout.write(self.style.ERROR(f"  line {problem.line}: {problem.message}"))
        for problem in plan.warnings:
            self.stdout.write(self.style.WARNING(f"  line {problem.line}: {problem.message}"))
        if plan.rejected:
            raise CommandError("Nothing was imported: correct the rejected lines first.")
        if not apply:
            self.stdout.write("Nothing written: run again with --apply to import.")
            return
        written = apply_import(plan, lambda items: progress(items, self.stderr, "Importing"))
        self.stdout.write(self.style.SUCCESS(f"Imported {len(written)} terms."))
