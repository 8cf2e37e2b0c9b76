"""Provtänka: the coach's questions reach the right managers, who answer in a new entry."""

import pytest
from django.urls import reverse

from programme.models import Theme
from reflections import services
from reflections.models import Entry, Prompt
from tests.reflections.conftest import upcoming_session


def test_a_theme_question_reaches_the_programmes_managers_only(
    client, journal, coach, manager, other_manager
):
    client.force_login(coach)
    client.post(
        reverse("reflections:prompts"),
        {"question": "När var du modig senast?", "theme": Theme.objects.first().pk},
    )

    client.force_login(manager)
    mine = client.get(reverse("reflections:journal")).content.decode()
    client.force_login(other_manager)
    theirs = client.get(reverse("reflections:journal")).content.decode()

    assert "När var du modig senast?" in mine
    assert "När var du modig senast?" not in theirs


def test_a_session_question_reaches_those_invited(client, journal, coach, manager, other_manager):
    session = upcoming_session(manager, coach)
    services.prompt_create(coach=coach, question="Vad tar du med dig?", session=session)

    client.force_login(manager)
    assert "Vad tar du med dig?" in client.get(reverse("reflections:journal")).content.decode()
    client.force_login(other_manager)
    assert "Vad tar du med dig?" not in client.get(reverse("reflections:journal")).content.decode()


def test_answering_a_question_links_the_new_entry(client, journal, coach, manager):
    prompt = services.prompt_create(
        coach=coach, question="Vad gjorde du tydligt?", theme_id=Theme.objects.first().pk
    )
    client.force_login(manager)

    page = client.get(reverse("reflections:entry-create"), {"fraga": prompt.pk})
    client.post(
        reverse("reflections:entry-create"),
        {
            "title": "Svar",
            "body": "Jag sa nej tydligt.",
            "written_on": "2027-03-03",
            "prompt": prompt.pk,
            "theme": prompt.theme_id,
        },
    )

    assert "Vad gjorde du tydligt?" in page.content.decode()
    assert Entry.objects.get(title="Svar").prompt == prompt


def test_a_question_needs_a_theme_or_a_session(client, journal, coach):
    client.force_login(coach)

    response = client.post(reverse("reflections:prompts"), {"question": "Varför?"})

    assert "Välj ett tema eller en träff för frågan." in response.content.decode()
    assert not Prompt.objects.exists()


@pytest.mark.parametrize("actor", ["manager", "hr_user"])
def test_only_coaches_write_questions(client, request, journal, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(reverse("reflections:prompts")).status_code == 403
