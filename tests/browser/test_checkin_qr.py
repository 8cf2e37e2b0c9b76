"""The coach shows the check-in QR code on the session's page: Chromium must draw it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.support.browser_sign_in import sign_in
from tests.world import build

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_coach_sees_the_check_in_qr_code_as_an_image(page, live_server):
    world = build()
    session = world["sides"]["a"]["coming"]
    sign_in(page, live_server.url, world["people"]["coach_a"].email, PASSWORD)

    page.goto(live_server.url + reverse("training_sessions:session-detail", args=[session.pk]))

    qr = page.get_by_role("img", name="QR-kod för incheckning")
    expect(qr).to_be_visible()
    # An SVG the browser cannot read as an image loads as a broken image of natural width 0.
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 100
    assert qr.evaluate("img => img.naturalWidth === img.naturalHeight")
