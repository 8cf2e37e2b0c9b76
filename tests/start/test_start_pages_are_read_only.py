"""A start page only shows: a form posted to it is refused (405), not answered with the page."""

import pytest
from django.urls import reverse

from tests.factories import AdminFactory, CoachFactory, HRFactory, ManagerFactory


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("start-manager", ManagerFactory),
        ("start-coach", CoachFactory),
        ("start-hr", HRFactory),
        ("start-admin", AdminFactory),
    ],
)
def test_a_post_to_a_start_page_is_refused_and_a_get_shows_it(client, db, name, factory):
    client.force_login(factory())

    assert client.post(reverse(name), {"anything": "1"}).status_code == 405
    assert client.get(reverse(name)).status_code == 200
