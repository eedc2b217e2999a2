from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from glossary.scheduling import MAX_RETENTION, MIN_RETENTION
from home.forms import IdChoicesMixin
from home.models import SubSector

from .models import Cohort, Language, NativeLanguage, User


def too_long(limit):
    return _("Please shorten this to at most %(limit)d characters.") % {"limit": limit}


class EmailField(forms.EmailField):
    default_error_messages = {
        "required": _("Please enter your email address."),
        "invalid": _("Enter an email address such as aigerim@example.kz."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("label", _("Email address"))
        super().__init__(**kwargs)
        self.error_messages["max_length"] = too_long(254)
        self.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})

    def clean(self, value):
        return super().clean(value).lower()


class SubSectorChoiceField(IdChoicesMixin, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=SubSector.objects.sectors(), required=False, **kwargs)

    def label_from_instance(self, obj):
        return obj.localized_name


class ProfileFieldsMixin(forms.ModelForm):
    """The profile fields that sign-up and the settings page share, with Sheber's messages."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("How trainers and certificates name you, in any alphabet."),
        error_messages={"required": _("Please tell us what to call you.")},
    )
    native_language = forms.ChoiceField(
        label=_("Translations first in"),
        choices=NativeLanguage.choices,
        widget=forms.RadioSelect,
        help_text=_("Glossary and drills show this language first."),
        error_messages={"required": _("Please choose Russian or Kazakh.")},
    )
    city = forms.CharField(
        label=_("City"), max_length=80, required=False, help_text=_("For example, Almaty.")
    )
    sub_sectors = SubSectorChoiceField(
        label=_("Your sub-sectors"), help_text=_("Choose any that you work in.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("display_name", "city"):
            self.fields[name].error_messages["max_length"] = too_long(80)
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name


class SignUpForm(ProfileFieldsMixin, auth_forms.BaseUserCreationForm):
    email = EmailField()

    class Meta:
        model = User
        fields = ["display_name", "email", "native_language", "city", "sub_sectors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.pop("autofocus", None)
        password1, password2 = self.fields["password1"], self.fields["password2"]
        password1.label = _("Password")
        password1.help_text = password_validation.password_validators_help_text_html()
        password2.label = _("Password again")
        password2.help_text = _("Type the same password to check it.")
        for field in (password1, password2):
            field.error_messages["required"] = _("Please enter a password.")
            field.widget.attrs["autocomplete"] = "new-password"
        self.fields["native_language"].initial = (
            NativeLanguage.KAZAKH if get_language() == "kk" else NativeLanguage.RUSSIAN
        )
        self.error_messages["password_mismatch"] = _("The two passwords are not the same.")

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email address already exists. Log in instead?")
            )
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        language = get_language()
        user.interface_language = language if language in Language.values else Language.ENGLISH
        if commit:
            user.save()
            self.save_m2m()
        return user


class LoginForm(auth_forms.AuthenticationForm):
    username = EmailField()

    error_messages = {
        "invalid_login": _("That email address and password do not match an account."),
        "inactive": _("This account has been switched off. Ask your trainer for help."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Please enter your password.")


class ProfileForm(ProfileFieldsMixin):
    interface_language = forms.ChoiceField(
        label=_("Interface language"), choices=Language.choices, widget=forms.RadioSelect
    )
    new_terms_per_day = forms.IntegerField(
        label=_("New terms per day"),
        min_value=1,
        max_value=50,
        help_text=_("How many new glossary terms drills introduce each day (1 to 50)."),
        error_messages={
            "required": _("Please enter a number from 1 to 50."),
            "invalid": _("Please enter a number from 1 to 50."),
            "min_value": _("Please enter a number from 1 to 50."),
            "max_value": _("Please enter a number from 1 to 50."),
        },
    )

    desired_retention = forms.IntegerField(
        label=_("Desired retention (%)"),
        min_value=MIN_RETENTION,
        max_value=MAX_RETENTION,
        help_text=_(
            "How sure you want to be of remembering a term when drills bring it back, from 80 to "
            "97%. Higher means more frequent reviews; 90% suits most learners."
        ),
        error_messages={
            key: _("Please enter a number from 80 to 97.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "interface_language",
            "native_language",
            "city",
            "sub_sectors",
            "new_terms_per_day",
            "desired_retention",
        ]


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = _("Type the same password to check it.")
        for field in self.fields.values():
            field.error_messages["required"] = _("Please enter a password.")
        self.error_messages = {"password_mismatch": _("The two new passwords are not the same.")}


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.error_messages["password_incorrect"] = _(
            "Your current password is not right. Please try again."
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailField()


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for the password: it cannot be undone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that my progress, answers and certificates will be deleted."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class JoinCohortForm(forms.Form):
    code = forms.CharField(
        label=_("Cohort code"),
        max_length=20,
        help_text=_("The six characters your trainer gave you, e.g. AST7K2."),
        error_messages={
            "required": _("Enter the code your trainer gave you."),
            "max_length": _("No cohort has this code: check it with your trainer."),
        },
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        try:
            return Cohort.objects.get(code=code)
        except Cohort.DoesNotExist:
            raise forms.ValidationError(
                _("No cohort has this code: check it with your trainer.")
            ) from None
