from celery import shared_task
from django.conf import settings

from notifications import services


@shared_task(acks_late=True, ignore_result=True)
def send_outbox_message(message_id: int) -> str | None:
    """Deliver one outbox message; a second run for the same message does nothing."""
    status = services.outbox_deliver(message_id=message_id)
    return status and str(status)


@shared_task(acks_late=True, ignore_result=True)
def send_outbox_messages(message_ids: list[int]) -> int:
    """Deliver a batch of outbox messages over one SMTP connection, each once; a second run
    sends nothing twice, and what is left at half the time limit goes to a new task."""
    return services.outbox_deliver_many(
        message_ids=message_ids, time_budget=settings.CELERY_TASK_SOFT_TIME_LIMIT * 0.5
    )


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Re-queue what is due: retries after backoff, lost tasks and dead workers' claims."""
    services.outbox_release_stale_claims()
    return services.outbox_requeue_due()
