import pytest

from django.contrib.auth.models import Group

from home.models import HomePage
from tests.home.forms import home_page_form_data

pytestmark = pytest.mark.django_db


def test_the_three_roles_exist_and_wagtails_defaults_are_gone():
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Learners",
        "Trainers",
        "Administrators",
    }


class TestTrainer:
    def test_reaches_the_admin_and_edits_the_home_page(self, client, trainer, home_page):
        client.force_login(trainer)

        assert client.get("/admin/").status_code == 200
        edit_url = f"/admin/pages/{home_page.pk}/edit/"
        assert client.get(edit_url).status_code == 200
        assert trainer.has_perm("wagtailadmin.access_admin")
        assert home_page.permissions_for_user(trainer).can_edit()
        # Publishing goes through an administrator's approval (see courses/migrations/0002).
        assert not home_page.permissions_for_user(trainer).can_publish()

    def test_edits_and_submits_for_approval_through_the_editor(
        self, client, trainer, administrator, home_page
    ):
        client.force_login(trainer)
        data = {
            **home_page_form_data(home_page, hero_heading="Learn the craft in English"),
            "action-submit": "submit",
        }

        response = client.post(f"/admin/pages/{home_page.pk}/edit/", data)

        assert response.status_code == 302
        home_page.refresh_from_db()
        assert home_page.hero_heading != "Learn the craft in English"  # not live yet
        task_state = home_page.current_workflow_task_state
        assert task_state is not None
        client.force_login(administrator)
        client.post(f"/admin/pages/workflow/action/{home_page.pk}/approve/{task_state.pk}/")
        assert HomePage.objects.get(pk=home_page.pk).hero_heading == "Learn the craft in English"

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/users/",
            "/admin/users/new/",
            "/admin/groups/",
            "/admin/sites/",
            "/admin/locales/",
            "/admin/settings/home/sitesettings/",
        ],
    )
    def test_cannot_manage_users_groups_or_site_settings(self, client, trainer, path):
        client.force_login(trainer)

        response = client.get(path, follow=True)

        assert response.status_code == 403
        assert all("/admin/" in url for url, _ in response.redirect_chain)

    def test_cannot_edit_another_user(self, client, trainer, learner):
        client.force_login(trainer)

        assert client.get(f"/admin/users/edit/{learner.pk}/").status_code == 403
        response = client.post(f"/admin/users/edit/{learner.pk}/", {"email": "x@example.kz"})
        assert response.status_code == 403
        learner.refresh_from_db()
        assert learner.email != "x@example.kz"


class TestAdministrator:
    @pytest.mark.parametrize("path", ["/admin/users/", "/admin/groups/", "/admin/sites/"])
    def test_manages_users_groups_and_sites(self, client, administrator, path):
        client.force_login(administrator)

        assert client.get(path).status_code == 200


class TestLearner:
    def test_has_no_admin_access(self, client, learner):
        client.force_login(learner)

        response = client.get("/admin/")

        assert response.status_code in {302, 403}
        assert not learner.has_perm("wagtailadmin.access_admin")
        assert client.get("/admin/users/").status_code in {302, 403}
