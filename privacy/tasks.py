from celery import shared_task

from privacy.retention import retention_apply


@shared_task(ignore_result=True)
def apply_retention() -> dict[str, int]:
    """Gallring: delete what has been kept for its period (privacy/retention.py)."""
    return retention_apply()
