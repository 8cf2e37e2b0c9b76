"""The export of one person's data: everything about them, from every model, and nothing of
anyone else's."""

import json

from django.urls import reverse

from privacy.export import EXCLUDED, person_export_json
from privacy.registry import PERSONAL, REGISTRY
from tests.privacy.conftest import EMAIL, NAME, WROTE


def _pk_name(label: str, made: dict) -> str:
    return made[label][0]._meta.pk.name


def test_the_fixture_puts_the_person_in_every_model_that_holds_people(everywhere):
    _person, _colleague, made = everywhere
    with_people = {
        label
        for label, entry in REGISTRY.items()
        if PERSONAL in entry.fields().values() and label != "privacy.DeletionRecord"
    }
    assert with_people - set(made) == set()


def test_export_holds_every_row_and_field_about_the_person(everywhere):
    person, _colleague, made = everywhere

    data = person_export_json(person)["data"]

    problems = []
    for label, objects in made.items():
        rows = data.get(label, [])
        if label == "sessions.Session":
            assert [row["expire_date"] for row in rows] == [objects[0].expire_date.isoformat()]
            continue
        pk_name = _pk_name(label, made)
        exported = {row[pk_name]: row for row in rows}
        for obj in objects:
            row = exported.get(obj.pk)
            if row is None:
                problems.append(f"{label} #{obj.pk} missing")
                continue
            if row.get("mentioned_only"):
                continue
            expected = set(REGISTRY[label].fields()) - EXCLUDED.get(label, set())
            if expected - set(row):
                problems.append(f"{label} #{obj.pk} lacks {sorted(expected - set(row))}")
    assert problems == []


def test_what_the_person_wrote_is_in_it_and_nothing_of_the_colleagues(everywhere):
    person, _colleague, made = everywhere

    text = json.dumps(person_export_json(person), ensure_ascii=False)

    # An email's body is left out (it can hold a one-time link); its subject is there.
    for written in (*WROTE[:6], NAME, EMAIL, "Påminnelse"):
        assert written in text
    assert WROTE[6] not in text
    # Their line of a staff list, never the colleague's; their förhinder, never the colleague's.
    assert "Kollega Annan" not in text
    assert "Kollegans eget förhinder" not in text
    assert "Kollegans text" not in text
    # Credentials are never exported.
    assert person.password not in text
    assert made["sessions.Session"][0].session_key not in text


def test_a_mention_leaves_out_the_other_persons_details(everywhere):
    person, _colleague, made = everywhere
    marked = made["training_sessions.Invitation"][1]

    rows = person_export_json(person)["data"]["training_sessions.Invitation"]
    row = next(r for r in rows if r["id"] == marked.pk)

    assert row["mentioned_only"] is True
    assert row["attendance_marked_by"] == person.pk
    assert "user" not in row
    assert "excuse_comment" not in row


def test_my_data_page_and_download(client, everywhere):
    person, _colleague, _made = everywhere
    client.force_login(person)

    page = client.get(reverse("privacy:my-data"))
    download = client.get(reverse("privacy:my-data-json"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Mina uppgifter" in html
    assert WROTE[1] in html and WROTE[4] in html
    assert "Kollegans text" not in html
    assert download["Content-Disposition"].startswith("attachment;")
    body = json.loads(download.content)
    assert body["person"]["email"] == EMAIL
    assert body["journal_withheld"] is False
    assert body["data"]["reflections.Entry"][0]["body"] == WROTE[1]


def test_an_administrator_sees_everything_but_the_journal(client, everywhere, admin_user, caplog):
    person, _colleague, _made = everywhere
    client.force_login(admin_user)

    with caplog.at_level("INFO", logger="kungsor_ledarskap.security"):
        page = client.get(reverse("privacy:person-data", args=[person.pk]))
        download = client.get(reverse("privacy:person-data-json", args=[person.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert NAME in html and EMAIL in html
    assert "undanhållet" in html
    for private in WROTE[:4]:
        assert private not in html
        assert private not in download.content.decode()
    entry = json.loads(download.content)["data"]["reflections.Entry"][0]
    assert entry["body"] is None and entry["title"] is None
    lines = [r.getMessage() for r in caplog.records]
    assert any(
        f"event=personal_data_export user_id={admin_user.pk}" in line
        and f"subject_id={person.pk}" in line
        for line in lines
    )


def test_nobody_else_may_export_a_person(client, everywhere, hr_user, coach):
    person, _colleague, _made = everywhere
    for someone in (hr_user, coach, person):
        client.force_login(someone)
        for name in ("privacy:person-data", "privacy:person-data-json"):
            assert client.get(reverse(name, args=[person.pk])).status_code == 403
        assert client.get(reverse("privacy:people"), {"q": "Petra"}).status_code == 403


def test_administrators_find_people_inactive_ones_too(client, everywhere, admin_user):
    person, _colleague, _made = everywhere
    person.is_active = False
    person.save()
    client.force_login(admin_user)

    html = client.get(reverse("privacy:people"), {"q": "persdotter"}).content.decode()

    assert NAME in html
    assert "Inaktiverad" in html
    assert reverse("privacy:person-data", args=[person.pk]) in html


def test_the_extracts_are_read_only_a_post_builds_and_logs_nothing(
    client, everywhere, admin_user, caplog
):
    person, _colleague, _made = everywhere
    client.force_login(admin_user)
    with caplog.at_level("INFO", logger="kungsor_ledarskap.security"):
        answers = [
            client.post(reverse("privacy:person-data", args=[person.pk])),
            client.post(reverse("privacy:person-data-json", args=[person.pk])),
            client.post(reverse("privacy:my-data")),
            client.post(reverse("privacy:my-data-json")),
        ]
    assert [answer.status_code for answer in answers] == [405] * 4
    assert all(NAME not in answer.content.decode() for answer in answers)
    assert not any("personal_data_export" in r.getMessage() for r in caplog.records)
