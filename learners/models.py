import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from glossary.scheduling import DEFAULT_RETENTION, MAX_RETENTION, MIN_RETENTION
from home.models import SubSector


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    RUSSIAN = "ru", "Русский"
    KAZAKH = "kk", "Қазақша"


class NativeLanguage(models.TextChoices):
    RUSSIAN = "ru", "Русский"
    KAZAKH = "kk", "Қазақша"


class LearnerManager(UserManager):
    """Users sign in with their email address, compared without regard to letter case."""

    use_in_migrations = True

    def _create_user_object(self, email, password, **extra_fields):
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.password = ""
        user.set_password(password)
        return user

    def _create_user(self, email, password, **extra_fields):
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A Sheber account: a learner, a trainer or an administrator (by group)."""

    username = None
    # Stored in lower case (see save), so a plain unique index also ignores letter case.
    email = models.EmailField(
        _("email address"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("An account with this email address already exists.")},
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("How trainers and certificates name you."),
    )
    interface_language = models.CharField(
        _("interface language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    native_language = models.CharField(
        _("native language"),
        max_length=2,
        choices=NativeLanguage.choices,
        default=NativeLanguage.RUSSIAN,
        help_text=_("Translations in this language are shown first."),
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    sub_sectors = models.ManyToManyField(
        SubSector, blank=True, related_name="learners", verbose_name=_("sub-sectors")
    )
    new_terms_per_day = models.PositiveSmallIntegerField(
        _("new terms per day"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many new glossary terms drills introduce each day."),
    )
    desired_retention = models.PositiveSmallIntegerField(
        _("desired retention (%)"),
        default=DEFAULT_RETENTION,
        validators=[MinValueValidator(MIN_RETENTION), MaxValueValidator(MAX_RETENTION)],
        help_text=_("How likely you want to be to remember a term when drills bring it back."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = LearnerManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("view_reports", _("Can see learners' progress reports"))]

    def __str__(self):
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.display_name or super().get_full_name() or self.email

    def get_short_name(self):
        return self.display_name or self.email


JOIN_CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out in a room


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_LETTERS) for _ in range(6))


class Cohort(models.Model):
    """A group a trainer teaches, e.g. "Astana stage technicians, spring". Learners join it with
    its code or link; reports filter by it. A learner may belong to several."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("description"), max_length=600, blank=True, help_text=_("Who, where and when.")
    )
    code = models.CharField(_("join code"), max_length=6, unique=True, editable=False)
    members = models.ManyToManyField(
        User, related_name="cohorts", blank=True, verbose_name=_("members")
    )
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        while not self.code or Cohort.objects.filter(code=self.code).exclude(pk=self.pk).exists():
            self.code = new_join_code()
        super().save(*args, **kwargs)

    def get_join_url(self):
        return reverse("learners:join_cohort", kwargs={"code": self.code})

    @property
    def join_link(self):
        """The join link to share, with the site's address (shown in the admin)."""
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        return (site.root_url if site else "") + self.get_join_url()
