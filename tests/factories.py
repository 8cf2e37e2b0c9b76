import factory
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
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

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
