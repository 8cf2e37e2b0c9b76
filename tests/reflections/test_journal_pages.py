"""A long journal comes page by page; the count and the search stay whole."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from reflections.models import Entry
from reflections.views import ENTRIES_PER_PAGE
from tests.support.pages import follow, link, page_links, query

pytestmark = pytest.mark.django_db


def _write(author, count: int, *, title: str, body: str, first=date(2027, 1, 1)) -> None:
    Entry.objects.bulk_create(
        Entry(author=author, title=f"{title} {n}", body=body, written_on=first + timedelta(days=n))
        for n in range(count)
    )


def _titles(page: str) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', page)


def test_the_journal_shows_the_newest_entries_first_and_the_rest_on_the_next_page(client, manager):
    _write(manager, ENTRIES_PER_PAGE + 5, title="Anteckning", body="text")
    client.force_login(manager)
    url = reverse("reflections:journal")

    first = client.get(url).content.decode()
    assert f"{ENTRIES_PER_PAGE + 5} anteckningar" in first
    assert _titles(first) == [f"Anteckning {n}" for n in range(ENTRIES_PER_PAGE + 4, 4, -1)]
    nav = page_links(first)
    assert 'aria-label="Sidor i journalen"' in nav
    assert "Sida 1 av 2" in nav
    assert 'aria-current="page"' in nav

    second = follow(client, link(nav, "Nästa"), url).content.decode()
    assert _titles(second) == [f"Anteckning {n}" for n in range(4, -1, -1)]
    assert f"{ENTRIES_PER_PAGE + 5} anteckningar" in second  # the count is the whole journal
    assert "Sida 2 av 2" in second
    assert '<details class="mb-3">' in second  # paging is not searching: the form stays shut


def test_a_search_keeps_its_words_on_every_page(client, manager):
    _write(manager, ENTRIES_PER_PAGE + 2, title="Mod", body="modet att leda")
    _write(manager, 3, title="Annat", body="semester")
    client.force_login(manager)
    url = reverse("reflections:journal")

    first = client.get(url, {"q": "modet"}).content.decode()
    assert f"{ENTRIES_PER_PAGE + 2} anteckningar matchar sökningen." in first
    next_page = link(page_links(first), "Nästa")
    assert query(next_page) == {"q": ["modet"], "page": ["2"]}
    second = follow(client, next_page, url).content.decode()
    assert len(_titles(second)) == 2
    assert all(title.startswith("Mod ") for title in _titles(second))
    back = link(page_links(second), "Föregående")
    assert query(back) == {"q": ["modet"]}  # page 1 has one address


def test_a_short_journal_has_no_page_links(client, manager):
    _write(manager, 3, title="Kort", body="text")
    client.force_login(manager)
    page = client.get(reverse("reflections:journal")).content.decode()
    assert "3 anteckningar" in page
    assert page_links(page) == ""


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 2), ("9999", 2), ("-1", 2)])
def test_a_page_number_out_of_range_shows_a_real_page(client, manager, asked, shown):
    _write(manager, ENTRIES_PER_PAGE + 1, title="Anteckning", body="text")
    client.force_login(manager)
    response = client.get(reverse("reflections:journal"), {"page": asked})
    assert response.status_code == 200
    assert f"Sida {shown} av 2" in response.content.decode()


def test_the_pages_never_show_another_managers_entries(client, manager, other_manager):
    _write(other_manager, ENTRIES_PER_PAGE + 1, title="Någon annans", body="text")
    client.force_login(manager)
    page = client.get(reverse("reflections:journal"), {"page": "2"}).content.decode()
    assert "Någon annans" not in page
    assert page_links(page) == ""
