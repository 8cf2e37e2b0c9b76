"""The menu marks the current page, shows what the person's roles open, and names the person
on the sign-out button."""

import pytest


@pytest.mark.django_db
def test_the_menu_follows_role_and_page_and_the_sign_out_button_the_person(client):
    from django.urls import reverse

    from tests.factories import CoachFactory, ManagerFactory

    first, second = ManagerFactory(full_name="Asta Först"), ManagerFactory(full_name="Berit Sist")
    coach = CoachFactory(full_name="Karin Tränare")
    journal, sessions = reverse("reflections:journal"), reverse("training_sessions:my-sessions")
    for person, path, current in ((first, journal, journal), (second, journal, journal)):
        client.force_login(person)
        page = client.get(path).content.decode()
        assert f'<span class="visually-hidden">{person.get_short_name()}</span>' in page
        assert page.count('aria-current="page"') == 1
        assert f'href="{current}" aria-current="page"' in page
    page = client.get(sessions).content.decode()
    assert f'href="{sessions}" aria-current="page"' in page
    assert f'href="{journal}" aria-current' not in page
    client.force_login(coach)
    page = client.get(reverse("training_sessions:schedule")).content.decode()
    assert f'href="{journal}"' not in page
    assert reverse("reflections:shared-list") in page
    assert "Karin" in page and "Berit" not in page
