from celery import shared_task

from accounts import services


@shared_task(acks_late=True, ignore_result=True)
def send_password_reset(email: str, request_id: str) -> int:
    """Put the reset email for this request in the outbox, once; nothing for an unknown
    address."""
    return services.password_reset_send(email=email, request_id=request_id)
