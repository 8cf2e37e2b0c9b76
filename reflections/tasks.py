from celery import shared_task

from reflections import services


@shared_task(ignore_result=True)
def purge_trash() -> int:
    """Entries in the trash for more than 30 days are deleted for good."""
    return services.entries_purge_trash()
