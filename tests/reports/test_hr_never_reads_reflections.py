"""HR cannot reach what a manager wrote, on any page of the portal: every URL pattern is
tried as HR with the ids of every journal entry, commitment, session and person."""

import pytest
from django.urls import get_resolver

from reflections import services as reflections
from reflections.models import Commitment, Entry
from sessions.models import TrainingSession
from tests import test_url_access
from tests.reports.conftest import SENTINEL

pytestmark = pytest.mark.django_db


def _urls_with(value: str) -> list[str]:
    samples = dict(test_url_access.SAMPLE_VALUES)
    try:
        test_url_access.SAMPLE_VALUES["int"] = value
        return sorted({url for _name, url in test_url_access._walk(get_resolver())})
    finally:
        test_url_access.SAMPLE_VALUES.clear()
        test_url_access.SAMPLE_VALUES.update(samples)


def test_no_page_shows_hr_any_reflection_text(client, known, hr_user, coach):
    manager = known["people"]["Skola A"][0]
    shared = reflections.entry_share(entry=Entry.objects.filter(author=manager).first())
    reflections.feedback_give(
        entry=shared, coach=coach, text=f"Återkoppling {SENTINEL}", entry_url="/"
    )
    ids = {
        *Entry.objects.values_list("pk", flat=True),
        *Commitment.objects.values_list("pk", flat=True),
        *TrainingSession.objects.values_list("pk", flat=True),
        manager.pk,
    }
    # Each address once: a pattern without an id is the same page whatever the id.
    urls = sorted({url for value in ids for url in _urls_with(str(value))})
    client.force_login(hr_user)
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SENTINEL.encode() not in body, url
    assert len(urls) > 500, len(urls)
    # The same walk finds the text where it is allowed: the author's own pages.
    client.force_login(manager)
    own = [
        url for url in _urls_with(str(shared.pk)) if SENTINEL in client.get(url).content.decode()
    ]
    assert own
