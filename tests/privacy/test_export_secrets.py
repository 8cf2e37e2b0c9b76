"""No export holds a secret: not a password, a session, a two-step secret or recovery code,
a calendar address, a check-in code, nor an email that carries a one-time link. The person
has every kind of secret; every export the portal offers is searched for each of them."""

import html
import json
import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.services import password_reset_send
from notifications.models import OutboxMessage
from notifications.services import outbox_add_email
from notifications.unsubscribe import unsubscribe_headers, unsubscribe_token, unsubscribe_url
from privacy.export import EXCLUDED
from tests.privacy.conftest import EMAIL

RESET_LINK = re.compile(r"/aterstall/[^/\s]+/[^/\s]+/")
# Long runs of token characters with a digit in them: a signed value, a random token, a hash.
_CHARS = r"[A-Za-z0-9_\-:$=+/.]"
TOKEN = re.compile(rf"(?={_CHARS}*[0-9])(?={_CHARS}*[A-Za-z]){_CHARS}{{16,}}")


def _leaves(value) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    return [str(value)] if value not in (None, "") else []


def _secret_values(made: dict) -> set[str]:
    """Every value of a field the registry marks secret, for every row about the person,
    and the tokens and links inside them."""
    rows = {label: list(objects) for label, objects in made.items()}
    rows["notifications.OutboxMessage"] = list(OutboxMessage.objects.filter(to__icontains=EMAIL))
    found = set()
    for label, names in EXCLUDED.items():
        for obj in rows.get(label, []):
            for name in names:
                for leaf in _leaves(getattr(obj, name)):
                    found.update(TOKEN.findall(leaf))
                    if len(leaf) >= 8:
                        found.add(leaf)
    return found


@pytest.fixture
def with_secrets(everywhere, client):
    """`everywhere`'s person, who also asked for a new password and got a reminder with an
    unsubscribe link; returns (person, made, the secrets to look for)."""
    person, _colleague, made = everywhere
    person.set_password("Hemligt-Lösenord-2027")
    person.save()
    # What the worker does for a reset the page queued (accounts.tasks.send_password_reset).
    password_reset_send(email=EMAIL, request_id="export-secrets")
    reset = OutboxMessage.objects.get(subject__contains="lösenord", to=[EMAIL])
    link = RESET_LINK.search(reset.body_text)
    assert link is not None and link[0] in reset.body_html
    unsubscribe = unsubscribe_url(person)
    reminder = EmailMultiAlternatives(
        subject="Dags att repetera",
        body=f"Repetera träffen. Sluta få påminnelser: {unsubscribe}",
        to=[EMAIL],
        headers=unsubscribe_headers(person, url=unsubscribe),
    )
    reminder.attach_alternative(f'<a href="{unsubscribe}">Sluta</a>', "text/html")
    outbox_add_email(message=reminder, recipient_user=person)
    feed = made["training_sessions.CalendarFeed"][0]
    named = {
        link[0],
        unsubscribe_token(person),
        feed.token,
        reverse("training_sessions:feed", args=[feed.token]),
        made["training_sessions.TrainingSession"][0].checkin_code,
        made["otp_totp.TOTPDevice"][0].key,
        person.password,
        made["sessions.Session"][0].session_key,
        made["sessions.Session"][0].session_data,
    } | {token.token for token in made["otp_static.StaticToken"][0].device.token_set.all()}
    return person, made, named | _secret_values(made)


def _exports(client, person, admin_user) -> dict[str, str]:
    """Every export of the person's data, as the person or an administrator gets it."""
    found = {}
    client.force_login(person)
    for name in (
        "privacy:my-data",
        "privacy:my-data-json",
        "reflections:export",
        "reflections:export-json",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        found[name] = response.content.decode()
    client.force_login(admin_user)
    for name in ("privacy:person-data", "privacy:person-data-json"):
        response = client.get(reverse(name, args=[person.pk]))
        assert response.status_code == 200, name
        found[name] = response.content.decode()
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = client.get(reverse("privacy:person-erase", args=[person.pk]))
    assert response.status_code == 200
    found["privacy:person-erase"] = response.content.decode()
    return found


def test_no_export_holds_a_secret_or_a_one_time_link(client, with_secrets, admin_user):
    person, _made, secrets = with_secrets

    exports = _exports(client, person, admin_user)

    leaks = [
        f"{name}: {secret[:40]}"
        for name, content in exports.items()
        for text in (content, html.unescape(content))
        for secret in secrets
        if secret in text
    ]
    assert sorted(set(leaks)) == []


def test_the_extract_still_says_which_emails_were_sent(client, with_secrets):
    person, _made, _secrets = with_secrets
    client.force_login(person)

    page = client.get(reverse("privacy:my-data")).content.decode()
    data = json.loads(client.get(reverse("privacy:my-data-json")).content)

    emails = data["data"]["notifications.OutboxMessage"]
    subjects = {email["subject"] for email in emails}
    assert {"Välj ett nytt lösenord till Ledarskapsportalen", "Dags att repetera"} <= subjects
    assert all(email["to"] == [EMAIL] and email["status"] == "pending" for email in emails)
    assert not any({"body_text", "body_html", "headers"} & set(email) for email in emails)
    assert "Dags att repetera" in page
    assert "utelämnat: kan innehålla ett lösenord, en kod eller en engångslänk" in page
