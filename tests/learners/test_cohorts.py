import pytest

from learners.models import JOIN_CODE_LETTERS, Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(trainer):
    return Cohort.objects.create(name="Astana stage technicians, spring", created_by=trainer)


def test_a_trainer_creates_a_cohort_in_the_admin_and_gets_a_code(client, trainer):
    client.force_login(trainer)

    response = client.post(
        "/admin/snippets/learners/cohort/add/",
        {"name": "Almaty museum registrars", "description": "Autumn seminar"},
    )

    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert len(cohort.code) == 6
    assert set(cohort.code) <= set(JOIN_CODE_LETTERS)
    listing = client.get("/admin/snippets/learners/cohort/").content.decode()
    assert cohort.code in listing
    inspect = client.get(f"/admin/snippets/learners/cohort/inspect/{cohort.pk}/").content.decode()
    assert f"/me/cohorts/join/{cohort.code}/" in inspect


def test_learners_cannot_reach_cohorts_in_the_admin(client, learner, cohort):
    client.force_login(learner)
    assert client.get("/admin/snippets/learners/cohort/").status_code in (302, 403)


def test_a_learner_joins_from_the_link_after_confirming(client, learner, cohort):
    client.force_login(learner)
    link = f"/en/me/cohorts/join/{cohort.code}/"

    page = client.get(link)
    assert "Join the cohort" in page.content.decode()
    assert not cohort.members.exists()  # a GET changes nothing

    response = client.post(link, follow=True)

    assert list(cohort.members.all()) == [learner]
    assert "You have joined “Astana stage technicians, spring”." in response.content.decode()


def test_a_learner_joins_with_the_code_in_any_case_and_leaves(client, learner, cohort):
    client.force_login(learner)

    client.post("/en/me/cohorts/join/", {"code": f" {cohort.code.lower()} "})
    settings = client.get("/en/me/settings/").content.decode()
    assert "Astana stage technicians, spring" in settings
    client.post(f"/en/me/cohorts/{cohort.pk}/leave/")

    assert not cohort.members.exists()


@pytest.mark.parametrize("code", ["", "NOPE42", "x" * 30])
def test_a_wrong_code_is_refused_with_a_message(client, learner, cohort, code):
    client.force_login(learner)

    response = client.post("/en/me/cohorts/join/", {"code": code}, follow=True)

    html = response.content.decode()
    assert ("No cohort has this code" in html) or ("Enter the code" in html)
    assert not cohort.members.exists()


def test_a_learner_may_belong_to_several_cohorts(client, learner, trainer):
    first = Cohort.objects.create(name="One", created_by=trainer)
    second = Cohort.objects.create(name="Two", created_by=trainer)
    client.force_login(learner)
    for cohort in (first, second):
        client.post(f"/en/me/cohorts/join/{cohort.code}/")

    assert set(learner.cohorts.values_list("name", flat=True)) == {"One", "Two"}


def test_leaving_someone_elses_cohort_is_404(client, learner, cohort):
    client.force_login(learner)
    assert client.post(f"/en/me/cohorts/{cohort.pk}/leave/").status_code == 404
