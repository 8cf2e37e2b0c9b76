"""Managers' voice on the framework: Maja sends the coach of her programme a signed
suggestion on a theme; Karin answers and publishes it for everyone in the programme (without
Maja's name); HR sees counts only; a manager in another programme and a coach of another
programme never see it."""

import pytest
from django.urls import reverse

from privacy.erasure import person_erase
from programme import suggestion_services as services
from programme.models import FocusArea, FrameworkSuggestion, Keyword, Theme
from tests.factories import CoachFactory, CohortFactory, ManagerFactory

pytestmark = pytest.mark.django_db

TEXT = "Temat borde ta upp **svåra samtal** med medarbetare. Maja-SYNPUNKT-7f3"


@pytest.fixture
def voice(manager, coach, hr_user, admin_user):
    colleague = ManagerFactory(full_name="Olle Kollega")
    cohort = CohortFactory(
        coaches=[coach], members=[manager, colleague], programme__coaches=[coach]
    )
    other_coach = CoachFactory(full_name="Bertil Annantränare")
    other = CohortFactory(
        coaches=[other_coach],
        members=[ManagerFactory(full_name="Bo Annatprogram")],
        programme__coaches=[other_coach],
    )
    return {
        "maja": manager,
        "olle": colleague,
        "coach": coach,
        "programme": cohort.programme,
        "other_coach": other_coach,
        "other_cohort": other,
        "no_programme": ManagerFactory(full_name="Nina Utanprogram"),
        "hr": hr_user,
        "admin": admin_user,
        "theme": Theme.objects.order_by("order").first(),
    }


def _send(client, world, text=TEXT, kind="tema", slug=None):
    client.force_login(world["maja"])
    return client.post(
        reverse("programme:suggestion-create", args=[kind, slug or world["theme"].slug]),
        {"programme": world["programme"].pk, "text": text},
        follow=True,
    )


def test_a_manager_suggests_the_coach_answers_and_publishes(client, voice):
    world = voice
    client.force_login(world["maja"])
    overview = client.get(reverse("programme:overview")).content.decode()
    link = reverse("programme:suggestion-create", args=["tema", world["theme"].slug])
    assert link in overview and "Föreslå eller tyck till" in overview

    response = _send(client, world)
    page = response.content.decode()
    assert "Tack! Ledartränarna har fått ditt förslag." in page
    assert "<strong>svåra samtal</strong>" in page and "Väntar på svar" in page
    suggestion = FrameworkSuggestion.objects.get()
    assert suggestion.author == world["maja"] and suggestion.theme == world["theme"]

    client.force_login(world["coach"])
    start = client.get(reverse("start-coach")).content.decode()
    assert "1 väntar på svar" in start
    assert reverse("programme:suggestion-list") in start
    assert reverse("network:coach-questions") in start
    listing = client.get(reverse("programme:suggestion-list")).content.decode()
    assert "Väntar på svar (1)" in listing and "Maja Chef" in listing and "svåra samtal" in listing
    response = client.post(
        reverse("programme:suggestion-answer", args=[suggestion.pk]),
        {"answer": "Bra idé, vi lägger till en övning.", "publish": "on"},
        follow=True,
    )
    assert "Ditt svar är sparat och publicerat på programsidan." in response.content.decode()
    assert "Inget väntar på svar." in response.content.decode()

    # Everyone in the programme reads the published question and answer, without her name.
    client.force_login(world["olle"])
    overview = client.get(reverse("programme:overview")).content.decode()
    assert "Bra idé, vi lägger till en övning." in overview and "svåra samtal" in overview
    assert "Karin Tränare svarade" in overview and "Maja Chef" not in overview
    # Maja reads the answer among her suggestions.
    client.force_login(world["maja"])
    mine = client.get(reverse("programme:suggestion-mine")).content.decode()
    assert "Bra idé, vi lägger till en övning." in mine and "Publicerad för programmet" in mine


def test_who_sees_what(client, voice):
    world = voice
    _send(client, world)
    suggestion = FrameworkSuggestion.objects.get()
    answer_url = reverse("programme:suggestion-answer", args=[suggestion.pk])
    withdraw_url = reverse("programme:suggestion-withdraw", args=[suggestion.pk])
    for person in ("other_coach", "olle", "hr", "admin", "no_programme"):
        client.force_login(world[person])
        assert client.get(answer_url).status_code == 404, person
        assert client.post(withdraw_url).status_code == 404, person
        for url in (reverse("programme:overview"), "/"):
            body = client.get(url, follow=True).content.decode()
            assert "Maja-SYNPUNKT-7f3" not in body, (person, url)
    # A coach of another programme has nothing waiting.
    client.force_login(world["other_coach"])
    assert "Maja Chef" not in client.get(reverse("programme:suggestion-list")).content.decode()
    # Before publication, a colleague in the same programme does not see it either.
    client.force_login(world["olle"])
    assert "svåra samtal" not in client.get(reverse("programme:overview")).content.decode()
    assert FrameworkSuggestion.objects.get().withdrawn_at is None


def test_hr_sees_counts_per_item_never_the_text(client, voice):
    world = voice
    _send(client, world)
    _send(client, world, text="Ett till förslag")
    focus = FocusArea.objects.order_by("order").first()
    _send(client, world, text="Om fokusområdet", kind="fokusomrade", slug=focus.slug)
    suggestion = FrameworkSuggestion.objects.filter(theme=world["theme"]).first()
    services.suggestion_answer(
        suggestion=suggestion, coach=world["coach"], answer="Svar", publish=True
    )
    client.force_login(world["hr"])
    page = client.get(reverse("programme:overview")).content.decode()
    assert "Chefernas förslag om ramverket" in page
    row = f'{world["theme"].name} <span class="text-body-secondary small">(tema)</span></th>'
    assert f'{row}<td class="text-end">2</td><td class="text-end">1</td>' in page
    assert "svåra samtal" not in page and "Ett till förslag" not in page and "Svar<" not in page
    assert "Maja Chef" not in page
    assert Keyword.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Skriv ditt förslag eller din synpunkt innan du skickar."),
        ("x" * 2001, "Texten får vara högst 2000 tecken; din har 2001."),
    ],
)
def test_an_empty_or_too_long_suggestion_is_refused_in_swedish(client, voice, text, message):
    response = _send(client, voice, text=text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FrameworkSuggestion.objects.exists()


def test_html_is_escaped_or_cleaned(client, voice):
    world = voice
    _send(client, world, text="<script>alert('x')</script>\n\n<img src=x onerror=alert(1)> *ja*")
    client.force_login(world["coach"])
    page = client.get(reverse("programme:suggestion-list")).content.decode()
    assert "<script>alert" not in page and "onerror" not in page and "<em>ja</em>" in page


def test_a_manager_outside_a_programme_is_told_and_nothing_is_stored(client, voice):
    world = voice
    client.force_login(world["no_programme"])
    response = client.post(
        reverse("programme:suggestion-create", args=["tema", world["theme"].slug]),
        {"programme": world["programme"].pk, "text": "Förslag"},
        follow=True,
    )
    assert "Du kan skicka förslag till ledartränarna när du deltar i ett program." in (
        response.content.decode()
    )
    # Nor can a manager send to another programme than their own.
    _send(client, world)
    client.force_login(world["maja"])
    response = client.post(
        reverse("programme:suggestion-create", args=["tema", world["theme"].slug]),
        {"programme": world["other_cohort"].programme.pk, "text": "Till fel program"},
    )
    assert response.status_code == 400
    assert FrameworkSuggestion.objects.count() == 1


def test_answering_a_withdrawn_suggestion_says_so_and_stores_nothing(client, voice):
    world = voice
    _send(client, world)
    suggestion = FrameworkSuggestion.objects.get()
    client.post(reverse("programme:suggestion-withdraw", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert suggestion.withdrawn_at is not None and suggestion.text == ""
    client.force_login(world["coach"])
    response = client.post(
        reverse("programme:suggestion-answer", args=[suggestion.pk]),
        {"answer": "Mitt svar"},
        follow=True,
    )
    assert "Förslaget har dragits tillbaka av den som skrev det, så ditt svar sparades inte." in (
        response.content.decode()
    )
    suggestion.refresh_from_db()
    assert suggestion.answer == "" and suggestion.answered_at is None
    # An empty answer is refused too.
    _send(client, world, text="Nytt förslag")
    fresh = FrameworkSuggestion.objects.get(withdrawn_at__isnull=True)
    client.force_login(world["coach"])
    response = client.post(reverse("programme:suggestion-answer", args=[fresh.pk]), {"answer": ""})
    assert response.status_code == 400
    assert "Skriv ditt svar innan du sparar det." in response.content.decode()


def test_erasure_deletes_the_unpublished_and_keeps_the_published_without_the_name(voice):
    world = voice
    theme = world["theme"]
    services.suggestion_send(
        author=world["maja"], programme=world["programme"], item=theme, text="Bara till coachen"
    )
    published = services.suggestion_send(
        author=world["maja"], programme=world["programme"], item=theme, text="Publicerat"
    )
    services.suggestion_answer(
        suggestion=published, coach=world["coach"], answer="Svar", publish=True
    )
    world["maja"].is_active = False
    world["maja"].save()
    person_erase(person=world["maja"])
    kept = FrameworkSuggestion.objects.get()
    assert kept.text == "Publicerat" and kept.author is None
