from celery import shared_task

from health.services import heartbeat_record


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Record that beat scheduled this and a worker ran it."""
    heartbeat_record()


@shared_task(ignore_result=True)
def noop() -> None:
    """Does nothing: `make bench` drains a batch of these as the floor for task throughput."""
