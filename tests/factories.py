import functools
from datetime import date

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import Department, User
from accounts.roles import Role

PASSWORD = "Rätt-lösenord-för-test-42"


class ForvaltningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = Department.Kind.FORVALTNING


class EnhetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = Department.Kind.ENHET
    parent = factory.SubFactory(ForvaltningFactory)


@functools.cache
def _hashed_password() -> str:
    return make_password(PASSWORD)


def _role(default: Role | None) -> factory.PostGeneration:
    """`role=` on a user factory puts the person in that role's group."""

    def add_to_group(user: User, create: bool, extracted: Role | None, **kwargs) -> None:
        role = extracted or default
        if role:
            user.groups.add(Group.objects.get(name=role))
        if create:
            user.save()

    return factory.PostGeneration(add_to_group)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kungsor.test")
    full_name = factory.Faker("name", locale="sv_SE")
    department = factory.SubFactory(EnhetFactory)
    # Hashed once: the production hasher is deliberately slow.
    password = factory.LazyFunction(lambda: _hashed_password())

    role = _role(None)


class ManagerFactory(UserFactory):
    role = _role(Role.CHEF)


class CoachFactory(UserFactory):
    role = _role(Role.LEDARTRANARE)


class HRFactory(UserFactory):
    role = _role(Role.HR)


class AdminFactory(UserFactory):
    is_superuser = True
    is_staff = True


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Programme"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Ledarskapsträning {2027 + n}")
    starts_on = factory.LazyFunction(lambda: date(2027, 1, 11))
    ends_on = factory.LazyFunction(lambda: date(2027, 12, 17))

    @factory.post_generation
    def coaches(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.coaches.set(extracted)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Cohort"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Träningsgrupp {n}")
    starts_on = factory.SelfAttribute("programme.starts_on")
    ends_on = factory.SelfAttribute("programme.ends_on")

    @factory.post_generation
    def coaches(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.coaches.set(extracted)

    @factory.post_generation
    def members(self, create: bool, extracted, **kwargs) -> None:
        from programme.services import cohort_add_member

        for user in extracted or []:
            cohort_add_member(cohort=self, user=user, joined_on=self.starts_on)
