"""Writing: autosave, conflicts that keep both texts, the trash, and search."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacy.retention import retention_apply
from reflections import services
from reflections.models import Entry


def _post(client, url, **fields):
    data = {"title": "", "body": "", "written_on": "2027-03-05", **fields}
    return client.post(url, data, headers={"accept": "application/json"})


def test_autosave_creates_the_entry_then_keeps_saving_it(client, journal, manager):
    client.force_login(manager)

    first = _post(client, reverse("reflections:entry-autosave-new"), body="Första tanken")
    data = first.json()
    second = _post(
        client, data["autosave_url"], body="Första tanken, och en till", version=data["version"]
    )

    entry = Entry.objects.get(pk=data["id"])
    assert second.json()["ok"] and second.json()["version"] == 2
    assert entry.body == "Första tanken, och en till"
    assert entry.shared_at is None  # private by default


def test_two_windows_never_overwrite_each_other(client, journal, manager):
    client.force_login(manager)
    entry = journal["private"]
    url = reverse("reflections:entry-autosave", args=[entry.pk])

    _post(client, url, title="Privat", body="Text från fönster A", version=1)
    late = _post(client, url, title="Privat", body="Text från fönster B", version=1).json()

    assert late["conflict"] is True
    assert "Inget har gått förlorat" in late["message"]
    entry.refresh_from_db()
    assert entry.body == "Text från fönster A"
    copy = Entry.objects.get(pk=late["id"])
    assert copy.body == "Text från fönster B"
    assert copy.title == "Privat (sparad i ett annat fönster)"


def test_the_form_save_tells_of_a_conflict_in_swedish(client, journal, manager):
    client.force_login(manager)
    entry = journal["private"]
    services.entry_save(
        entry=entry,
        data=services.EntryData(title="Privat", body="Nyare", written_on=date(2027, 3, 1)),
        based_on_version=1,
    )

    response = client.post(
        reverse("reflections:entry-edit", args=[entry.pk]),
        {"title": "Privat", "body": "Äldre flik", "written_on": "2027-03-01", "version": 1},
        follow=True,
    )

    assert "Anteckningen ändrades i ett annat fönster" in response.content.decode()
    assert set(Entry.objects.filter(author=manager).values_list("body", flat=True)) >= {
        "Nyare",
        "Äldre flik",
    }


def test_trash_restore_and_purge_after_thirty_days(client, journal, manager):
    client.force_login(manager)
    entry = journal["private"]

    client.post(reverse("reflections:entry-trash", args=[entry.pk]))
    assert "Privat" not in client.get(reverse("reflections:journal")).content.decode()
    assert "Privat" in client.get(reverse("reflections:trash")).content.decode()
    client.post(reverse("reflections:entry-restore", args=[entry.pk]))
    assert "Privat" in client.get(reverse("reflections:journal")).content.decode()

    services.entry_trash(entry=entry)
    Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now() - timedelta(days=29))
    assert retention_apply()["journal_trash"] == 0
    Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    assert retention_apply()["journal_trash"] == 1
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_swedish_search_finds_ledarskapet_by_ledarskap(client, journal, manager):
    client.force_login(manager)

    found = client.get(reverse("reflections:journal"), {"q": "ledarskap"}).content.decode()
    missing = client.get(reverse("reflections:journal"), {"q": "budget"}).content.decode()

    assert connection.vendor == "postgresql"
    assert ">Privat<" in found and ">Delad<" not in found
    assert "Ingen anteckning matchar sökningen." in missing


def test_the_search_reads_stored_words_indexed_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'reflections_entry_search_sv'"
        )
        [(definition,)] = cursor.fetchall()
    assert "USING gin (search_vector)" in definition


def test_the_search_finds_what_the_entry_says_now_not_before(client, manager):
    """The stored words follow every change of the title or text, by the editor or any
    other path (the database's trigger, not the portal's code, keeps them)."""
    entry = services.entry_create(
        author=manager,
        data=services.EntryData(
            title="Veckans möte", body="Vi pratade om budgeten.", written_on=date(2027, 1, 1)
        ),
    )
    client.force_login(manager)

    def found(words):
        page = client.get(reverse("reflections:journal"), {"q": words}).content.decode()
        return "Veckans möte" in page

    assert found("budget") and not found("medarbetarsamtal")
    services.entry_save(
        entry=entry,
        data=services.EntryData(
            title="Veckans möte", body="Nu om medarbetarsamtalen.", written_on=date(2027, 1, 1)
        ),
        based_on_version=entry.version,
    )
    assert found("medarbetarsamtal") and not found("budget")
    Entry.objects.filter(pk=entry.pk).update(title="Förändringsarbete")
    assert not found("veckans")
    assert (
        client.get(reverse("reflections:journal"), {"q": "förändring"})
        .content.decode()
        .count("Förändringsarbete")
    )


def test_the_journal_list_keeps_its_query_count_at_ten_times_the_data(client, journal, manager):
    from programme.models import Keyword, Theme

    client.force_login(manager)

    def add(count):
        for i in range(count):
            entry = services.entry_create(
                author=manager,
                data=services.EntryData(
                    title=f"Anteckning {i}",
                    body="text",
                    written_on=date(2027, 1, 1),
                    theme_id=Theme.objects.first().pk,
                    keyword_ids=tuple(Keyword.objects.values_list("pk", flat=True)),
                ),
            )
            services.entry_share(entry=entry)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reflections:journal"))
        return len(queries)

    add(3)
    small = measure()
    add(27)
    assert measure() == small


def test_search_survives_any_input(client, journal, manager):
    client.force_login(manager)

    for query in ["ledarskap & | ! :* ()", "'", "ö ä å", "a" * 500]:
        assert client.get(reverse("reflections:journal"), {"q": query}).status_code == 200


def test_other_peoples_entries_cannot_be_linked_to_a_commitment(
    client, journal, manager, other_manager
):
    from reflections.models import Commitment

    theirs = services.entry_create(
        author=other_manager,
        data=services.EntryData(title="Deras", body="x", written_on=date(2027, 3, 1)),
    )
    client.force_login(manager)

    response = client.post(
        reverse("reflections:commitments"),
        {"text": "Prova", "due_on": timezone.localdate(), "entry": theirs.pk},
    )

    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Commitment.objects.exists()


def test_commitments_and_shared_lists_keep_their_query_count(client, journal, manager, coach):
    from reflections.models import Commitment

    def add(count):
        for i in range(count):
            entry = services.entry_create(
                author=manager,
                data=services.EntryData(title=f"E{i}", body="t", written_on=date(2027, 1, 1)),
            )
            services.entry_share(entry=entry)
            Commitment.objects.create(
                author=manager, text=f"C{i}", due_on=date(2027, 1, 1), entry=entry
            )

    def measure():
        counts = []
        for user, name in ((manager, "commitments"), (coach, "shared-list")):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse(f"reflections:{name}"))
            counts.append(len(queries))
        return counts

    add(3)
    small = measure()
    add(27)
    assert measure() == small
