"""Role predicates. Views and templates ask these, never group names."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

AnyUser = AbstractBaseUser | AnonymousUser


def is_admin(user: AnyUser) -> bool:
    return bool(user.is_active and user.is_superuser)


def is_manager(user: AnyUser) -> bool:
    return bool(
        user.is_active and not user.is_superuser and user.has_perm("accounts.write_journal")
    )


def is_coach(user: AnyUser) -> bool:
    return bool(
        user.is_active and not user.is_superuser and user.has_perm("accounts.coach_programme")
    )


def is_hr(user: AnyUser) -> bool:
    return bool(user.is_active and not user.is_superuser and user.has_perm("accounts.view_reports"))


def can_import_staff(user: AnyUser) -> bool:
    return is_admin(user) or bool(user.is_active and user.has_perm("accounts.import_staff"))
