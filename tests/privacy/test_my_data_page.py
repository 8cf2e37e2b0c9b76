"""Mina uppgifter reads as an account written for the person: Swedish headings and labels, a
sentence on why and how long, local times, Ja/Nej, lists as lists, an email by its subject and
its attachments' names. The JSON download keeps every field as stored."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from notifications.services import outbox_add_email
from privacy.export import person_export
from privacy.registry import REGISTRY
from tests.privacy.conftest import EMAIL, WROTE

UTC = datetime.UTC
INVITED = datetime.datetime(2026, 12, 7, 9, 15, tzinfo=UTC)  # 10:15 in Stockholm (winter)
MARKED = datetime.datetime(2026, 6, 15, 12, 5, tzinfo=UTC)  # 14:05 in Stockholm (summer)
JOURNAL = "Första stycket om mötet.\n\nAndra stycket: vad jag provar nästa gång."
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kungsör//SV\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def known(everywhere):
    """`everywhere`'s person, with known instants, a journal entry of two paragraphs and an
    invitation emailed with its calendar file."""
    person, colleague, made = everywhere
    invitation = made["training_sessions.Invitation"][0]
    invitation.invited_at = INVITED
    invitation.attendance_marked_at = MARKED
    invitation.save(update_fields=["invited_at", "attendance_marked_at"])
    entry = made["reflections.Entry"][0]
    entry.body = JOURNAL
    entry.save(update_fields=["body"])
    message = EmailMessage(subject="Inbjudan: Träff P", body="Välkommen!", to=[EMAIL])
    message.attach("inbjudan.ics", ICS, "text/calendar")
    outbox_add_email(message=message, recipient_user=person)
    return person, colleague, made


def _page(client, person, *, language: str | None = None) -> str:
    client.force_login(person)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("privacy:my-data"))
    assert response.status_code == 200
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_my_data_speaks_swedish_with_local_times_and_no_raw_values(client, known):
    person, _colleague, _made = known

    page = _main(_page(client, person))

    for english in ("Access logs", "User Agent", "Invited at", "Access attempt", "Outbox"):
        assert english not in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", page), "an ISO timestamp"
    for raw in ("[&#x27;", "['", "{&#x27;", "base64", "mime_b64", "BEGIN:VCALENDAR", "True"):
        assert raw not in page
    assert "7 december 2026 10:15" in page  # invited, UTC 09:15
    assert "15 juni 2026 14:05" in page  # attendance marked, UTC 12:05 in summer
    assert "Inbjuden" in page and "Webbläsare" in page and "Mejl till dig" in page


def test_my_data_says_what_each_section_is_and_how_long_it_is_kept(client, known):
    person, _colleague, _made = known

    page = _main(_page(client, person))

    assert re.search(r"<h2[^>]*>Din dagbok</h2>", page)
    assert "Chefens privata reflektionsdagbok." in page
    assert "Sparas: Tills författaren raderar den" in page
    assert re.search(r"<h2[^>]*>Inloggningar och utloggningar</h2>", page)


def test_my_data_shows_the_journal_whole_in_paragraphs(client, known):
    person, _colleague, _made = known

    page = _page(client, person)

    assert "<p>Första stycket om mötet.</p>" in page
    assert "<p>Andra stycket: vad jag provar nästa gång.</p>" in page
    assert WROTE[0] in page  # the title


def test_my_data_shows_an_email_by_subject_and_attachment_name(client, known):
    person, _colleague, _made = known

    page = _main(_page(client, person))

    assert "Inbjudan: Träff P" in page
    assert "inbjudan.ics" in page
    # The text can hold a one-time link: it stays out, and the page says so.
    assert "Välkommen!" not in page
    assert "utelämnat: kan innehålla ett lösenord, en kod eller en engångslänk" in page


def test_my_data_shows_yes_no_lists_and_choices_by_name(client, known):
    person, _colleague, _made = known

    page = _main(_page(client, person))

    # A make-up session flag, the staff list's line, an attendance choice, a turned-off kind.
    assert re.search(r"<dt[^>]*>Uppsamling</dt>\s*<dd[^>]*>Nej</dd>", page)
    assert "<li>Petra Persdotter-Sentinel, petra.persson@kungsor.se, Enhetschef" in page
    assert ">Frånvarande<" in page
    assert "franvarande" not in page


def test_every_label_heading_and_sentence_on_the_page_is_translated(known):
    person, _colleague, _made = known

    def texts(language):
        with translation.override(language):
            sections = person_export(person)
            return [
                (section.label, kind, text)
                for section in sections
                for kind, text in (
                    ("title", section.title),
                    ("title for an administrator", section.title_other),
                    ("purpose", section.purpose),
                    ("retention", section.retention),
                    *(("field", shown.label) for row in section.rows for shown in row.readable),
                )
            ]

    swedish, english = texts("sv"), texts("en")

    assert len(swedish) == len(english)
    # Words that are the same in both languages.
    same = {"Status", "Person", "Text", "Material"}
    untranslated = sorted(
        {
            f"{label} {kind}: {sv}"
            for (label, kind, sv), (_label, _kind, en) in zip(swedish, english, strict=True)
            if sv == en and sv not in same
        }
    )
    assert untranslated == []


def test_my_data_in_english_when_chosen(client, known):
    person, _colleague, _made = known

    page = _main(_page(client, person, language="en"))

    assert "7 December 2026 10:15" in page
    assert "Invited" in page and "Your journal" in page
    assert "Invited at" not in page


def test_the_administrators_view_is_readable_too_and_withholds_the_journal(
    client, known, admin_user
):
    person, _colleague, _made = known
    client.force_login(admin_user)

    page = _main(client.get(reverse("privacy:person-data", args=[person.pk])).content.decode())

    assert "7 december 2026 10:15" in page
    assert "Invited at" not in page and "User Agent" not in page
    assert "Första stycket" not in page
    assert "undanhållet: bara personen själv kan exportera detta" in page
    # Headings speak of the person, not to the administrator reading them.
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    assert "Dagbok" in headings and "Mejl" in headings
    assert not [h for h in headings if re.search(r"\b(du|dig|din|ditt|dina)\b", h, re.I)]


def test_the_json_download_keeps_every_field_as_stored(client, known):
    person, _colleague, made = known
    client.force_login(person)

    data = json.loads(client.get(reverse("privacy:my-data-json")).content)["data"]

    invitation = next(
        row
        for row in data["training_sessions.Invitation"]
        if row["id"] == made["training_sessions.Invitation"][0].pk
    )
    assert invitation["invited_at"] == "2026-12-07T09:15:00+00:00"
    assert invitation["attendance_marked_at"] == "2026-06-15T12:05:00+00:00"
    assert invitation["attendance"] == "franvarande"
    assert invitation["is_makeup"] is False
    assert invitation["session"] == made["training_sessions.TrainingSession"][0].pk
    entry = data["reflections.Entry"][0]
    assert entry["body"] == JOURNAL
    assert data["notifications.Preference"][0]["disabled_kinds"] == ["skrivpuff"]
    staff_rows = [row["rows"] for row in data["accounts.StaffImport"] if row.get("rows")]
    assert [[line["email"] for line in rows] for rows in staff_rows] == [[EMAIL]]
    # Every field the registry lets out, for every row about the person (the page hides some).
    for label, rows in data.items():
        if label == "sessions.Session":
            continue
        hidden_from_json = {
            name for name in REGISTRY[label].secrets() if name in REGISTRY[label].fields()
        }
        for row in rows:
            if not row.get("mentioned_only"):
                assert set(REGISTRY[label].fields()) - hidden_from_json <= set(row), label
    subjects = {row["subject"] for row in data["notifications.OutboxMessage"]}
    assert "Inbjudan: Träff P" in subjects
