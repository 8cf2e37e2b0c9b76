import functools
from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from programme.models import Theme

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


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A theory session of a training group, three hours, a week from now unless told;
    `coaches=` sets who runs it (default: the group's coaches)."""

    class Meta:
        model = "training_sessions.TrainingSession"
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.SelfAttribute("cohort.programme")
    theme = factory.LazyFunction(lambda: Theme.objects.order_by("order").first())
    format = "teori"
    title = factory.Sequence(lambda n: f"Träff {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))

    @factory.post_generation
    def coaches(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        if extracted is None and self.cohort_id:
            extracted = list(self.cohort.coaches.all())
        self.coaches.set(extracted or [])


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training_sessions.Invitation"

    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(ManagerFactory)


class EntryFactory(factory.django.DjangoModelFactory):
    """A private journal entry; `shared=True` shares it with the author's coaches, through the
    service (so its readers are who they are in the portal)."""

    class Meta:
        model = "reflections.Entry"
        skip_postgeneration_save = True

    author = factory.SubFactory(ManagerFactory)
    title = factory.Sequence(lambda n: f"Anteckning {n}")
    body = "Mina tankar efter träffen."
    written_on = factory.LazyFunction(lambda: timezone.localdate())

    @factory.post_generation
    def shared(self, create: bool, extracted: bool, **kwargs) -> None:
        if create and extracted:
            from reflections.services import entry_share

            entry_share(entry=self)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reflections.Commitment"

    author = factory.SubFactory(ManagerFactory)
    text = factory.Sequence(lambda n: f"Jag provar {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate())
