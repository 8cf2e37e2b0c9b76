"""Write path for people and departments."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Department, User
from accounts.roles import Role


@transaction.atomic
def department_ensure(*, forvaltning: str, enhet: str | None = None) -> Department:
    """Return the department (creating the förvaltning and enhet as needed); safe to call twice."""
    parent = Department.objects.filter(
        kind=Department.Kind.FORVALTNING, parent=None, name__iexact=forvaltning
    ).first() or Department.objects.create(kind=Department.Kind.FORVALTNING, name=forvaltning)
    if not enhet:
        return parent
    return Department.objects.filter(
        kind=Department.Kind.ENHET, parent=parent, name__iexact=enhet
    ).first() or Department.objects.create(kind=Department.Kind.ENHET, parent=parent, name=enhet)


@transaction.atomic
def user_upsert(
    *,
    email: str,
    full_name: str,
    department: Department | None = None,
    title: str = "",
    role: Role | None = None,
    is_superuser: bool = False,
    password: str | None = None,
) -> User:
    """Create or update a person matched by email, with exactly the given role."""
    user = User.objects.filter(email__iexact=email).first() or User(email=email.lower())
    user.full_name = full_name
    user.department = department
    user.title = title
    user.is_active = True
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    if password is not None:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get(name=role)] if role else [])
    return user
