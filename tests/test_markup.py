"""Markup errors a validator found on pages of the portal, each on the page where it was met
(the browser walk runs the Nu Html Checker over every page; these run without a browser)."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.security import policy


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter = Counter()
        self.empty_names: list[str] = []
        self.labelled_paragraphs: list[str] = []
        self.headings: list[int] = []
        self.tables: list[bool] = []  # per table: has a header cell
        self.repeated_attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = Counter(name for name, _value in attrs)
        self.repeated_attributes += [f"<{tag} {n}>" for n, count in names.items() if count > 1]
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if attrs.get("name") == "":
            self.empty_names.append(tag)
        if tag == "p" and "aria-label" in attrs:
            self.labelled_paragraphs.append(attrs["aria-label"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append(False)
        if tag == "th" and self.tables:
            self.tables[-1] = True


def _read(client, world, actor: str, name: str):
    rule = policy.POLICY[name]
    client.force_login(world["people"][actor])
    response = client.get(rule.url(name, world, "a" if rule.params else None))
    assert response.status_code == 200
    markup = _Markup()
    markup.feed(response.content.decode())
    return markup


@pytest.mark.parametrize(
    ("actor", "name"),
    [
        ("manager_a", "reminders:settings"),
        ("coach_a", "training_sessions:session-detail"),
        ("coach_a", "programme:cohort-detail"),
    ],
)
def test_two_forms_on_one_page_have_buttons_with_ids_of_their_own(client, world, actor, name):
    markup = _read(client, world, actor, name)

    assert [id_ for id_, count in markup.ids.items() if count > 1] == []


def test_attendance_choices_have_one_class_attribute(client, world):
    # A second class="" on an element is dropped by the browser, with the classes in it.
    markup = _read(client, world, "coach_a", "training_sessions:session-detail")

    assert markup.repeated_attributes == []


def test_the_check_in_code_is_read_out_without_aria_label_on_a_paragraph(client, world):
    markup = _read(client, world, "coach_a", "training_sessions:session-detail")

    assert markup.labelled_paragraphs == []


def test_the_report_filter_button_has_no_empty_name(client, world):
    markup = _read(client, world, "hr", "reports:dashboard")

    assert markup.empty_names == []


def test_network_groups_are_headed_one_level_below_the_page_heading(client, world):
    markup = _read(client, world, "hr", "programme:round-detail")

    assert all(b <= a + 1 for a, b in zip([0, *markup.headings], markup.headings, strict=False))
    assert 2 in markup.headings


def test_the_coachs_digest_tables_have_header_cells(client, world):
    markup = _read(client, world, "coach_a", "reflections:digest")

    assert markup.tables and all(markup.tables)
