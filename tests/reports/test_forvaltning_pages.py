"""The dashboard lists the förvaltningar; each förvaltning's units are on a page of its own,
and the training groups page by page, all from the same counted figures."""

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import views
from reports.models import ReportAccess
from tests.factories import CohortFactory, EnhetFactory
from tests.support.pages import follow as _get
from tests.support.pages import link as _link

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2027-01-01", "until": "2027-12-31"}


def _rows(page: str, slug: str) -> list[str]:
    """The row names of one table on a page, as a reader sees them."""
    table = re.search(rf'id="table-{slug}".*?</section>', page, re.S).group(0)
    return [
        unescape(re.sub(r"<[^>]+>", "", cell))
        for cell in re.findall(r'<th scope="row">(.*?)</th>', table, re.S)
    ]


def test_the_dashboard_lists_forvaltningar_and_each_links_to_its_units(client, known, hr_user):
    client.force_login(hr_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()

    assert _rows(page, "enheter") == []  # no unit rows on the main page
    assert '<th scope="row">Barn och utbildning › Skola A</th>' not in page
    assert _rows(page, "forvaltningar")[:4] == [
        "Barn och utbildning",
        "Kultur",
        "Teknik",
        "Vård och omsorg",
    ]
    bou = known["forvaltningar"]["bou"]
    link = _link(page, "Barn och utbildning")
    assert urlsplit(link).path == reverse("reports:forvaltning", args=[bou.pk])
    assert parse_qs(urlsplit(link).query) == {"since": ["2027-01-01"], "until": ["2027-12-31"]}

    units = _get(client, link)
    assert units.status_code == 200
    text = units.content.decode()
    assert "Enheter i Barn och utbildning" in text
    assert _rows(text, "enheter") == [  # the page is about Barn och utbildning
        "Förskola C",
        "Förskola D",
        "Skola A",
        "Skola B",
        "Tillsammans: Förskola C, Förskola D, Skola B",
    ]
    assert "Hemtjänst" not in text
    assert "Period: 1 januari 2027 – 31 december 2027." in text


def test_the_units_page_shows_the_dashboards_figures_and_hides_small_groups(client, known, hr_user):
    client.force_login(hr_user)
    bou = known["forvaltningar"]["bou"]
    page = client.get(reverse("reports:forvaltning", args=[bou.pk]), PERIOD).content.decode()

    skola_a = re.search(r">Skola A</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", skola_a)
    assert cells[:4] == ["6", "6", "5", "83,3 %"]  # managers, invited, present, rate
    assert "12" in cells  # reflections written: a group of 6
    forskola_d = re.search(r">Förskola D</th>(.*?)</tr>", page, re.S)
    assert "färre än 5" in forskola_d.group(1)


def test_the_units_page_reads_the_counted_figures_without_counting_again(client, known, hr_user):
    client.force_login(hr_user)
    client.get(reverse("reports:dashboard"), PERIOD)
    bou = known["forvaltningar"]["bou"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:forvaltning", args=[bou.pk]), PERIOD)

    assert response.status_code == 200
    counted = [q["sql"] for q in queries if "training_sessions_invitation" in q["sql"]]
    assert counted == []


def test_the_units_page_is_logged_with_its_forvaltning(client, known, hr_user):
    client.force_login(hr_user)
    bou = known["forvaltningar"]["bou"]
    client.get(reverse("reports:forvaltning", args=[bou.pk]), PERIOD)

    [log] = ReportAccess.objects.all()
    assert (log.user, log.action, log.report) == (hr_user, "visning", "enheter")
    assert log.filters == PERIOD | {"forvaltning": bou.pk}


def test_filters_are_carried_to_the_units_page_and_its_download(client, known, hr_user):
    client.force_login(hr_user)
    theme = known["themes"]["leda-sig-sjalv"]
    params = PERIOD | {"theme": str(theme.pk)}
    page = client.get(reverse("reports:dashboard"), params).content.decode()

    link = _link(page, "Barn och utbildning")
    assert parse_qs(urlsplit(link).query)["theme"] == [str(theme.pk)]
    units = _get(client, link).content.decode()
    breadcrumb = re.search(r'<ol class="breadcrumb">.*?</ol>', units, re.S).group(0)
    back = _link(breadcrumb, "Deltagande och resultat")
    assert parse_qs(urlsplit(back).query)["theme"] == [str(theme.pk)]

    export = _get(client, _link(units, 'CSV<span class="visually-hidden"> – Per enhet</span>'))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Förvaltning", "Barn och utbildning"] in rows
    assert ["Tema", "Leda sig själv"] in rows
    names = [r[0] for r in rows if r and r[0].startswith(("Barn", "Vård", "Tillsammans"))]
    assert "Barn och utbildning › Skola A" in names
    assert "Vård och omsorg › Hemtjänst" not in names


def test_the_dashboard_still_offers_every_unit_in_one_file(client, known, hr_user):
    client.force_login(hr_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()

    export = _get(client, _link(page, 'CSV<span class="visually-hidden"> – Per enhet</span>'))
    exported = export.content.decode("utf-8-sig")
    assert "Barn och utbildning › Skola A" in exported
    assert "Vård och omsorg › Hemtjänst" in exported
    assert "Teknik › Gata" in exported


def test_a_chosen_forvaltning_lists_its_units_on_the_dashboard(client, known, hr_user):
    client.force_login(hr_user)
    bou = known["forvaltningar"]["bou"]
    page = client.get(reverse("reports:dashboard"), PERIOD | {"forvaltning": bou.pk})

    assert "Barn och utbildning › Skola A" in _rows(page.content.decode(), "enheter")


def test_units_come_page_by_page(client, known, hr_user, monkeypatch):
    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    client.force_login(hr_user)
    url = reverse("reports:forvaltning", args=[known["forvaltningar"]["bou"].pk])

    first = client.get(url, PERIOD).content.decode()
    assert _rows(first, "enheter") == ["Förskola C", "Förskola D"]
    assert "Sida 1 av 3" in first
    next_link = _link(first, "Nästa")
    assert parse_qs(urlsplit(next_link).query) == {
        "since": ["2027-01-01"],
        "until": ["2027-12-31"],
        "page": ["2"],
    }
    second = _get(client, next_link, url).content.decode()
    assert _rows(second, "enheter") == ["Skola A", "Skola B"]
    assert 'aria-current="page"><span class="visually-hidden">Sida </span>2</a>' in second
    last = client.get(url, PERIOD | {"page": "9999"}).content.decode()
    assert _rows(last, "enheter")[0].startswith("Tillsammans:")
    assert "Sida 3 av 3" in last
    text = client.get(url, PERIOD | {"page": "abc"})
    assert text.status_code == 200
    assert "Sida 1 av 3" in text.content.decode()


def test_nobody_but_hr_and_admins_sees_a_forvaltnings_units(
    client, known, manager, coach, admin_user
):
    url = reverse("reports:forvaltning", args=[known["forvaltningar"]["bou"].pk])
    for person in (manager, coach):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.get(reverse("reports:cohorts")).status_code == 403
    assert not ReportAccess.objects.exists()
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_a_unit_or_unknown_department_is_not_a_forvaltning_page(client, known, hr_user):
    client.force_login(hr_user)
    enhet = known["enheter"]["Skola A"]
    assert client.get(reverse("reports:forvaltning", args=[enhet.pk])).status_code == 404
    assert client.get(reverse("reports:forvaltning", args=[999999])).status_code == 404
    bou = known["forvaltningar"]["bou"]
    bad = client.get(reverse("reports:forvaltning", args=[bou.pk]), {"since": "inte ett datum"})
    assert bad.status_code == 400
    assert not ReportAccess.objects.exists()


def test_many_training_groups_are_listed_page_by_page(client, known, hr_user, monkeypatch):
    monkeypatch.setattr(views, "COHORTS_ON_DASHBOARD", 1)
    monkeypatch.setattr(views, "COHORTS_PER_PAGE", 1)
    client.force_login(hr_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()

    assert _rows(page, "traningsgrupper") == []
    assert "2 träningsgrupper." in page
    listing = _get(client, _link(page, "Se träningsgrupperna sida för sida"))
    first = listing.content.decode()
    assert [name.split(": ")[-1] for name in _rows(first, "traningsgrupper")] == ["Grupp X"]
    second = _get(client, _link(first, "Nästa"), reverse("reports:cohorts")).content.decode()
    assert [name.split(": ")[-1] for name in _rows(second, "traningsgrupper")] == ["Grupp Y"]
    logs = ReportAccess.objects.values_list("report", flat=True)
    assert list(logs.order_by("created_at")) == ["deltagande", "traningsgrupper", "traningsgrupper"]


def test_units_with_no_one_counted_are_not_listed_nor_paged(client, known, hr_user):
    EnhetFactory.create_batch(3, parent=known["forvaltningar"]["voo"])
    CohortFactory(name="Tom grupp")
    client.force_login(hr_user)
    voo = known["forvaltningar"]["voo"]
    page = client.get(reverse("reports:forvaltning", args=[voo.pk]), PERIOD).content.decode()
    assert _rows(page, "enheter") == ["Hemtjänst"]
    assert 'aria-label="Sidor"' not in page  # one page: no page links
