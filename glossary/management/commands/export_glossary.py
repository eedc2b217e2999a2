from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.formats import format_for
from glossary.models import Term
from glossary.records import record_from_term

from ._progress import progress


class Command(BaseCommand):
    help = "Export the glossary to a CSV or TBX-Basic file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write: a .csv or .tbx file")
        parser.add_argument("--sector", help="only the terms of this sub-sector (its slug)")
        parser.add_argument("--approved", action="store_true", help="only approved terms")

    def handle(self, path, sector=None, approved=False, **options):
        file = Path(path)
        file_format = format_for(file.name)
        if file_format is None:
            raise CommandError("Give a .csv or .tbx file name.")
        terms = Term.objects.all()
        if sector:
            terms = terms.filter(sub_sectors__slug=sector)
        if approved:
            terms = terms.approved()
        terms = terms.for_export()
        total = terms.count()
        records = [
            record_from_term(term)
            for term in progress(terms.iterator(chunk_size=2000), self.stderr, "Exporting", total)
        ]
        file.write_bytes(file_format.export(records))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(records)} terms to {file}."))
