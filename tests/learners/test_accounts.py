import re

import pytest

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import translation

from home.models import SubSector
from learners.models import User

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "stage-lights-over-Astana"


def signup_data(**overrides):
    data = {
        "display_name": "Аружан Сейітқали",
        "email": "Aruzhan@Example.kz",
        "native_language": "kk",
        "city": "Астана",
        "sub_sectors": [SubSector.objects.get(slug="performing-arts").pk],
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


class TestSignUp:
    def test_creates_the_account_and_logs_in(self, client):
        response = client.post(url("learners:signup", "ru"), signup_data())

        assert response.status_code == 302
        user = User.objects.get()
        assert user.email == "aruzhan@example.kz"
        assert user.display_name == "Аружан Сейітқали"
        assert user.city == "Астана"
        assert user.native_language == "kk"
        assert user.interface_language == "ru"
        assert [s.slug for s in user.sub_sectors.all()] == ["performing-arts"]
        assert user.check_password(STRONG_PASSWORD)
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_empty_form_names_every_missing_field(self, client):
        response = client.post(url("learners:signup"), {})

        assert response.status_code == 200
        assert field_errors(response, "display_name") == ["Please tell us what to call you."]
        assert field_errors(response, "email") == ["Please enter your email address."]
        assert field_errors(response, "password1") == ["Please enter a password."]
        assert not User.objects.exists()
        # The error summary links each problem to its field.
        assert b'href="#id_email"' in response.content

    def test_duplicate_email_in_other_letter_case_is_refused(self, client, learner):
        response = client.post(url("learners:signup"), signup_data(email=learner.email.upper()))

        assert response.status_code == 200
        assert field_errors(response, "email") == [
            "An account with this email address already exists. Log in instead?"
        ]
        assert User.objects.count() == 1

    @pytest.mark.parametrize(
        ("password", "message"),
        [
            ("short1", "This password is too short: use at least 10 characters."),
            ("4815162342108", "This password has only digits: add letters too."),
            ("password123", "This password is one of the most common ones: choose another."),
            ("aruzhan@example.kz", "This password is too similar to your name or email address."),
        ],
    )
    def test_weak_passwords_are_refused_with_a_reason(self, client, password, message):
        response = client.post(
            url("learners:signup"), signup_data(password1=password, password2=password)
        )

        assert message in field_errors(response, "password2")
        assert not User.objects.exists()

    def test_mismatched_passwords(self, client):
        response = client.post(url("learners:signup"), signup_data(password2="something-else-1"))

        assert field_errors(response, "password2") == ["The two passwords are not the same."]

    def test_ten_kilobytes_in_every_field_gives_errors_not_a_crash(self, client):
        flood = "ә" * 10_240
        response = client.post(
            url("learners:signup"),
            {
                "display_name": flood,
                "email": flood + "@example.kz",
                "native_language": flood,
                "city": flood,
                "sub_sectors": [flood],
                "password1": flood,
                "password2": flood,
            },
        )

        assert response.status_code == 200
        assert field_errors(response, "display_name") == [
            "Please shorten this to at most 80 characters."
        ]
        assert field_errors(response, "city") == ["Please shorten this to at most 80 characters."]
        assert field_errors(response, "email")
        assert field_errors(response, "native_language")
        assert field_errors(response, "sub_sectors")
        assert not User.objects.exists()

    def test_kazakh_and_cyrillic_letters_are_kept_as_typed(self, client):
        client.post(url("learners:signup"), signup_data(display_name="  Әлия   Қайратқызы  "))

        assert User.objects.get().display_name == "Әлия Қайратқызы"

    @pytest.mark.parametrize("language", ["ru", "kk"])
    def test_errors_are_translated(self, client, language):
        response = client.post(url("learners:signup", language), {})

        with translation.override(language):
            translated = translation.gettext("Please enter your email address.")
        assert translated != "Please enter your email address."
        assert field_errors(response, "email") == [translated]
        assert translated in response.content.decode()

    def test_signed_in_visitors_are_sent_home(self, client, learner):
        client.force_login(learner)

        assert client.get(url("learners:signup")).status_code == 302


class TestLogin:
    def test_logs_in_by_email_in_any_letter_case_and_in_the_learners_language(
        self, client, learner, password
    ):
        learner.interface_language = "kk"
        learner.save()

        response = client.post(
            url("learners:login"), {"username": learner.email.upper(), "password": password}
        )

        assert response.status_code == 302
        assert response["Location"] == "/kk/"
        assert response.cookies["django_language"].value == "kk"
        assert client.session["_auth_user_id"] == str(learner.pk)

    def test_session_key_rotates_on_login(self, client, learner, password):
        client.get(url("learners:login"))
        client.session.save()
        before = client.session.session_key

        client.post(url("learners:login"), {"username": learner.email, "password": password})

        assert client.session.session_key != before

    def test_wrong_password_is_refused_clearly(self, client, learner):
        response = client.post(
            url("learners:login"), {"username": learner.email, "password": "not-my-password"}
        )

        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "That email address and password do not match an account."
        ]
        assert "_auth_user_id" not in client.session

    def test_empty_and_oversized_input(self, client):
        empty = client.post(url("learners:login"), {})
        flood = client.post(url("learners:login"), {"username": "q" * 10_240, "password": "q"})

        assert field_errors(empty, "username") == ["Please enter your email address."]
        assert field_errors(empty, "password") == ["Please enter your password."]
        assert flood.status_code == 200
        assert field_errors(flood, "username")

    def test_nul_bytes_are_refused_not_crashed_on(self, client, learner):
        for _ in range(6):
            response = client.post(
                url("learners:login"), {"username": learner.email + "\x00", "password": "a\x00b"}
            )
            assert response.status_code in {200, 429}
        signup = client.post(url("learners:signup"), signup_data(display_name="Ая\x00ру"))
        assert signup.status_code == 200
        assert not User.objects.filter(display_name__startswith="Ая").exists()

    def test_only_a_safe_next_address_is_followed(self, client, learner, password):
        response = client.post(
            url("learners:login") + "?next=https://evil.example/",
            {"username": learner.email, "password": password},
        )

        assert "evil.example" not in response["Location"]

    def test_five_failures_lock_the_account_from_that_address(self, client, learner, password):
        for _ in range(5):
            client.post(url("learners:login"), {"username": learner.email, "password": "wrong"})

        response = client.post(
            url("learners:login"), {"username": learner.email.upper(), "password": password}
        )

        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_logout_needs_a_post(self, client, learner):
        client.force_login(learner)

        assert client.get(url("learners:logout")).status_code == 405
        response = client.post(url("learners:logout"))
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


class TestPasswords:
    def test_change_password(self, client, learner, password):
        client.force_login(learner)
        new = "a-brand-new-passphrase"

        wrong = client.post(
            url("learners:password_change"),
            {"old_password": "nope", "new_password1": new, "new_password2": new},
        )
        assert field_errors(wrong, "old_password") == [
            "Your current password is not right. Please try again."
        ]

        response = client.post(
            url("learners:password_change"),
            {"old_password": password, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        learner.refresh_from_db()
        assert learner.check_password(new)

    def test_reset_by_email_link(self, client, learner):
        response = client.post(url("learners:password_reset", "ru"), {"email": learner.email})
        assert response.status_code == 302

        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
        assert link.startswith("/ru/accounts/password/reset/")
        form_page = client.get(link, follow=True)
        new = "lantern-over-the-steppe"
        done = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
        )

        assert done.status_code == 302
        learner.refresh_from_db()
        assert learner.check_password(new)

    def test_reset_for_unknown_email_reveals_nothing(self, client):
        response = client.post(url("learners:password_reset"), {"email": "nobody@example.kz"})

        assert response.status_code == 302
        assert mail.outbox == []

    def test_reset_link_expires(self, client, learner, settings, monkeypatch):
        token = default_token_generator.make_token(learner)
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        uid = urlsafe_base64_encode(force_bytes(learner.pk))
        later = default_token_generator._now().timestamp() + settings.PASSWORD_RESET_TIMEOUT + 1
        monkeypatch.setattr(
            default_token_generator,
            "_now",
            lambda: __import__("datetime").datetime.fromtimestamp(later),
        )

        response = client.get(
            url("learners:password_reset_confirm", uidb64=uid, token=token), follow=True
        )

        assert response.context["validlink"] is False
        assert "This link has expired or has already been used." in response.content.decode()


class TestSettings:
    def test_needs_login(self, client):
        response = client.get(url("learners:settings"))

        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")

    def test_saves_the_profile_and_switches_language(self, client, learner):
        client.force_login(learner)
        music = SubSector.objects.get(slug="music")

        response = client.post(
            url("learners:settings"),
            {
                "display_name": "Әлия",
                "interface_language": "ru",
                "native_language": "ru",
                "city": "Шымкент",
                "sub_sectors": [music.pk],
                "new_terms_per_day": 15,
                "desired_retention": 95,
            },
        )

        assert response.status_code == 302
        assert response["Location"] == "/ru/me/settings/"
        learner.refresh_from_db()
        assert (learner.display_name, learner.interface_language, learner.city) == (
            "Әлия",
            "ru",
            "Шымкент",
        )
        assert (learner.new_terms_per_day, learner.desired_retention) == (15, 95)
        assert list(learner.sub_sectors.all()) == [music]

    @pytest.mark.parametrize("value", ["0", "51", "ten", ""])
    def test_new_terms_per_day_must_be_between_1_and_50(self, client, learner, value):
        client.force_login(learner)

        response = client.post(
            url("learners:settings"),
            {
                "display_name": "Әлия",
                "interface_language": "en",
                "native_language": "kk",
                "new_terms_per_day": value,
                "desired_retention": 90,
            },
        )

        assert field_errors(response, "new_terms_per_day") == [
            "Please enter a number from 1 to 50."
        ]

    @pytest.mark.parametrize("value", ["79", "98", "0.9", ""])
    def test_desired_retention_must_be_between_80_and_97(self, client, learner, value):
        client.force_login(learner)

        response = client.post(
            url("learners:settings"),
            {
                "display_name": "Әлия",
                "interface_language": "en",
                "native_language": "kk",
                "new_terms_per_day": 10,
                "desired_retention": value,
            },
        )

        assert field_errors(response, "desired_retention") == [
            "Please enter a number from 80 to 97."
        ]
        learner.refresh_from_db()
        assert learner.desired_retention == 90


class TestLanguageSwitcher:
    def test_switches_the_page_and_remembers_the_choice(self, client, learner):
        client.force_login(learner)

        response = client.post(
            reverse("set_language"), {"language": "kk", "next": "/en/me/settings/"}
        )

        assert response.status_code == 302
        assert response["Location"] == "/kk/me/settings/"
        assert response.cookies["django_language"].value == "kk"
        learner.refresh_from_db()
        assert learner.interface_language == "kk"

    def test_unknown_language_and_foreign_next_are_ignored(self, client):
        response = client.post(
            reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
        )

        assert response.status_code == 302
        assert response["Location"] == "/"
