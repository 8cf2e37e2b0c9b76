from celery import shared_task

from sessions import services


@shared_task(ignore_result=True)
def sync_invitations() -> list[int]:
    """Invitations follow training-group membership for sessions still to come."""
    return list(services.invitations_sync_with_cohorts())


@shared_task(ignore_result=True)
def mark_held_sessions() -> int:
    """Ended sessions with attendance recorded (by the coach or by check-in) count as held."""
    return services.sessions_mark_held()
