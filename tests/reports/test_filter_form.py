"""The dashboard's filter at national scale: lists that stay short."""

import re

import pytest
from django.urls import reverse

from accounts.models import Department
from reports.forms import ReportFilterForm

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2027-01-01", "until": "2027-12-31"}


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_very_many_units_are_listed_for_the_chosen_administration(
    client, known, hr_user, monkeypatch
):
    monkeypatch.setattr(ReportFilterForm, "LISTED", 1)
    client.force_login(hr_user)
    bou, gata = known["forvaltningar"]["bou"], known["enheter"]["Gata"]

    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert options(page, "enhet") == ["Alla"]
    assert "Välj en förvaltning och visa siffrorna, så listas dess enheter här." in page
    assert options(page, "cohort") == ["Alla"]

    page = client.get(reverse("reports:dashboard"), PERIOD | {"forvaltning": bou.pk}).content
    assert options(page.decode(), "enhet") == [
        "Alla",
        "Barn och utbildning › Förskola C",
        "Barn och utbildning › Förskola D",
        "Barn och utbildning › Skola A",
        "Barn och utbildning › Skola B",
    ]

    # A unit chosen on its own (a link, a bookmark) is still accepted, listed and chosen.
    response = client.get(reverse("reports:dashboard"), PERIOD | {"enhet": gata.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert options(page, "enhet") == ["Alla", "Teknik › Gata"]
    assert f'<option value="{gata.pk}" selected>' in page


def test_few_units_are_all_listed(client, known, hr_user):
    client.force_login(hr_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert len(options(page, "enhet")) == 1 + Department.objects.filter(kind="enhet").count()
    assert "Barn och utbildning › Förskola D" in options(page, "enhet")
    assert "så listas dess enheter här" not in page
