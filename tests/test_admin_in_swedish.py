"""The admin speaks Swedish: its index, every list, every change page, the roles and the
permissions, third-party apps (django-axes, django-otp) included.

What an administrator reads is taken from the page as a person sees it (text and the
attributes a screen reader speaks, not scripts or styles) and checked against English words
the admin showed before: app names ("AXES", "OTP_STATIC"), model names ("Access attempts",
"Static devices"), field labels ("User Agent", "Invited at"), Django's permission names
("Can add …", "Can run programmes…") and roles by their technical names ("ledartranare")."""

import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.support.mfa import confirmed_app

pytestmark = pytest.mark.django_db

# English an administrator met in the admin, as whole words or phrases (case matters:
# "Path" is English, "sökväg" is not). Words Swedish shares are not listed ("Status",
# "Filter", "HR", "Session" for a sign-in).
ENGLISH = [
    "Axes",
    "AXES",
    "Otp",
    "OTP_STATIC",
    "OTP_TOTP",
    "Django OTP",
    "Access attempts?",
    "Access failures?",
    "Access logs?",
    "Access Attempt",
    "TOTP devices?",
    "Static devices?",
    "Static tokens?",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Can run",
    "Can keep",
    "Can see",
    "Can import",
    "Groups",
    "Users",
    "User Agent",
    "IP Address",
    "Username",
    "HTTP Accept",
    "Attempt Time",
    "Attempt Remaining",
    "Failed Logins",
    "Logout Time",
    "Locked Out",
    "Form Data",
    "Meta Data",
    "Expiration",
    "Expires At",
    "Path",
    "Identity",
    "Timestamps",
    "Throttling",
    "Configuration",
    "Confirmed",
    "Created at",
    "Last used at",
    "Invited at",
    "Attendance marked",
    "Attendance",
    "Invitations?",
    "Training sessions?",
    "User",
    "Name",
    "Yes",
    "No",
    "Select",
    "Search",
    "Save",
    "Delete",
    "History",
    "Home",
    "Add",
    "Change",
    "View",
]
ENGLISH_PATTERN = re.compile(r"\b(?:" + "|".join(ENGLISH) + r")\b")
# Roles by their technical names, as option or cell texts.
RAW_ROLE_NAMES = set(Role.values)
# Not `alt`: Django's own icons carry English alt texts in every language ("Search" beside
# the search field, "True" and "False" in the lists), which only copies of its templates
# could change.
SPOKEN_ATTRIBUTES = {"title", "aria-label", "placeholder"}


class _VisibleText(HTMLParser):
    """The page's text as read: text nodes outside scripts and styles, spoken attributes,
    and the texts of buttons made of inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        attributes = dict(attrs)
        for name in SPOKEN_ATTRIBUTES & set(attributes):
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.parts


def english_in(html: str) -> list[str]:
    found = []
    for text in visible_texts(html):
        found += ENGLISH_PATTERN.findall(text)
        if text in RAW_ROLE_NAMES:
            found.append(text)
    return sorted(set(found))


@pytest.fixture
def full_admin(world):
    """The world, with a row in the lists it leaves empty: sign-in attempts and logs, a
    role, a two-step app."""
    common = {"http_accept": "text/html", "path_info": "/konto/logga-in/"}
    AccessAttempt.objects.create(
        username="okand@kungsor.test",
        ip_address="10.0.0.9",
        user_agent="Firefox",
        get_data="",
        post_data="username=okand@kungsor.test",
        failures_since_start=2,
        **common,
    )
    AccessFailureLog.objects.create(
        username="okand@kungsor.test", ip_address="10.0.0.9", user_agent="Firefox", **common
    )
    AccessLog.objects.create(
        username=world["people"]["coach_a"].email,
        ip_address="10.0.0.8",
        user_agent="Firefox",
        **common,
    )
    confirmed_app(world["people"]["coach_a"])
    return world


def _pages_of(model):
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    yield reverse(f"{base}_changelist")
    model_admin = admin.site.get_model_admin(model)
    first = model_admin.get_queryset(_AdminRequest.get()).first()
    if first is not None:
        yield reverse(f"{base}_change", args=[first.pk])
    if model_admin.has_add_permission(_AdminRequest.get()):
        yield reverse(f"{base}_add")


class _AdminRequest:
    user = None

    @classmethod
    def get(cls):
        from django.test import RequestFactory

        request = RequestFactory().get("/admin/")
        request.user = cls.user
        return request


REGISTERED = [model for model in apps.get_models() if admin.site.is_registered(model)]


def test_the_admin_index_names_every_app_and_model_in_swedish(client, full_admin):
    client.force_login(full_admin["people"]["admin"])

    page = client.get(reverse("admin:index")).content.decode()

    assert english_in(page) == []
    texts = visible_texts(page)
    for label in (
        "Inloggningsskydd",
        "Inloggningsförsök",
        "Misslyckade inloggningar",
        "Inloggningslogg",
        "Konton och organisation",
        "Grupper",
        "Träffar",
        "Inbjudningar",
    ):
        assert label in texts, label


def test_every_list_and_change_page_is_in_swedish(client, full_admin):
    administrator = full_admin["people"]["admin"]
    _AdminRequest.user = administrator
    client.force_login(administrator)
    found = {}
    tried = 0

    for model in REGISTERED:
        for url in _pages_of(model):
            response = client.get(url)
            assert response.status_code == 200, url
            tried += 1
            english = english_in(response.content.decode())
            if english:
                found[url] = english

    assert found == {}
    assert tried >= 2 * len(REGISTERED)


def test_the_two_step_devices_are_reset_from_the_people_not_edited_in_english(client, world):
    """django-otp's own pages (English, secrets hidden) are gone; an administrator resets a
    person's two-step verification from the list of people, and it is logged."""
    coach = world["people"]["coach_a"]
    confirmed_app(coach)
    assert TOTPDevice.objects.filter(user=coach).exists()
    administrator = world["people"]["admin"]
    client.force_login(administrator)
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)

    page = client.get(reverse("admin:accounts_user_change", args=[coach.pk])).content.decode()
    assert "En autentiseringsapp är inställd." in visible_texts(page)
    changelist = reverse("admin:accounts_user_changelist")
    assert "Återställ tvåstegsverifieringen (borttappad telefon)" in visible_texts(
        client.get(changelist).content.decode()
    )

    response = client.post(
        changelist,
        {"action": "reset_two_step", "_selected_action": [coach.pk], "index": 0},
        follow=True,
    )

    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert not StaticDevice.objects.filter(user=coach).exists()
    assert "1 person ställer in en autentiseringsapp igen vid nästa inloggning." in visible_texts(
        response.content.decode()
    )
    entry = LogEntry.objects.get(object_id=str(coach.pk))
    assert entry.user == administrator
    page = client.get(reverse("admin:accounts_user_change", args=[coach.pk])).content.decode()
    assert "Ingen autentiseringsapp." in visible_texts(page)


def _option_texts(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])]


def test_roles_read_as_their_swedish_names(client, world):
    client.force_login(world["people"]["admin"])
    coach = world["people"]["coach_a"]

    user_page = client.get(reverse("admin:accounts_user_change", args=[coach.pk])).content
    roles = _option_texts(user_page.decode(), "groups")
    assert {"Chef", "Ledartränare", "HR"} <= set(roles)
    assert not RAW_ROLE_NAMES & set(roles)

    people = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Ledartränare" in visible_texts(people)  # the filter and the coach's row
    coaches_only = client.get(reverse("admin:accounts_user_changelist"), {"role": "ledartranare"})
    assert coaches_only.context["cl"].result_count == 2  # side A's and side B's coach

    groups = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert {"Chef", "Ledartränare", "HR"} <= set(visible_texts(groups))
    group = Group.objects.get(name=Role.LEDARTRANARE)
    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "Ledartränare" in visible_texts(page)
    # The portal finds the role by its technical name: it cannot be renamed or deleted here.
    assert 'name="name"' not in page
    delete = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Group.objects.filter(name=Role.LEDARTRANARE).exists()


def test_permissions_read_in_swedish(client, world):
    client.force_login(world["people"]["admin"])
    group = Group.objects.get(name=Role.LEDARTRANARE)

    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()

    permissions = _option_texts(page, "permissions")
    coach = "Konton och organisation | Användare | Kan leda program, träningsgrupper och träffar"
    assert coach in permissions
    assert "Konton och organisation | Avdelning | Kan se avdelning" in permissions
    assert "Inloggningsskydd | Inloggningsförsök | Kan ta bort inloggningsförsök" in permissions
    assert not [text for text in permissions if ENGLISH_PATTERN.search(text)]


class _Labels(HTMLParser):
    """The texts that name things on an admin page, not the data: labels, captions,
    headings, the lists' column headers and, on the index, the models' names."""

    NAMING = {"label", "caption", "h1", "h2", "h3"}

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self._open: list[tuple[str, bool]] = []
        self._thead = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "thead":
            self._thead += 1
        naming = tag in self.NAMING or (
            tag == "th" and (self._thead or attributes.get("scope") == "row")
        )
        if naming:
            self._open.append((tag, True))
            self._text = []

    def handle_endtag(self, tag) -> None:
        if tag == "thead" and self._thead:
            self._thead -= 1
        if self._open and self._open[-1][0] == tag:
            self._open.pop()
            text = " ".join(" ".join(self._text).split()).rstrip(":")
            text = re.sub(r"^\d+ ", "", text)  # a sorted column's priority
            if text:
                self.labels.append(text)
            self._text = []

    def handle_data(self, data) -> None:
        if self._open:
            self._text.append(data)


def labels_of(html: str) -> set[str]:
    parser = _Labels()
    parser.feed(html)
    return set(parser.labels)


# Names that are the same in both languages, and what the data puts in a heading (the
# site's name, a person's or a group's in a change page's subtitle).
SAME_IN_BOTH = {
    "Administration",
    "Filter",
    "Förhinder",
    "HR",
    "HTML",  # an email's parts
    "ID",
    "Ledarskapsportalen",
    "Person",
    "Status",
    "Text",
    "Version",
}


def test_every_admin_label_is_translated(client, full_admin):
    """A label that reads the same in English as in Swedish was never translated."""
    administrator = full_admin["people"]["admin"]
    _AdminRequest.user = administrator
    client.force_login(administrator)
    untranslated = {}

    for url in [reverse("admin:index")] + [u for m in REGISTERED for u in _pages_of(m)]:
        response = client.get(url)
        swedish = labels_of(response.content.decode())
        client.cookies["django_language"] = "en"
        english = labels_of(client.get(url).content.decode())
        del client.cookies["django_language"]
        # A change page's subtitle is the object's name, in any language.
        data = {str((response.context or {}).get("subtitle") or "")}
        same = {t for t in swedish & english - SAME_IN_BOTH - data if not _is_data(t)}
        if same:
            untranslated[url] = sorted(same)

    assert untranslated == {}


def _is_data(text: str) -> bool:
    from accounts.models import User
    from programme.models import Cohort

    return (
        "@" in text
        or User.objects.filter(full_name=text).exists()
        or Cohort.objects.filter(name=text).exists()
    )
