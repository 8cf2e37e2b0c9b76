from celery import shared_task

from notifications import services


@shared_task(acks_late=True, ignore_result=True)
def send_outbox_message(message_id: int) -> str | None:
    """Deliver one outbox message; a second run for the same message does nothing."""
    status = services.outbox_deliver(message_id=message_id)
    return status and str(status)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Re-queue what is due: retries after backoff, lost tasks and dead workers' claims."""
    services.outbox_release_stale_claims()
    return services.outbox_requeue_due()
