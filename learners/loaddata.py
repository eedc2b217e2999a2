"""Load data for benchmarks (`manage.py create_load_data`): a city's worth of learners and what
they have done, written with bulk inserts.

Everything is made from the shipped content: the glossary's terms plus compounds of them with
the heads in learners/data/load_data.yaml ("gobo checklist"), modules and quizzes from
courses/data under varied titles. Where the site has a rule, it is called, not copied: search
and sort keys of terms, FSRS scheduling of cards and the rating rule (glossary.scheduling),
quiz layouts and grading (courses.quizzes). Card histories are simulated with the real
scheduler once, then shifted in time for each card: FSRS intervals depend only on the time
between reviews, so a shifted history is still exactly what the scheduler would have made.

The big tables (terms and their equivalents, sub-sectors and links, cards, reviews, quiz
attempts) go in through the DB-API (`insert_rows`), the rest by bulk_create. Terms and cards
are inserted with their keys, which the later rows refer to.

The whole run is one transaction: a failure leaves the database as it was."""

import json
import math
import random
import time
import uuid
from bisect import bisect_left
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from fsrs import Card as FsrsCard
from fsrs import Rating
from modelsearch.signal_handlers import post_save_signal_handler

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField, Max, UUIDField
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.content import DATA as COURSE_DATA
from courses.content import _publish, _stream, load_catalogue, load_quiz_index, quiz_stream
from courses.models import (
    Certificate,
    Enrolment,
    ExerciseAnswer,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizAttempt,
    QuizPage,
)
from courses.quiz_blocks import GAP
from courses.quizzes import build_layout, grade, questions_by_key, terms_of
from glossary.content import TERMS_DATA
from glossary.drills import KNOWN_DAYS
from glossary.formats import csv_format
from glossary.management.commands._progress import progress
from glossary.models import (
    Card,
    CardState,
    DrillMode,
    RelatedTerm,
    Review,
    Term,
    TermStatus,
    TermTranslation,
)
from glossary.reviews import LEECH_LAPSES
from glossary.scheduling import DEFAULT_RETENTION, rating_for, scheduler
from glossary.search import bump_glossary_version
from home.content import load_home_page
from home.models import SubSector
from home.text import normalise, sort_key

from .models import JOIN_CODE_LETTERS, Cohort, User

LOAD_PASSWORD = "sheber-load-password"  # noqa: S105 (load data on benchmark databases only)
DOMAIN = "load.sheber.kz"
LOAD_DATA = Path(__file__).resolve().parent / "data" / "load_data.yaml"
COUNTS = {
    "learners": 5000,
    "trainers": 10,
    "cohorts": 12,
    "terms": 50_000,
    "modules": 40,
    "quizzes": 60,
    "reviews": 500_000,
    "attempts": 100_000,
}
LESSONS_PER_MODULE = 6
BATCH = 5000
WINDOW_DAYS = 150  # how far back the learners' activity goes
PRIORITY_LEARNERS = 200  # bench/pages.py signs in as these: each has all kinds of progress
LOAD_SOURCE = "Sheber load data"
HISTORIES = 500  # simulated card histories, shifted in time for each card
DUE_CARDS = 3  # cards due now, at least, of each of the first PRIORITY_LEARNERS
SKILLS = (0.3, 0.6, 0.8, 1.0)  # share of questions a learner gets right
CARD_FIELDS = (
    "id",
    "learner",
    "term",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "lapses",
    "reps",
    "suspended",
    "saved",
    "added_at",
)
ATTEMPT_FIELDS = (
    "learner",
    "quiz_key",
    "quiz",
    "revision",
    "number",
    "started_at",
    "deadline",
    "layout",
    "submitted_at",
    "responses",
    "scores",
    "score",
    "max_score",
    "percent",
    "passed",
)
REVIEW_FIELDS = (
    "learner",
    "card",
    "rating",
    "mode",
    "card_state",
    "reviewed_at",
    "duration_ms",
    "given_answer",
    "idempotency_key",
)


def learner_email(number):
    return f"learner{number:05d}@{DOMAIN}"


def trainer_email(number):
    return f"trainer{number:02d}@{DOMAIN}"


def scaled_counts(scale):
    """COUNTS times `scale`, at least one of each."""
    return {name: max(1, round(count * scale)) for name, count in COUNTS.items()}


@contextmanager
def given_timestamps(*fields):
    """Bulk inserts keep the times set on the objects: auto_now(_add) fields would all say now."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field_ in fields:
        field_.auto_now = field_.auto_now_add = False
    try:
        yield
    finally:
        for field_, auto_now, auto_now_add in saved:
            field_.auto_now, field_.auto_now_add = auto_now, auto_now_add


@contextmanager
def indexing_deferred(models):
    """Page saves without search and reference index updates (a page is saved three times on
    its way to being published); the caller indexes each page once afterwards."""
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def insert_rows(model, fields, rows):
    """Insert `rows`, tuples of values for the model's `fields` (names), straight through the
    DB-API: COPY on PostgreSQL, executemany on SQLite. The ORM's bulk_create prepares every
    field of every row, which costs more than the insert itself for the biggest tables.

    Values must be ready for the database except for datetimes (aware) and UUIDs, converted
    here as Django's SQLite backend stores them; JSON fields take their text, already encoded.
    Returns the number of rows."""
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column.column) for column in columns)
    connection.ensure_connection()
    count = 0
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    convert = [
        (index, _sqlite_datetime if isinstance(column, DateTimeField) else _sqlite_uuid)
        for index, column in enumerate(columns)
        if isinstance(column, DateTimeField | UUIDField)
    ]

    def ready(rows):
        nonlocal count
        for row in rows:
            count += 1
            if convert:
                row = list(row)
                for index, function in convert:
                    if row[index] is not None:
                        row[index] = function(row[index])
            yield row

    marks = ", ".join("?" * len(columns))
    connection.connection.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (names from the models)
        ready(rows),
    )
    return count


def _sqlite_datetime(value):
    """As the SQLite backend stores an aware datetime: naive UTC, `str()`."""
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_uuid(value):
    return value.hex


def next_pk(model):
    """The first primary key after the table's rows, for rows inserted with their keys."""
    return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1


class Bulk:
    """Rows waiting for a bulk insert, written BATCH at a time per model."""

    def __init__(self):
        self.rows = defaultdict(list)
        self.counts = Counter()

    def add(self, row):
        rows = self.rows[type(row)]
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(type(row))

    def flush(self, model=None):
        for name in [model] if model else list(self.rows):
            rows = self.rows.pop(name, [])
            if rows:
                name.objects.bulk_create(rows, batch_size=BATCH)
                self.counts[name] += len(rows)


@dataclass(slots=True)
class Learner:
    pk: int
    number: int
    name: str
    native: str
    interface: str
    joined: datetime
    sectors: list
    ability: float  # 0 to 1: how well quizzes and drills go


@dataclass(slots=True)
class Step:
    """One review of a simulated card history, times in seconds from its first review."""

    offset: float
    rating: int
    mode: str
    state_before: int
    duration_ms: int
    correct: bool
    typo: bool
    state: int
    step: int | None
    stability: float
    difficulty: float
    due: float
    lapses: int
    suspended: bool


@dataclass
class Lesson:
    key: uuid.UUID
    exercises: list


@dataclass
class Module:
    key: uuid.UUID
    title: str
    lessons: list = field(default_factory=list)


@dataclass
class Quiz:
    page: QuizPage
    timed: bool
    # language -> (layout, [(responses, half of them, scores, grade)]), JSON as text
    versions: dict = field(default_factory=dict)


class LoadData:
    """One run: `LoadData(counts, seed, out, err).run()`; `out` gets a line per stage, `err`
    the progress bars."""

    def __init__(self, counts, seed, out, err):
        self.counts = counts
        self.rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        self.out, self.err = out, err
        self.now = timezone.now()
        self.data = yaml.safe_load(LOAD_DATA.read_text(encoding="utf-8"))
        self.sector_objects = {sector.slug: sector for sector in SubSector.objects.all()}
        self.sectors = {slug: sector.pk for slug, sector in self.sector_objects.items()}
        self.specific_sectors = list(SubSector.objects.sectors().values_list("pk", flat=True))

    def run(self):
        timestamps = [
            model._meta.get_field(name)
            for model, name in (
                (Enrolment, "enrolled_at"),
                (LessonCompletion, "completed_at"),
                (ExerciseAnswer, "updated_at"),
                (Certificate, "issued_at"),
                (Cohort, "created_at"),
            )
        ]
        started = time.perf_counter()
        with transaction.atomic(), given_timestamps(*timestamps):
            self.stage("Accounts", self.create_accounts)
            self.stage("Glossary", self.create_terms)
            self.stage("Pages", self.create_pages)
            self.stage("Progress", self.create_progress)
            self.stage("Drills", self.create_drills)
            self.stage("Quiz attempts", self.create_attempts)
            if connection.vendor == "postgresql":  # terms and cards went in with their keys
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), [Term, Card]):
                        cursor.execute(sql)
        # The terms went in by bulk inserts, which send no signal; a shared cache (Redis) may
        # still hold lists made from an earlier glossary.
        bump_glossary_version()
        self.out.write(f"Load data written in {time.perf_counter() - started:.1f} s.")

    def stage(self, label, create):
        started, cpu = time.perf_counter(), time.process_time()
        summary = create()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.out.write(f"{label}: {summary} in {seconds:.1f} s ({cpu:.1f} s of this process's CPU)")

    def progress(self, items, label):
        return progress(items, self.err, label)

    def when(self, start, end=None):
        """A random moment between `start` and `end` (now)."""
        end = end or self.now
        return start + (end - start) * self.rng.random() if end > start else end

    def key(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # Accounts

    def person(self):
        rng, names = self.rng, self.data["names"]
        female = rng.random() < 0.58
        if rng.random() < 0.65:
            kazakh = names["kazakh"]
            first = rng.choice(kazakh["female" if female else "male"])
            if rng.random() < 0.2:
                surname = rng.choice(kazakh["male"]) + ("қызы" if female else "ұлы")
            else:
                surname = rng.choice(kazakh["surnames"]) + ("а" if female else "")
            native = "kk" if rng.random() < 0.7 else "ru"
        else:
            russian = names["russian"]
            first = rng.choice(russian["female" if female else "male"])
            if rng.random() < 0.15:
                surname = rng.choice(russian["invariable_surnames"])
            else:
                surname = rng.choice(russian["surnames"]) + ("а" if female else "")
            native = "ru" if rng.random() < 0.95 else "kk"
        shares = {
            "kk": (("kk", 45), ("ru", 35), ("en", 20)),
            "ru": (("ru", 70), ("en", 25), ("kk", 5)),
        }
        languages, weights = zip(*shares[native], strict=True)
        interface = rng.choices(languages, weights)[0]
        return f"{first} {surname}", native, interface

    def create_accounts(self):
        rng = self.rng
        password = make_password(LOAD_PASSWORD)
        cities, city_weights = zip(*self.data["cities"].items(), strict=True)
        bulk = Bulk()
        users = []
        for number in range(1, self.counts["learners"] + 1):
            name, native, interface = self.person()
            joined = self.now - timedelta(days=rng.uniform(14, WINDOW_DAYS))
            users.append(
                User(
                    email=learner_email(number),
                    password=password,
                    display_name=name,
                    native_language=native,
                    interface_language=interface,
                    city=rng.choices(cities, city_weights)[0],
                    new_terms_per_day=rng.choices((5, 10, 15, 20), (15, 60, 15, 10))[0],
                    date_joined=joined,
                    last_login=self.when(joined),
                )
            )
        users = User.objects.bulk_create(users, batch_size=BATCH)
        learners_group = Group.objects.get(name="Learners")
        self.learners = []
        for number, user in enumerate(users, start=1):
            sectors = rng.sample(self.specific_sectors, rng.choice((1, 1, 2, 3)))
            self.learners.append(
                Learner(
                    user.pk,
                    number,
                    user.display_name,
                    user.native_language,
                    user.interface_language,
                    user.date_joined,
                    sectors,
                    min(max(rng.gauss(0.65, 0.18), 0.05), 1.0),
                )
            )
            bulk.add(User.groups.through(user_id=user.pk, group_id=learners_group.pk))
            for sector in sectors:
                bulk.add(User.sub_sectors.through(user_id=user.pk, subsector_id=sector))

        trainers_group = Group.objects.get(name="Trainers")
        trainers = User.objects.bulk_create(
            User(
                email=trainer_email(number),
                password=password,
                display_name=self.person()[0],
                native_language="ru",
                interface_language=rng.choice(("ru", "kk", "en")),
                city=rng.choices(cities, city_weights)[0],
                date_joined=self.now - timedelta(days=WINDOW_DAYS + 30),
            )
            for number in range(1, self.counts["trainers"] + 1)
        )
        for trainer in trainers:
            bulk.add(User.groups.through(user_id=trainer.pk, group_id=trainers_group.pk))

        codes = set(Cohort.objects.values_list("code", flat=True))
        groups, seasons = self.data["cohorts"]["groups"], self.data["cohorts"]["seasons"]
        cohorts = []
        for number in range(self.counts["cohorts"]):
            code = ""
            while not code or code in codes:
                code = "".join(rng.choice(JOIN_CODE_LETTERS) for _ in range(6))
            codes.add(code)
            city = cities[number % len(cities)]
            group = groups[number % len(groups)]
            cohorts.append(
                Cohort(
                    name=f"{city} {group}, {rng.choice(seasons)}",
                    description=f"{group.capitalize()} from {city} and the region.",
                    code=code,
                    created_by=rng.choice(trainers),
                    created_at=self.now - timedelta(days=WINDOW_DAYS + rng.uniform(0, 30)),
                )
            )
        cohorts = Cohort.objects.bulk_create(cohorts)
        for learner in self.learners:
            for cohort in rng.sample(
                cohorts, min(rng.choices((0, 1, 2), (5, 85, 10))[0], len(cohorts))
            ):
                bulk.add(Cohort.members.through(cohort_id=cohort.pk, user_id=learner.pk))
        bulk.flush()
        return f"{len(users):,} learners, {len(trainers)} trainers, {len(cohorts)} cohorts"

    # Glossary

    def seed_records(self):
        records = []
        for path in sorted(TERMS_DATA.glob("*.csv")):
            file_records, problems = csv_format.parse(path.read_bytes())
            if problems:
                raise ValueError(f"{path.name}: {problems[0].message}")
            records += file_records
        return records

    def needed_headwords(self):
        """The headwords the module files name (key terms and key-terms blocks)."""
        names = set()
        for template in self.module_templates():
            names |= set(template["key_terms"])
            for lesson in template["en"]["lessons"]:
                for block in lesson["body"]:
                    names |= set(block.get("key_terms", []))
        return names

    def module_templates(self):
        if not hasattr(self, "_module_templates"):
            self._module_templates = [
                yaml.safe_load(path.read_text(encoding="utf-8"))
                for path in sorted((COURSE_DATA / "modules").glob("*.yaml"))
            ]
        return self._module_templates

    def term_specs(self, seeds):
        """(record, compound head or None) for each term to write: the shipped terms the
        modules need, then the other shipped terms each followed by a compound, then more
        compounds in random order (numbered once every head has been used)."""
        needed = self.needed_headwords()
        heads = self.data["term_heads"]
        compounds = [(seed, head) for head in heads for seed in seeds]
        self.rng.shuffle(compounds)
        yield from ((seed, None) for seed in seeds if seed.headword in needed)
        others = [seed for seed in seeds if seed.headword not in needed]
        for seed, compound in zip(others, compounds, strict=False):
            yield seed, None
            yield compound[0], (compound[1], 0)
        round_ = 0
        while True:
            start = len(others) if round_ == 0 else 0
            for seed, head in compounds[start:]:
                yield seed, (head, round_)
            round_ += 1

    def create_terms(self):
        seeds = self.seed_records()
        known = dict(Term.objects.values_list("headword_key", "pk"))
        slugs = set(Term.objects.values_list("slug", flat=True))
        needed = {normalise(name) for name in self.needed_headwords()}
        target = max(self.counts["terms"], len(needed - known.keys()))
        examples = self.data["term_examples"]
        cities = list(self.data["cities"])
        related = []  # (term, headword key of the related term)
        counts = Counter()
        batch, created = [], 0
        specs = self.term_specs(seeds)
        while created < target:
            seed, compound = next(specs)
            if compound is None:
                term, links = self.seed_term(seed)
            else:
                term, links = self.compound_term(seed, *compound, examples, cities)
            term.headword = term.headword.strip()
            term.headword_key = normalise(term.headword)
            if term.headword_key in known:
                continue
            known[term.headword_key] = None
            base = slugify(term.headword)[:120] or "term"
            slug, number = base, 2
            while slug in slugs:
                slug, number = f"{base}-{number}", number + 1
            slugs.add(slug)
            term.slug = slug
            term.search_keys = term.build_search_keys()
            batch.append((term, links))
            created += 1
            if len(batch) == BATCH or created == target:
                self.write_terms(batch, counts, related)
                for term, _links in batch:
                    known[term.headword_key] = term.pk
                batch = []
        links = [
            (term_pk, known[key], 0)
            for term_pk, key in dict.fromkeys(related)
            if known.get(key) and known[key] != term_pk
        ]
        counts[RelatedTerm] += insert_rows(RelatedTerm, ("term", "related", "sort_order"), links)
        return (
            f"{created:,} terms, {counts[TermTranslation]:,} translations, "
            f"{counts[RelatedTerm]:,} related-term links"
        )

    def write_terms(self, batch, counts, related):
        fields = [field.attname for field in Term._meta.concrete_fields]
        pk = next_pk(Term)
        translations, sub_sectors = [], []
        for term, (term_translations, sectors, links) in batch:
            term.pk, term.updated_at = pk, self.now
            pk += 1
            for order, translation in enumerate(term_translations):
                translations.append(
                    (
                        term.pk,
                        order,
                        translation.language,
                        translation.text,
                        translation.definition,
                        translation.note,
                        translation.preferred,
                        sort_key(translation.text, translation.language),
                    )
                )
            sub_sectors += [(term.pk, sector) for sector in sectors]
            related += [(term.pk, normalise(link)) for link in links]
        insert_rows(Term, fields, ([getattr(term, name) for name in fields] for term, _l in batch))
        counts[TermTranslation] += insert_rows(
            TermTranslation,
            (
                "term",
                "sort_order",
                "language",
                "text",
                "definition",
                "note",
                "preferred",
                "sort_key",
            ),
            translations,
        )
        insert_rows(Term.sub_sectors.through, ("term", "subsector"), sub_sectors)

    def _term(self, translations, **fields):
        term = Term(**fields)
        term.translations = translations
        return term

    def seed_term(self, seed):
        translations = [
            TermTranslation(
                language=t.language,
                text=t.text,
                definition=t.definition,
                note=t.note,
                preferred=t.preferred,
            )
            for t in seed.translations
        ]
        term = self._term(
            translations,
            headword=seed.headword,
            part_of_speech=seed.part_of_speech,
            pronunciation=seed.pronunciation,
            definition=seed.definition,
            example=seed.example,
            variants="|".join(seed.variants),
            status=seed.status or TermStatus.APPROVED,
            source=seed.source,
        )
        sectors = [self.sectors[slug] for slug in seed.sectors if slug in self.sectors]
        return term, (translations, sectors, seed.related)

    def compound_term(self, seed, head, round_, examples, cities):
        rng = self.rng
        suffix = f" {round_ + 1}" if round_ else ""
        headword = f"{seed.headword} {head['en']}{suffix}"
        preferred = {}
        for translation in seed.translations:
            preferred.setdefault(translation.language, translation.text)
        translations = []
        if "ru" in preferred:
            text = f"{head['ru']}: {preferred['ru']}{suffix}"
            translations.append(TermTranslation(language="ru", text=text[:200], preferred=True))
        if "kk" in preferred:
            text = f"{preferred['kk']} {head['kk']}{suffix}"
            translations.append(TermTranslation(language="kk", text=text[:200], preferred=True))
        definition = seed.definition
        if definition[1:2].islower():
            definition = definition[0].lower() + definition[1:]
        pronunciation = seed.pronunciation.strip("/")
        sectors = [self.sectors[slug] for slug in seed.sectors if slug in self.sectors]
        if not set(sectors) & set(self.specific_sectors):
            sectors.append(rng.choice(self.specific_sectors))
        variants = "|".join(f"{variant} {head['en']}{suffix}" for variant in seed.variants)
        term = self._term(
            translations,
            headword=headword,
            part_of_speech="noun",
            pronunciation=f"/{pronunciation} {head['ipa']}/" if pronunciation else "",
            definition=f"{head['meaning']} the {seed.headword}: {definition}"[:600],
            example=rng.choice(examples).format(term=headword, city=rng.choice(cities)),
            variants=variants if len(variants) <= 255 else "",
            status=TermStatus.APPROVED if rng.random() < 0.94 else TermStatus.DRAFT,
            source=LOAD_SOURCE,
        )
        return term, (translations, sectors, [seed.headword])

    # Pages

    def create_pages(self):
        load_home_page()
        catalogue = load_catalogue()
        quiz_index = load_quiz_index()
        terms = {
            term.headword: term
            for term in Term.objects.filter(headword__in=self.needed_headwords())
        }
        created = []
        with indexing_deferred([ModulePage, LessonPage, QuizPage]):
            modules = self.progress(range(self.counts["modules"]), "Modules")
            for number in modules:
                created += self.create_module(number, catalogue, terms)
            quizzes = self.progress(range(self.counts["quizzes"]), "Quizzes")
            for number in quizzes:
                created.append(self.create_quiz(number, quiz_index))
        ids = defaultdict(list)
        for page in created:
            ids[type(page)].append(page.pk)
        published = {model: list(model.objects.filter(pk__in=pks)) for model, pks in ids.items()}
        for backend in get_search_backends(with_auto_update=True):
            for model, pages in published.items():
                backend.add_bulk(model, pages)
        for pages in published.values():
            for page in pages:
                ReferenceIndex.create_or_update_for_object(page)
        self.load_page_facts(published)
        lessons = sum(len(module.lessons) for module in self.modules)
        return (
            f"{len(self.modules)} modules with {lessons} lessons, {len(self.quizzes)} quizzes "
            "(published)"
        )

    def unique_slug(self, parent, base):
        taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def edition(self, number, editions, per_edition):
        edition = editions[(number // per_edition) % len(editions)]
        round_ = number // (per_edition * len(editions))
        return f"{edition} {round_ + 1}" if round_ else edition

    def create_module(self, number, catalogue, terms):
        templates = self.module_templates()
        template = templates[number % len(templates)]
        following = templates[(number + 1) % len(templates)]
        edition = self.edition(number, self.data["module_editions"], len(templates))
        copy = template["en"]
        module = catalogue.add_child(
            instance=ModulePage(
                title=f"{copy['title']} ({edition})",
                slug=self.unique_slug(catalogue, slugify(f"{template['slug']} {edition}")),
                summary=copy["summary"],
                track=template["track"],
                level=template["level"],
                live=False,
            )
        )
        module.outcomes = [("outcome", outcome) for outcome in copy["outcomes"]]
        module.sub_sectors = [self.sector_objects[slug] for slug in template["sectors"]]
        module.key_terms = [terms[name] for name in template["key_terms"]]
        _publish(module)
        pages = [module]
        lessons = (copy["lessons"] + following["en"]["lessons"])[:LESSONS_PER_MODULE]
        for lesson_copy in lessons:
            lesson = module.add_child(
                instance=LessonPage(
                    title=lesson_copy["title"],
                    minutes=lesson_copy["minutes"],
                    body=_stream(lesson_copy["body"], terms),
                    live=False,
                )
            )
            pages.append(_publish(lesson))
        return pages

    def quiz_templates(self):
        templates = [
            yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((COURSE_DATA / "quizzes").glob("*.yaml"))
        ]
        return [template for template in templates if not template.get("module")]

    def create_quiz(self, number, index):
        if not hasattr(self, "_quiz_templates"):
            self._quiz_templates = self.quiz_templates()
        templates = self._quiz_templates
        template = templates[number % len(templates)]
        edition = self.edition(number, self.data["quiz_editions"], len(templates))
        copy = template["en"]
        slug = self.unique_slug(index, slugify(f"{template['slug']} {edition}"))
        quiz = index.add_child(
            instance=QuizPage(title=f"{copy['title']}: {edition}", slug=slug, live=False)
        )
        quiz.intro = copy["intro"]
        quiz.pass_message, quiz.fail_message = copy["pass_message"], copy["fail_message"]
        quiz.pass_mark = template["pass_mark"]
        # Every third quiz has no time limit: open attempts stay open whenever they are read.
        quiz.time_limit = None if number % 3 == 0 else template["time_limit"]
        quiz.attempt_limit = 3 if number % 4 == 1 else template["attempt_limit"]
        quiz.shuffle_questions = template["shuffle_questions"]
        quiz.shuffle_choices = template["shuffle_choices"]
        quiz.reveal = template["reveal"]
        quiz.sub_sectors = [self.sector_objects[slug] for slug in template["sectors"]]
        quiz.questions = quiz_stream(slug, copy["questions"])
        return _publish(quiz)

    def load_page_facts(self, published):
        """What later stages need of the pages, as published."""
        modules = published[ModulePage]
        self.modules = [Module(page.translation_key, page.title) for page in modules]
        by_path = {page.path: module for page, module in zip(modules, self.modules, strict=True)}
        for lesson in sorted(published[LessonPage], key=lambda page: page.path):
            exercises = [block.id for block in lesson.body if block.block_type == "exercise"]
            by_path[lesson.path[: -lesson.steplen]].lessons.append(
                Lesson(lesson.translation_key, exercises)
            )
        self.quizzes = [Quiz(quiz, quiz.time_limit is not None) for quiz in published[QuizPage]]

    # Enrolments, lesson completions, exercise answers, certificates

    def create_progress(self):
        rng, bulk = self.rng, Bulk()
        answers = self.data["exercise_answers"]
        for learner in self.progress(self.learners, "Progress"):
            priority = learner.number <= PRIORITY_LEARNERS
            count = rng.choices(range(7), (6, 30, 25, 17, 10, 7, 5))[0]
            count = min(max(count, 1 if priority else 0), len(self.modules))
            for position, module in enumerate(rng.sample(self.modules, count)):
                total = len(module.lessons)
                done = rng.choices(range(total + 1), [3] + [2] * (total - 1) + [4])[0]
                if priority and position == 0:
                    done = rng.randint(1, max(total - 1, 1))  # started, not finished
                enrolled = self.when(learner.joined, self.now - timedelta(days=1))
                moment = enrolled
                enrolment = Enrolment(
                    learner_id=learner.pk, module_key=module.key, enrolled_at=enrolled
                )
                for lesson in module.lessons[:done]:
                    moment = self.when(moment, min(moment + timedelta(days=4), self.now))
                    bulk.add(
                        LessonCompletion(
                            learner_id=learner.pk,
                            module_key=module.key,
                            lesson_key=lesson.key,
                            completed_at=moment,
                        )
                    )
                    for block_id in lesson.exercises:
                        if rng.random() < 0.55:
                            bulk.add(
                                ExerciseAnswer(
                                    learner_id=learner.pk,
                                    lesson_key=lesson.key,
                                    block_id=block_id,
                                    text=rng.choice(answers[learner.interface]),
                                    updated_at=moment - timedelta(minutes=rng.uniform(2, 30)),
                                )
                            )
                if total and done == total:
                    enrolment.completed_at = moment
                    bulk.add(
                        Certificate(
                            code=self.key(),
                            learner_id=learner.pk,
                            module_key=module.key,
                            learner_name=learner.name,
                            module_title=module.title,
                            language="en",
                            issued_at=moment,
                        )
                    )
                bulk.add(enrolment)
        bulk.flush()
        counts = bulk.counts
        return (
            f"{counts[Enrolment]:,} enrolments, {counts[LessonCompletion]:,} lesson completions, "
            f"{counts[ExerciseAnswer]:,} exercise answers, {counts[Certificate]:,} certificates"
        )

    # Drills

    def simulate(self, fsrs):
        """One card's history with the real scheduler, from its first review until the learner
        stops (or it becomes a leech), with realistic delays and answers."""
        rng = self.rng
        accuracy = rng.uniform(0.7, 0.98)
        delay_days = rng.choice((0.1, 0.3, 0.5, 1.0, 2.0))  # mean delay after a due date
        voice = rng.random() < 0.3
        start = datetime(2026, 1, 1, tzinfo=UTC)
        moment, card, lapses, steps = start, FsrsCard(card_id=1, due=start), 0, []
        usual = {"choice": 5000, "listening": 7000, "typing": 9000, "matching": 4000}
        while len(steps) < 200 and moment - start < timedelta(days=WINDOW_DAYS + 60):
            state_before = int(card.state)
            mode = self.drill_mode(card, voice, steps)
            recall = fsrs.get_card_retrievability(card, moment) if card.last_review else 1.0
            correct = rng.random() < accuracy * (0.35 + 0.65 * recall)
            typo = correct and mode == DrillMode.TYPING and rng.random() < 0.1
            duration = int(rng.lognormvariate(math.log(usual.get(mode, 3500)), 0.45))
            if mode == DrillMode.FLASHCARD:
                rating = rng.choices((1, 2, 3, 4), (12, 18, 55, 15))[0]
                correct = rating > 1
            else:
                rating = int(
                    rating_for(correct, typo=typo, duration_ms=duration, usual_ms=usual[mode])
                )
            card, _log = fsrs.review_card(card, Rating(rating), moment, duration)
            if rating == Rating.Again and state_before == CardState.REVIEW:
                lapses += 1
            steps.append(
                Step(
                    (moment - start).total_seconds(),
                    rating,
                    mode,
                    state_before,
                    duration,
                    correct,
                    typo,
                    int(card.state),
                    card.step,
                    card.stability,
                    card.difficulty,
                    (card.due - start).total_seconds(),
                    lapses,
                    lapses >= LEECH_LAPSES,
                )
            )
            if lapses >= LEECH_LAPSES or rng.random() < 0.005:  # a leech, or the learner gives up
                break
            gap = card.due - moment
            wait = (
                rng.uniform(0, 600)
                if gap < timedelta(hours=1)
                else rng.expovariate(1 / delay_days) * 86400
            )
            moment = card.due + timedelta(seconds=wait)
        return steps

    def drill_mode(self, card, voice, steps):
        """A mode as glossary.drills.exercise_for picks them (flashcard when new, choices while
        young, typing once known, listening for some), with every sixth answer a matching
        round."""
        if card.last_review is None:
            return DrillMode.FLASHCARD
        flip = int(card.last_review.timestamp()) % 2 == 1
        if len(steps) % 6 == 5:
            return DrillMode.MATCHING
        if card.state != CardState.REVIEW:
            return DrillMode.CHOICE
        if (card.stability or 0) < KNOWN_DAYS:
            return DrillMode.LISTENING if voice and flip else DrillMode.CHOICE
        return DrillMode.LISTENING if voice and flip else DrillMode.TYPING

    def create_drills(self):
        fsrs = scheduler(DEFAULT_RETENTION)
        fsrs.enable_fuzzing = False  # repeatable: the learners' own delays vary the intervals
        histories = []
        for _ in range(min(HISTORIES, self.counts["reviews"])):
            steps = self.simulate(fsrs)
            # Offsets and due dates both grow along a history: placed by bisection.
            histories.append((steps, [s.offset for s in steps], [s.due for s in steps]))
        approved = Term.objects.approved()
        headwords = dict(approved.values_list("pk", "headword"))
        all_terms = list(headwords)
        by_sector = defaultdict(list)
        through = Term.sub_sectors.through.objects.filter(term__status=TermStatus.APPROVED)
        for term_id, sector_id in through.values_list("term_id", "subsector_id").iterator():
            by_sector[sector_id].append(term_id)
        quotas = self.quotas(self.counts["reviews"], least=DUE_CARDS)
        counts = Counter()
        due_cards = 0
        chunk, pools = [], {}
        for learner, quota in self.progress(
            list(zip(self.learners, quotas, strict=True)), "Drills"
        ):
            chunk.append(self.learner_cards(learner, quota, histories, by_sector, all_terms, pools))
            if sum(len(reviews) for cards in chunk for _c, reviews in cards) >= BATCH * 2:
                due_cards += self.write_cards(chunk, counts, headwords, all_terms)
                chunk = []
        due_cards += self.write_cards(chunk, counts, headwords, all_terms)
        return f"{counts[Card]:,} cards ({due_cards:,} due today), {counts[Review]:,} reviews"

    def quotas(self, total, least=0):
        """`total` split among the learners by how active each is (exact sum), at least
        `least` for each of the first PRIORITY_LEARNERS where there is enough."""
        weights = [self.rng.lognormvariate(0, 0.8) for _ in self.learners]
        scale = total / sum(weights)
        quotas = [int(weight * scale) for weight in weights]
        for index in self.rng.sample(range(len(quotas)), total - sum(quotas)):
            quotas[index] += 1
        for index in range(min(PRIORITY_LEARNERS, len(quotas))):
            while quotas[index] < least:
                donor = max(range(len(quotas)), key=quotas.__getitem__)
                if quotas[donor] <= least:
                    break
                quotas[donor] -= 1
                quotas[index] += 1
        return quotas

    def learner_cards(self, learner, quota, histories, by_sector, all_terms, pools):
        """[(card row, [(Step, reviewed_at), ...])] adding up to `quota` reviews, a card row
        being the values of CARD_FIELDS but the key."""
        rng, now = self.rng, self.now
        sectors = tuple(learner.sectors)
        if sectors not in pools:  # learners share sector sets: each pool is made once
            pools[sectors] = [pk for sector in sectors for pk in by_sector[sector]] or all_terms
        pool = pools[sectors]
        used, cards = set(), []
        priority = learner.number <= PRIORITY_LEARNERS
        start_window = (learner.joined, now - timedelta(minutes=10))
        quota, misses = max(quota, 0), 0
        while quota > 0:
            term = rng.choice(pool)
            if term in used:
                misses += 1
                if misses > 50:  # the learner's sectors are used up: any term, then stop
                    if pool is all_terms:
                        break
                    pool, misses = all_terms, 0
                continue
            used.add(term)
            history, offsets, dues = rng.choice(histories)
            span = (now - learner.joined).total_seconds()
            fits = bisect_left(dues, span)  # steps due within the learner's time here
            if fits and ((priority and len(cards) < DUE_CARDS) or rng.random() < 0.03):
                # Due now: placed so that its due date has just passed.
                length = rng.randint(1, fits)
                overdue = rng.uniform(600, min(2 * 86400, span - dues[length - 1]))
                start = now - timedelta(seconds=dues[length - 1] + overdue)
            else:
                start = self.when(*start_window)
                length = bisect_left(offsets, (now - start).total_seconds())
            # Leave a review for each due card still to come.
            reserve = max(DUE_CARDS - len(cards) - 1, 0) if priority else 0
            length = max(min(length, quota - reserve), 1)
            quota -= length
            steps = history[:length]
            last = steps[-1]
            card = (
                learner.pk,
                term,
                last.state,
                last.step,
                last.stability,
                last.difficulty,
                start + timedelta(seconds=last.due),
                start + timedelta(seconds=last.offset),
                last.lapses,
                length,
                last.suspended,
                rng.random() < 0.08,
                start - timedelta(seconds=rng.uniform(0, 120)),
            )
            cards.append((card, [(step, start + timedelta(seconds=step.offset)) for step in steps]))
        if rng.random() < 0.3:  # terms saved from a page, not drilled yet
            # A term in two of the learner's sectors is in the pool twice: sampled twice too.
            for term in rng.sample(pool, min(2, len(pool))):
                if term not in used:
                    used.add(term)
                    added = self.when(learner.joined)
                    state = CardState.LEARNING.value
                    row = (learner.pk, term, state, 0, None, None, added, None, 0, 0, False)
                    cards.append(((*row, True, added), []))
        return cards

    def write_cards(self, chunk, counts, headwords, all_terms):
        rng = self.rng
        pk = next_pk(Card)
        cards, reviews = [], []
        for learner_cards in chunk:
            for card, steps in learner_cards:
                cards.append((pk, *card))
                learner, term = card[0], card[1]
                for step, reviewed_at in steps:
                    reviews.append(
                        (
                            learner,
                            pk,
                            step.rating,
                            step.mode,
                            step.state_before,
                            reviewed_at,
                            step.duration_ms,
                            self.given_answer(step, term, headwords, all_terms),
                            f"{rng.getrandbits(128):032x}",
                        )
                    )
                pk += 1
        counts[Card] += insert_rows(Card, CARD_FIELDS, cards)
        counts[Review] += insert_rows(Review, REVIEW_FIELDS, reviews)
        tomorrow = self.now + timedelta(days=1)
        due, suspended = CARD_FIELDS.index("due"), CARD_FIELDS.index("suspended")
        return sum(1 for card in cards if card[due] < tomorrow and not card[suspended])

    def given_answer(self, step, term, headwords, all_terms):
        """What the learner sent: a term key for a choice, text when typing, nothing for a
        flashcard."""
        if step.mode == DrillMode.FLASHCARD:
            return ""
        if step.mode == DrillMode.TYPING:
            if not step.correct:
                return headwords[self.rng.choice(all_terms)]
            word = headwords[term]
            if step.typo and len(word) > 3:
                cut = self.rng.randrange(1, len(word) - 1)
                return word[:cut] + word[cut + 1 :]
            return word
        return str(term if step.correct else self.rng.choice(all_terms))

    # Quiz attempts

    def create_attempts(self):
        rng = self.rng
        for quiz in self.quizzes:
            for language in ("ru", "kk"):
                layout = build_layout(quiz.page, language, rng)
                terms = terms_of(layout)
                answered = []
                for skill in SKILLS:
                    responses = self.responses(quiz.page, layout, terms, skill)
                    result = grade(quiz.page, layout, responses, terms)
                    half = dict(list(responses.items())[: len(responses) // 2])
                    # JSON text, encoded once for every attempt that uses it.
                    texts = json.dumps(responses), json.dumps(half), json.dumps(result.scores)
                    answered.append((*texts, result))
                quiz.versions[language] = (json.dumps(layout), answered)
        quotas = self.quotas(self.counts["attempts"])
        untimed = [quiz for quiz in self.quizzes if not quiz.timed]
        rows, written = [], 0
        open_attempts = carry = 0
        for learner, quota in self.progress(
            list(zip(self.learners, quotas, strict=True)), "Quiz attempts"
        ):
            quota += carry
            priority = learner.number <= PRIORITY_LEARNERS
            order = rng.sample(self.quizzes, len(self.quizzes))
            if priority and untimed:
                first = rng.choice(untimed)
                order.remove(first)
                order.insert(0, first)
            for position, quiz in enumerate(order):
                if quota <= 0 and not (priority and position == 0):
                    break
                limit = quiz.page.attempt_limit or 5
                count = max(
                    min(rng.choices((1, 2, 3, 4, 5), (50, 25, 13, 7, 5))[0], limit, quota), 1
                )
                keep_open = not quiz.timed and ((priority and position == 0) or rng.random() < 0.04)
                made, opened = self.attempts(rows, learner, quiz, count, keep_open)
                quota -= made
                open_attempts += opened
            carry = max(quota, 0)
            if len(rows) >= BATCH:
                insert_rows(QuizAttempt, ATTEMPT_FIELDS, rows)
                written, rows = written + len(rows), []
        written += insert_rows(QuizAttempt, ATTEMPT_FIELDS, rows)
        return f"{written:,} quiz attempts ({open_attempts:,} open)"

    def attempts(self, rows, learner, quiz, count, keep_open):
        """A learner's attempts at one quiz, numbered from 1, the last one open if asked, as
        rows of ATTEMPT_FIELDS added to `rows`."""
        rng, page = self.rng, quiz.page
        layout, answered = quiz.versions[learner.native]
        level = min(int(learner.ability * len(SKILLS)), len(SKILLS) - 1)
        moment = self.when(learner.joined, self.now - timedelta(days=2))
        made = 0
        for number in range(1, count + 1):
            is_open = keep_open and number == count
            if moment > self.now - timedelta(hours=2):
                if not keep_open:
                    break
                is_open = True  # the learner is on this attempt now
            # Now, after the previous attempt (submitted two hours ago at the latest).
            started = self.now - timedelta(minutes=rng.uniform(5, 90)) if is_open else moment
            responses, half, scores, result = answered[
                min(max(level + number - 1 + rng.randint(-1, 1), 0), len(SKILLS) - 1)
            ]
            minutes = rng.uniform(3, (page.time_limit or 25) - 1)
            deadline = started + timedelta(minutes=page.time_limit) if page.time_limit else None
            row = (
                learner.pk,
                page.translation_key,
                page.pk,
                page.live_revision_id,
                number,
                started,
                deadline,
                layout,
            )
            if is_open:
                rows.append((*row, None, half, "{}", None, None, None, None))
            else:
                submitted = started + timedelta(minutes=minutes)
                rows.append(
                    (
                        *row,
                        submitted,
                        responses,
                        scores,
                        result.score,
                        result.max,
                        result.percent,
                        result.passed,
                    )
                )
                moment = submitted + timedelta(hours=1 + rng.expovariate(1 / 30))
            made += 1
            if is_open:
                return made, True
        return made, False

    def responses(self, quiz, layout, terms, skill):
        """What a learner who knows `skill` of the answers sends, as `read_responses` keeps it."""
        rng = self.rng
        questions = questions_by_key(quiz)
        responses = {}
        for entry in layout:
            value = questions[entry["key"]].value
            kind = entry["type"]

            def right():
                return rng.random() < skill

            if kind in ("single_choice", "multiple_choice"):
                choices = {
                    child.id: child.value["correct"] for child in value["choices"].bound_blocks
                }
                if kind == "single_choice":
                    good = right()
                    wanted = [pk for pk, correct in choices.items() if correct == good]
                    response = rng.choice(wanted) if wanted else None
                else:
                    response = [pk for pk in entry["choices"] if choices[pk] == right()]
            elif kind == "true_false":
                response = "true" if bool(value["answer"]) == right() else "false"
            elif kind == "short_answer":
                response = (
                    value["answers"][0] if right() else rng.choice(("I don't know", "—", "?"))
                )
            elif kind == "matching":
                response = {}
                for pk in entry["items"]:
                    response[pk] = pk if right() else rng.choice(entry["matches"])
            elif kind == "ordering":
                order = [child.id for child in value["items"].bound_blocks]
                if not right() and len(order) > 1:
                    first, second = rng.sample(range(len(order)), 2)
                    order[first], order[second] = order[second], order[first]
                response = order if order != entry["items"] else None
            elif kind == "gap_fill":
                gaps = [answer.split("|")[0] for answer in GAP.findall(value["text"])]
                response = [gap if right() else "" for gap in gaps]
            else:
                response = {}
                for pk in entry["terms"]:
                    if value["kind"] == "definition":
                        response[str(pk)] = terms[pk].headword if right() else "?"
                    else:
                        offered = (
                            entry["options"][str(pk)]
                            if value["kind"] == "translation"
                            else entry["matches"]
                        )
                        response[str(pk)] = pk if right() else rng.choice(offered)
            if response:
                responses[entry["key"]] = response
        return responses


def create_load_data(scale=1.0, seed=2026, out=None, err=None):
    LoadData(scaled_counts(scale), seed, out, err).run()
