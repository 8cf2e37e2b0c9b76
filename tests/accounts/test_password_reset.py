"""Password reset: the page only queues the email, answers the same for every address, is
limited per address and per IP address, and reaches people the staff import created."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.tasks import send_password_reset
from notifications.models import OutboxMessage
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password-reset")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for a reset as a visitor would; returns the response and the tasks it queued."""

    def ask(email: str, ip: str = "10.0.0.1"):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(RESET, {"email": email}, REMOTE_ADDR=ip)
        queued = [c for c in callbacks if getattr(c, "func", None) == send_password_reset.delay]
        return response, queued

    return ask


def _run(queued) -> None:
    """What the worker does with the queued tasks (tests/integration runs a real one)."""
    for task in queued:
        send_password_reset(*task.args)


def test_the_answer_and_the_work_are_the_same_for_a_known_and_an_unknown_address(ask, client):
    person = ManagerFactory(email="maja.chef@kungsor.test")

    known, known_queued = ask(person.email)
    # The email is not built while the visitor waits: nothing in the outbox yet.
    assert not OutboxMessage.objects.exists()
    unknown, unknown_queued = ask("okand@kungsor.test")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password-reset-done")
    assert len(known_queued) == len(unknown_queued) == 1
    done = client.get(known["Location"]).content.decode()
    assert "Om adressen hör till ett konto i portalen" in done
    _run(known_queued + unknown_queued)
    assert OutboxMessage.objects.get().to == ["maja.chef@kungsor.test"]


def test_the_email_is_swedish_and_its_link_points_to_the_portal(ask):
    person = ManagerFactory(email="maja.chef@kungsor.test", full_name="Maja Chef")

    _run(ask(person.email)[1])

    message = OutboxMessage.objects.get()
    assert message.subject == "Välj ett nytt lösenord till Ledarskapsportalen"
    assert "Hej Maja," in message.body_text
    assert f"{settings.SITE_URL}/konto/aterstall/" in message.body_text
    assert '<html lang="sv">' in message.body_html


def test_a_person_who_chose_english_gets_the_email_in_english(ask):
    person = ManagerFactory(email="john@kungsor.test", full_name="John Smith", language="en")

    _run(ask(person.email)[1])

    assert OutboxMessage.objects.get().subject == "Choose a new password for Ledarskapsportalen"


def test_another_letter_case_reaches_the_person_at_their_address(ask):
    person = ManagerFactory(email="maja.chef@kungsor.test")

    _run(ask("Maja.CHEF@Kungsor.test")[1])

    assert OutboxMessage.objects.get().to == [person.email]


def test_the_fourth_request_for_one_address_within_the_hour_sends_no_mail(ask, client):
    person = ManagerFactory(email="maja.chef@kungsor.test")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answers = [
            ask(email, ip=ip)
            for email, ip in [
                ("maja.chef@kungsor.test", "10.0.0.1"),
                ("Maja.Chef@kungsor.test", "10.0.0.2"),  # another spelling, another computer
                ("MAJA.CHEF@KUNGSOR.TEST", "10.0.0.3"),
                ("maja.chef@kungsor.test", "10.0.0.4"),
            ]
        ]
        for _response, queued in answers:
            _run(queued)
        # The fourth looks like the others to the visitor.
        assert {response["Location"] for response, _ in answers} == {
            reverse("accounts:password-reset-done")
        }
        assert OutboxMessage.objects.filter(to=[person.email]).count() == 3
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        _run(ask(person.email)[1])
    assert OutboxMessage.objects.filter(to=[person.email]).count() == 4


def test_one_ip_address_is_limited_to_ten_requests_an_hour(ask, caplog):
    caplog.set_level(logging.INFO, logger="kungsor_ledarskap.security")
    people = [ManagerFactory(email=f"chef{i}@kungsor.test") for i in range(12)]

    for person in people[:11]:
        _run(ask(person.email, ip="10.9.9.9")[1])
    _run(ask(people[11].email, ip="10.0.0.2")[1])  # another computer is not held back

    sent_to = [to for [to] in OutboxMessage.objects.values_list("to", flat=True)]
    assert sorted(sent_to) == sorted(p.email for p in people[:10] + people[11:])
    limited = [r for r in caplog.records if "event=password_reset" in r.getMessage()]
    assert "ip=10.9.9.9 outcome=limited" in limited[10].getMessage()
    assert all("kungsor.test" not in r.getMessage() for r in limited)


def test_running_the_task_twice_for_one_request_sends_one_email(ask):
    person = ManagerFactory(email="maja.chef@kungsor.test")
    [queued] = ask(person.email)[1]

    _run([queued, queued])  # a retry after a lost acknowledgement

    assert OutboxMessage.objects.count() == 1


def _staff_list(*rows: tuple[str, str]) -> bytes:
    lines = ["Namn;E-post;Förvaltning;Enhet;Titel;Chef"]
    lines += [
        f"{name};{email};Kommunledningsförvaltningen;Ekonomi;Enhetschef;ja" for name, email in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_person_the_staff_import_created_sets_a_password_from_the_email_and_signs_in(
    ask, client, hr_user
):
    preview = services.staff_import_preview(
        data=_staff_list(("Nils Ny", "Nils.Ny@kungsor.test")),
        filename="personal.csv",
        created_by=hr_user,
    )
    services.staff_import_apply(staff_import=preview, deactivate_missing=False)
    person = User.objects.get(full_name="Nils Ny")
    assert not person.has_usable_password()

    _run(ask("nils.ny@kungsor.test")[1])

    message = OutboxMessage.objects.get()
    assert message.to == [person.email]
    link = re.search(re.escape(settings.SITE_URL) + r"(/konto/aterstall/\S+/)", message.body_text)
    form_page = client.get(link.group(1), follow=True)
    assert "Välj ett nytt lösenord" in form_page.content.decode()
    new_password = "Ett-eget-lösenord-för-Nils-3"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    signed_in = client.post(
        reverse("accounts:login"), {"username": "nils.ny@kungsor.test", "password": new_password}
    )
    assert signed_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk


def test_a_deactivated_person_gets_no_reset_email(ask):
    ManagerFactory(email="slutat@kungsor.test", is_active=False, password="!")

    response, queued = ask("slutat@kungsor.test")
    _run(queued)

    assert response["Location"] == reverse("accounts:password-reset-done")
    assert not OutboxMessage.objects.exists()
