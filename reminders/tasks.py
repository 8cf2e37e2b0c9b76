from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reminders import planner


@shared_task(ignore_result=True)
def plan_reminders() -> dict[str, int]:
    """Every minute: plan what is new and send what is due (see reminders.planner)."""
    # Stop well before the soft time limit; the next run, a minute later, goes on.
    return planner.run(time_budget=settings.CELERY_TASK_SOFT_TIME_LIMIT * 0.6, fan_out=True)


@shared_task(ignore_result=True)
def dispatch_reminders(now: str | None = None) -> int:
    """Send what is due, without planning anything new; `now` (ISO 8601) sends as at that
    moment (`make bench` drains its reminders with it)."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return planner.dispatch(
        moment, time_budget=settings.CELERY_TASK_SOFT_TIME_LIMIT * 0.6, fan_out=True
    )


@shared_task(acks_late=True, ignore_result=True)
def send_reminder_chunk(user_ids: list[int], now: str) -> int:
    """Send these people what is due to them as at `now` (ISO 8601), one email each at
    most a day, delivered from here; a second run, or one beside another dispatcher,
    sends nothing twice."""
    return planner.send_chunk(
        user_ids,
        datetime.fromisoformat(now),
        deliver_here=True,
        time_budget=settings.CELERY_TASK_SOFT_TIME_LIMIT * 0.5,
    )
