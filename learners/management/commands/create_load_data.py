"""`manage.py create_load_data [--scale 1.0] [--seed 2026]`: fill a migrated database with a
city's worth of data for benchmarks, in bulk inserts (learners/loaddata.py):

- 5,000 learners (learner00001@load.sheber.kz …) and 10 trainers (trainer01@load.sheber.kz …),
  all with the password LOAD_PASSWORD, and 12 cohorts;
- 50,000 glossary terms with Russian and Kazakh equivalents: the shipped glossary and compounds
  of it, in the seven sub-sectors, mostly approved;
- the home page, 40 published modules of 6 lessons and 60 published quizzes (in English);
- enrolments, lesson completions, exercise answers and certificates that agree with each other;
- 500,000 drill reviews on their cards (each card's `reps` is its number of reviews);
- 100,000 quiz attempts, graded, some still open.

`--scale` multiplies every count (at least one of each; modules keep their six lessons).
`--seed` makes the data repeatable. The first 200 learners each have due cards, an enrolment
with completed lessons and an open quiz attempt (bench/pages.py signs in as them).

The whole run is one transaction, so a failure writes nothing; the command refuses to run
twice on one database. Terms are not added to Wagtail's search index, which only the admin's
snippet search uses (`manage.py update_index` adds them); glossary search reads the stored
search keys, which are filled."""

from django.core.management.base import BaseCommand, CommandError

from learners.loaddata import create_load_data, learner_email
from learners.models import User


class Command(BaseCommand):
    help = "Fill a migrated database with load data for benchmarks (see the module docstring)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply every count (default 1.0)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="for repeatable data")

    def handle(self, *args, scale=1.0, seed=2026, **options):
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        if User.objects.filter(email=learner_email(1)).exists():
            raise CommandError(
                f"Load data is already here ({learner_email(1)} exists): "
                "run this command on a fresh, migrated database."
            )
        create_load_data(scale=scale, seed=seed, out=self.stdout, err=self.stderr)
