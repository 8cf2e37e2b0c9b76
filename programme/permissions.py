"""Who may see and change what in the programme app."""

from accounts.permissions import AnyUser, is_admin, is_coach, is_hr, is_manager
from programme.models import Cohort, Programme


def can_edit_framework(user: AnyUser) -> bool:
    """Themes, focus areas and ledord: any coach, and admins."""
    return is_admin(user) or is_coach(user)


def can_create_programme(user: AnyUser) -> bool:
    """HR and administrators start a programme and name its coaches. Not any coach: a
    programme's coaches form its groups and put managers in them, so becoming one is
    decided by someone else."""
    return is_admin(user) or is_hr(user)


def can_edit_programme(user: AnyUser, programme: Programme) -> bool:
    if is_admin(user):
        return True
    return is_coach(user) and programme.coaches.filter(pk=user.pk).exists()


def can_change_programme(user: AnyUser, programme: Programme) -> bool:
    """The programme's own settings (name, dates, coaches, reminders): those who may start
    one, and its coaches."""
    return can_create_programme(user) or can_edit_programme(user, programme)


def can_edit_cohort(user: AnyUser, cohort: Cohort) -> bool:
    """Coaches of the cohort's programme or of the cohort itself; admins."""
    if is_admin(user):
        return True
    if not is_coach(user):
        return False
    return (
        cohort.coaches.filter(pk=user.pk).exists()
        or cohort.programme.coaches.filter(pk=user.pk).exists()
    )


def can_list_cohorts(user: AnyUser) -> bool:
    return is_admin(user) or is_coach(user) or is_hr(user)


def can_have_group(user: AnyUser) -> bool:
    return is_manager(user)
