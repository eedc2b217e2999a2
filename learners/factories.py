import factory

from django.contrib.auth.models import Group

from .models import User

DEFAULT_PASSWORD = "correct-horse-battery"  # noqa: S105 (test fixture)


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"learner{n}@example.kz")
    display_name = factory.Sequence(lambda n: f"Learner {n}")
    password = factory.django.Password(DEFAULT_PASSWORD)
    native_language = "ru"
    city = "Almaty"

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        """The role: `UserFactory(group="Trainers")`; the subclasses below set one."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class LearnerFactory(UserFactory):
    group = factory.PostGeneration(lambda user, create, extracted: _join(user, "Learners"))


class TrainerFactory(UserFactory):
    email = factory.Sequence(lambda n: f"trainer{n}@example.kz")
    group = factory.PostGeneration(lambda user, create, extracted: _join(user, "Trainers"))


class AdministratorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.kz")
    group = factory.PostGeneration(lambda user, create, extracted: _join(user, "Administrators"))


def _join(user, group_name):
    user.groups.add(Group.objects.get(name=group_name))
