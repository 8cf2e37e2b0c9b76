"""Email through the outbox, a real Celery worker on Redis and a real SMTP server."""

import re

import pytest
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from notifications.models import OutboxMessage
from notifications.tasks import send_outbox_message
from tests.factories import ManagerFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUCCEEDED = ("send_outbox_message[", "succeeded")


def test_password_reset_email_reaches_smtp_through_outbox_and_worker(
    client, celery_worker_process, smtp_sink
):
    ManagerFactory(email="maja.reset@kungsor.test", full_name="Maja Återställ")

    response = client.post(reverse("accounts:password-reset"), {"email": "Maja.Reset@kungsor.test"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    [email] = smtp_sink.wait_for("maja.reset@kungsor.test")
    celery_worker_process.wait_for_log("send_password_reset[", "succeeded")
    assert email["Subject"] == "Välj ett nytt lösenord till Ledarskapsportalen"
    text = email.get_body(preferencelist=("plain",)).get_content()
    html = email.get_body(preferencelist=("html",)).get_content()
    assert "Hej Maja," in text
    assert "Välj ett nytt lösenord" in html
    message = OutboxMessage.objects.get(to=["maja.reset@kungsor.test"])
    before = celery_worker_process.count(*SUCCEEDED)
    # The same send task, twice more: the worker runs both; nothing more is sent.
    send_outbox_message.delay(message.pk)
    send_outbox_message.delay(message.pk)
    celery_worker_process.wait_for_log(*SUCCEEDED, count=before + 2)
    assert len(smtp_sink.to("maja.reset@kungsor.test")) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1

    # The link in the email sets a new password, which then works for logging in.
    # Built by the worker, after the response: the link is to the portal's configured address.
    link = re.search(re.escape(settings.SITE_URL) + r"(/konto/aterstall/\S+/)", text).group(1)
    form_page = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in form_page.content.decode()
    new_password = "Ett-helt-nytt-lösenord-7"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert client.login(
        request=HttpRequest(), username="maja.reset@kungsor.test", password=new_password
    )


def test_outbox_message_is_sent_once_when_its_task_runs_three_times(
    celery_worker_process, smtp_sink
):
    before = celery_worker_process.count(*SUCCEEDED)
    with transaction.atomic():
        send_mail("Dubbelkoll", "Bara en gång.", None, ["once@kungsor.test"])
        message = OutboxMessage.objects.get(to=["once@kungsor.test"])
    # Two more runs of the same task race the one enqueued at commit, on two processes.
    send_outbox_message.delay(message.pk)
    send_outbox_message.delay(message.pk)

    celery_worker_process.wait_for_log(*SUCCEEDED, count=before + 3)
    assert len(smtp_sink.wait_for("once@kungsor.test")) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert len(smtp_sink.to("once@kungsor.test")) == 1


def test_email_is_not_sent_when_the_transaction_rolls_back(celery_worker_process, smtp_sink):
    before = celery_worker_process.count(*SUCCEEDED)
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Ångrat", "Ska aldrig skickas.", None, ["rollback@kungsor.test"])
        raise RuntimeError("the request failed")
    send_mail("Efteråt", "Skickas.", None, ["after-rollback@kungsor.test"])

    smtp_sink.wait_for("after-rollback@kungsor.test")
    celery_worker_process.wait_for_log(*SUCCEEDED, count=before + 1)
    assert smtp_sink.to("rollback@kungsor.test") == []
    assert not OutboxMessage.objects.filter(to=["rollback@kungsor.test"]).exists()
