"""A manager shares one journal entry with their network group: a copy as it is at that
moment, seen by the group's current members only, which the author can share again or take
back. Maja shares; Olle and Pia are in her group; Bo (another group), Nina (no group), the
coach, HR and the administrator never see it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import SharedEntry
from privacy.erasure import person_erase
from reflections import services as journal_services
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

SECRET = "Maja-delade-SENTINEL-9e2"


def _share_page(entry):
    return reverse("network:entry-share", args=[entry.pk])


def _group_page(world):
    return reverse("network:shared-entries", args=[world["group"].pk])


def _entry(world, **fields):
    fields.setdefault("title", "När medarbetaren sa nej")
    fields.setdefault("body", f"Jag stod kvar i **obehaget**. {SECRET}")
    return EntryFactory(author=world["asker"], **fields)


def _share(client, world, entry, group=None):
    client.force_login(world["asker"])
    return client.post(_share_page(entry), {"group": (group or world["group"]).pk}, follow=True)


def test_a_copy_is_shared_seen_by_the_group_and_frozen_until_shared_again(client, group_world):
    world = group_world
    entry = _entry(world)
    client.force_login(world["asker"])
    editor = client.get(reverse("reflections:entry-edit", args=[entry.pk])).content.decode()
    assert "Dela med min nätverksgrupp" in editor
    page = client.get(_share_page(entry)).content.decode()
    # Before sharing, she sees what the group would get.
    assert "Det här skulle gruppen se nu" in page and "<strong>obehaget</strong>" in page

    response = _share(client, world, entry)
    assert "En kopia av anteckningen är delad med din nätverksgrupp." in response.content.decode()
    copy = SharedEntry.objects.get()
    assert (copy.author, copy.group, copy.entry) == (world["asker"], world["group"], entry)

    # She writes on in her journal: the group still sees the copy as it was.
    entry.body = "Nu har jag tänkt vidare, privat."
    entry.save()
    client.force_login(world["olle"])
    listing = client.get(_group_page(world)).content.decode()
    assert "När medarbetaren sa nej" in listing and "Maja Chef" in listing
    assert "<strong>obehaget</strong>" in listing and "tänkt vidare" not in listing
    day = timezone.localtime(copy.shared_at)
    assert f"delad {day.day} " in listing
    my_group = client.get(reverse("programme:my-group")).content.decode()
    assert "Delade anteckningar" in my_group and "(1)" in my_group
    # Olle cannot take Maja's copy back.
    withdraw = reverse("network:shared-entry-withdraw", args=[copy.pk])
    assert client.post(withdraw).status_code == 404
    assert SharedEntry.objects.count() == 1

    # She shares again: the group sees the entry as it is now; still one copy.
    response = _share(client, world, entry)
    assert "Gruppens kopia är ersatt med anteckningen som den ser ut nu." in (
        response.content.decode()
    )
    client.force_login(world["pia"])
    listing = client.get(_group_page(world)).content.decode()
    assert "Nu har jag tänkt vidare, privat." in listing and SECRET not in listing
    assert SharedEntry.objects.count() == 1


def test_nobody_outside_the_group_sees_the_copy(client, group_world):
    world = group_world
    entry = _entry(world)
    _share(client, world, entry)
    copy = SharedEntry.objects.get()
    for person in ("coach", "other_group_member", "no_group", "hr", "admin"):
        client.force_login(world[person])
        for url in (_group_page(world), _share_page(entry)):
            response = client.get(url)
            assert response.status_code == 404, (person, url)
            assert SECRET.encode() not in response.content
        withdraw = client.post(reverse("network:shared-entry-withdraw", args=[copy.pk]))
        assert withdraw.status_code == 404
        start = client.get("/", follow=True)
        assert SECRET.encode() not in start.content
    # The coach's view of shared journal entries is for entries shared with the coach only.
    client.force_login(world["coach"])
    assert SECRET.encode() not in client.get(reverse("reflections:shared-list")).content
    assert SharedEntry.objects.count() == 1


def test_taking_it_back_removes_it_for_everyone(client, group_world):
    world = group_world
    entry = _entry(world)
    _share(client, world, entry)
    copy = SharedEntry.objects.get()
    response = client.post(
        reverse("network:shared-entry-withdraw", args=[copy.pk]), {"next": "group"}, follow=True
    )
    text = response.content.decode()
    assert "Kopian är tillbakatagen. Gruppen ser den inte längre." in text
    assert "Ingen har delat en anteckning med gruppen ännu." in text
    assert not SharedEntry.objects.exists()
    client.force_login(world["olle"])
    assert "När medarbetaren sa nej" not in client.get(_group_page(world)).content.decode()
    # The entry itself is untouched, private in her journal.
    entry.refresh_from_db()
    assert entry.deleted_at is None and SECRET in entry.body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "", "body": "  "}, "Anteckningen är tom. Skriv något innan du delar den."),
        (
            {"body": "x" * 20001},
            "Anteckningen är för lång för att delas: högst 20000 tecken, den har 20001.",
        ),
    ],
)
def test_an_empty_or_too_long_entry_is_refused_in_swedish(client, group_world, fields, message):
    entry = _entry(group_world, **fields)
    response = _share(client, group_world, entry)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SharedEntry.objects.exists()


def test_a_group_one_has_left_or_never_was_in_is_refused(client, group_world):
    world = group_world
    entry = _entry(world)
    other_group = world["other_group_member"].network_groups.get()
    response = _share(client, world, entry, group=other_group)
    assert response.status_code == 400
    assert "Välj en av dina nätverksgrupper." in response.content.decode()

    world["group"].members.remove(world["asker"])
    response = _share(client, world, entry)
    assert response.status_code == 400
    assert "Du är inte längre med i den här nätverksgruppen, så inget delades." in (
        response.content.decode()
    )
    assert not SharedEntry.objects.exists()


def test_an_entry_in_the_trash_is_not_shared(group_world):
    world = group_world
    entry = _entry(world)
    journal_services.entry_trash(entry=entry)
    with pytest.raises(Exception) as refused:
        services.entry_share_with_group(entry=entry, group=world["group"], by=world["asker"])
    assert "Anteckningen ligger i papperskorgen" in str(refused.value)
    assert not SharedEntry.objects.exists()


def test_html_and_script_in_the_copy_are_escaped_or_cleaned(client, group_world):
    world = group_world
    entry = _entry(
        world,
        title="<script>alert('rubrik')</script> Min rubrik",
        body="<script>alert('text')</script>\n\n<img src=x onerror=alert(1)> *kursiv* "
        "[länk](javascript:alert(1))",
    )
    _share(client, world, entry)
    client.force_login(world["olle"])
    page = client.get(_group_page(world)).content.decode()
    assert "&lt;script&gt;alert(&#x27;rubrik&#x27;)&lt;/script&gt; Min rubrik" in page
    assert "alert('text')" not in page and "onerror" not in page
    assert 'href="javascript:' not in page and "<script>alert" not in page
    assert "<em>kursiv</em>" in page


def test_after_leaving_the_copy_stays_with_her_name_until_she_takes_it_back(client, group_world):
    world = group_world
    entry = _entry(world)
    _share(client, world, entry)
    world["group"].members.remove(world["asker"])
    client.force_login(world["olle"])
    listing = client.get(_group_page(world)).content.decode()
    assert "När medarbetaren sa nej" in listing and "Maja Chef" in listing
    # She no longer sees the group's page, but her entry's sharing page says where the copy
    # still is, and lets her take it back.
    client.force_login(world["asker"])
    assert client.get(_group_page(world)).status_code == 404
    page = client.get(_share_page(entry)).content.decode()
    assert "Du är inte längre med i den här gruppen, men dess medlemmar ser fortfarande" in page
    copy = SharedEntry.objects.get()
    client.post(reverse("network:shared-entry-withdraw", args=[copy.pk]))
    assert not SharedEntry.objects.exists()


def test_erasure_removes_the_name_and_deleting_the_entry_for_good_takes_the_copy_back(
    client, group_world
):
    world = group_world
    kept = _entry(world, title="Den som stannar")
    gone = _entry(world, title="Den som raderas")
    _share(client, world, kept)
    _share(client, world, gone)
    gone.delete()  # emptied from the trash: the copy goes with it
    assert list(SharedEntry.objects.values_list("title", flat=True)) == ["Den som stannar"]

    world["asker"].is_active = False
    world["asker"].save()
    person_erase(person=world["asker"])
    copy = SharedEntry.objects.get()
    assert copy.author is None and copy.entry is None
    client.force_login(world["olle"])
    listing = client.get(_group_page(world)).content.decode()
    assert "Den som stannar" in listing and "namn borttaget" in listing
    assert "Maja Chef" not in listing
