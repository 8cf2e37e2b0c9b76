"""Ledord self-ratings: any of the three may be rated, with an entry or on their own; the
rating shows on the entry; the chart's numbers are never written the Swedish way inside
its markup."""

import re
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reflections import services
from reflections.models import LedordRating
from reports.charts import Bar, Chart


def _editor_value(page: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)[0]
    chosen = re.search(r'<option value="(\d*)" selected>', select)
    return chosen[1] or None if chosen else None


def test_rating_one_ledord_with_an_entry_is_saved_and_shown_on_it(client, journal, manager):
    client.force_login(manager)

    saved = client.post(
        reverse("reflections:entry-create"),
        {"title": "Med skattning", "body": "x", "written_on": "2027-03-03", "rate_tydligt": "4"},
    )

    [rating] = LedordRating.objects.filter(author=manager)
    assert (rating.modigt, rating.tydligt, rating.engagerande) == (None, 4, None)
    assert saved.status_code == 302 and saved.url == f"/journal/{rating.entry.pk}/"
    editor = client.get(saved.url).content.decode()
    assert _editor_value(editor, "rate_tydligt") == "4"
    assert _editor_value(editor, "rate_modigt") is None
    read = client.get(reverse("reflections:entry-read", args=[rating.entry.pk])).content.decode()
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", read))
    assert "Din skattning med anteckningen" in shown
    assert "Modigt inte skattat Tydligt 4 Engagerande inte skattat" in shown


def test_saving_the_entry_again_changes_its_one_rating_and_unrating_removes_it(
    client, journal, manager
):
    client.force_login(manager)
    url = reverse("reflections:entry-create")
    client.post(url, {"title": "En", "body": "x", "written_on": "2027-03-03", "rate_modigt": "2"})
    entry = LedordRating.objects.get(author=manager).entry
    edit = reverse("reflections:entry-edit", args=[entry.pk])

    client.post(
        edit,
        {"title": "En", "body": "x", "written_on": "2027-03-03", "version": entry.version}
        | {"rate_modigt": "2", "rate_engagerande": "5"},
    )
    after_change = [r.values() for r in LedordRating.objects.filter(author=manager)]
    entry.refresh_from_db()
    client.post(
        edit, {"title": "En", "body": "y", "written_on": "2027-03-03", "version": entry.version}
    )

    assert after_change == [{"modigt": 2, "tydligt": None, "engagerande": 5}]
    assert LedordRating.objects.filter(author=manager).count() == 0
    entry.refresh_from_db()
    assert entry.body == "y"


def test_autosave_goes_on_with_a_partial_rating_and_stores_it(client, journal, manager):
    client.force_login(manager)

    first = client.post(
        reverse("reflections:entry-autosave-new"),
        {"title": "", "body": "Skriver", "written_on": "2027-03-03", "rate_engagerande": "3"},
    )
    data = first.json()
    second = client.post(
        data["autosave_url"],
        {"body": "Skriver vidare", "written_on": "2027-03-03", "version": data["version"]}
        | {"rate_engagerande": "3", "rate_modigt": "5"},
    )

    assert first.status_code == 200 and data["ok"] is True
    assert second.status_code == 200 and second.json()["ok"] is True
    [rating] = LedordRating.objects.filter(author=manager)
    assert (rating.modigt, rating.tydligt, rating.engagerande) == (5, None, 3)
    assert rating.entry.body == "Skriver vidare"


def test_the_ratings_page_takes_some_ledord_and_refuses_none(client, journal, manager):
    client.force_login(manager)
    url = reverse("reflections:ratings")

    none = client.post(url, {"rated_on": "2027-03-01"})
    client.post(url, {"rated_on": "2027-03-01", "modigt": "2"})
    client.post(url, {"rated_on": "2027-04-01", "tydligt": "3", "engagerande": "5"})
    page = client.get(url).content.decode().replace("\n", "")

    assert "Skatta minst ett ledord." in none.content.decode()
    assert [r.values() for r in LedordRating.objects.filter(author=manager)] == [
        {"modigt": 2, "tydligt": None, "engagerande": None},
        {"modigt": None, "tydligt": 3, "engagerande": 5},
    ]
    assert "<td>2</td><td>–</td><td>–</td>" in page
    assert "<td>–</td><td>3</td><td>5</td>" in page


def test_a_partial_rating_counts_once_for_hr(journal, manager):
    from datetime import date

    from reports.selectors import Filters, _reflection_counts

    services.rating_add(author=manager, rated_on=date(2027, 3, 1), modigt=4)
    services.rating_add(author=manager, rated_on=date(2027, 3, 2), tydligt=2, engagerande=3)

    filters = Filters(since=date(2027, 1, 1), until=date(2027, 12, 31))
    counts = _reflection_counts(filters, [manager.department_id])

    assert counts[manager.department_id]["ratings"] == 2


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.in_svg = 0

    def handle_starttag(self, tag, attrs):
        self.in_svg += tag == "svg"
        if self.in_svg:
            self.found += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag):
        self.in_svg -= tag == "svg"


NUMBER = r"-?\d+(?:\.\d+)?"
POINTS = re.compile(rf"{NUMBER},{NUMBER}(?: {NUMBER},{NUMBER})*")


def _comma_numbers(page: str) -> list:
    """Attributes of the SVG whose numbers are written for people (a decimal comma, a
    non-breaking space between thousands): only `points` may hold commas, between x and y."""
    parser = _Attributes()
    parser.feed(page)
    assert parser.found, "no SVG on the page"
    wrong = []
    for tag, name, value in parser.found:
        if name == "points":
            if not POINTS.fullmatch(value):
                wrong.append((tag, name, value))
        elif "," in value or "\xa0" in value:
            wrong.append((tag, name, value))
    return wrong


def test_the_ratings_chart_in_swedish_has_no_decimal_comma_in_its_markup(client, journal, manager):
    services.rating_add(author=manager, rated_on=journal["private"].written_on, modigt=3)
    services.rating_add(
        author=manager, rated_on=journal["shared"].written_on, tydligt=4, engagerande=5
    )
    client.force_login(manager)

    page = client.get(reverse("reflections:ratings"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    assert 'lang="sv"' in page
    assert _comma_numbers(page) == []
    assert 'y1="200.0"' in page  # the grid line for 1, as SVG reads it


def test_the_hr_chart_in_swedish_has_no_decimal_comma_in_its_markup():
    chart = Chart(
        slug="narvaro",
        title="Närvaro",
        summary="Närvaro per månad.",
        kind="rate",
        bars=[Bar(x=50.5, y=20.25, width=30.75, height=171.75, label="jan", value_text="8 %")],
        baseline=191.5,
    )

    with translation.override("sv"):
        page = render_to_string("reports/_chart.html", {"chart": chart})

    assert _comma_numbers(page) == []
    assert 'y1="191.5"' in page
