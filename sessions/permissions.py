"""Who may see and change sessions."""

from accounts.permissions import AnyUser, is_admin, is_coach, is_hr, is_manager
from programme import selectors as programme_selectors
from sessions.models import TrainingSession


def can_schedule(user: AnyUser) -> bool:
    """Coaches of a programme or of a training group; admins."""
    return (
        is_admin(user)
        or (is_coach(user) and programme_selectors.cohort_list_editable_by(user).exists())
        or (is_coach(user) and programme_selectors.programme_list_editable_by(user).exists())
    )


def can_edit_session(user: AnyUser, session: TrainingSession) -> bool:
    """Coaches of the session, of its training group or of its programme; admins."""
    if is_admin(user):
        return True
    if not is_coach(user):
        return False
    return (
        session.coaches.filter(pk=user.pk).exists()
        or session.programme.coaches.filter(pk=user.pk).exists()
        or (session.cohort_id is not None and session.cohort.coaches.filter(pk=user.pk).exists())
    )


def can_see_schedule(user: AnyUser) -> bool:
    return is_admin(user) or is_coach(user) or is_hr(user)


def can_have_sessions(user: AnyUser) -> bool:
    return is_manager(user)
