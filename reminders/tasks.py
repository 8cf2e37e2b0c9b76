from celery import shared_task
from django.conf import settings

from reminders import planner


@shared_task(ignore_result=True)
def plan_reminders() -> dict[str, int]:
    """Every minute: plan what is new and send what is due (see reminders.planner)."""
    # Stop well before the soft time limit; the next run, a minute later, goes on.
    return planner.run(time_budget=settings.CELERY_TASK_SOFT_TIME_LIMIT * 0.6)
