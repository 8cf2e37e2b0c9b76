"""Every programme page as every kind of visitor: who gets in, who gets 403, 404 or login."""

import pytest
from django.urls import reverse

from programme.models import FocusArea, Keyword, Theme

# Actors: fixtures from tests/conftest.py, plus the other programme's coach from `world`.
ACTORS = ["anonymous", "manager", "other_manager", "coach", "other_coach", "hr_user", "admin_user"]


def _login(client, request, world, actor: str) -> None:
    if actor == "anonymous":
        return
    user = world["other_coach"] if actor == "other_coach" else request.getfixturevalue(actor)
    client.force_login(user)


def _urls(world):
    cohort, network_round = world["cohort"], world["round"]
    membership = cohort.memberships.first()
    programme, module = cohort.programme, world["module"]
    return {
        "overview": ("get", reverse("programme:overview")),
        "framework-item-update": (
            "get",
            reverse("programme:framework-item-update", args=["tema", "leda-andra"]),
        ),
        "programme-create": ("get", reverse("programme:programme-create")),
        "programme-update": (
            "get",
            reverse("programme:programme-update", args=[cohort.programme.pk]),
        ),
        "cohort-list": ("get", reverse("programme:cohort-list")),
        "cohort-create": ("get", reverse("programme:cohort-create")),
        "cohort-detail": ("get", reverse("programme:cohort-detail", args=[cohort.pk])),
        "cohort-update": ("get", reverse("programme:cohort-update", args=[cohort.pk])),
        "member-add": ("post", reverse("programme:member-add", args=[cohort.pk])),
        "member-end": (
            "post",
            reverse("programme:member-end", args=[cohort.pk, membership.pk]),
        ),
        "round-create": ("post", reverse("programme:round-create", args=[cohort.pk])),
        "round-detail": ("get", reverse("programme:round-detail", args=[network_round.pk])),
        "round-move": ("post", reverse("programme:round-move", args=[network_round.pk])),
        "round-publish": ("post", reverse("programme:round-publish", args=[network_round.pk])),
        "round-discard": ("post", reverse("programme:round-discard", args=[network_round.pk])),
        "my-group": ("get", reverse("programme:my-group")),
        "programme-detail": ("get", reverse("programme:programme-detail", args=[programme.pk])),
        "module-create": ("get", reverse("programme:module-create", args=[programme.pk])),
        "module-update": ("get", reverse("programme:module-update", args=[module.pk])),
        "link-add": ("post", reverse("programme:link-add", args=[module.pk])),
        "link-remove": ("post", reverse("programme:link-remove", args=[world["link"].pk])),
        "attachment-add": ("post", reverse("programme:attachment-add", args=[module.pk])),
        "attachment-download": (
            "get",
            reverse("programme:attachment-download", args=[world["attachment"].pk]),
        ),
        "attachment-remove": (
            "post",
            reverse("programme:attachment-remove", args=[world["attachment"].pk]),
        ),
    }


OK, FORBIDDEN, HIDDEN = "ok", 403, 404
# What each actor gets. "ok" is 200 for pages and a redirect back for POSTs.
EXPECTED = {
    "overview": dict.fromkeys(ACTORS[1:], OK),
    "framework-item-update": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": OK,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "programme-create": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": FORBIDDEN,
        "other_coach": FORBIDDEN,
        "hr_user": OK,
        "admin_user": OK,
    },
    "programme-update": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": FORBIDDEN,
        "hr_user": OK,
        "admin_user": OK,
    },
    "cohort-list": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": OK,
        "hr_user": OK,
        "admin_user": OK,
    },
    "cohort-create": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": OK,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "cohort-detail": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": OK,
        "admin_user": OK,
    },
    "cohort-update": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "member-add": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": 400,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": 400,
    },
    "member-end": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "round-create": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": 400,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": 400,
    },
    "round-detail": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": OK,
        "admin_user": OK,
    },
    "round-move": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "round-publish": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "round-discard": {
        "manager": HIDDEN,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "my-group": {
        "manager": OK,
        "other_manager": OK,
        "coach": FORBIDDEN,
        "other_coach": FORBIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": FORBIDDEN,
    },
}
PROGRAMME_EDITORS = {
    "manager": FORBIDDEN,
    "other_manager": FORBIDDEN,
    "coach": OK,
    "other_coach": FORBIDDEN,
    "hr_user": FORBIDDEN,
    "admin_user": OK,
}
EXPECTED |= {
    "programme-detail": dict.fromkeys(ACTORS[1:], OK),
    "attachment-download": dict.fromkeys(ACTORS[1:], OK),
    "module-create": PROGRAMME_EDITORS,
    "module-update": PROGRAMME_EDITORS,
    "link-add": PROGRAMME_EDITORS | {"coach": 400, "admin_user": 400},
    "link-remove": PROGRAMME_EDITORS,
    "attachment-add": PROGRAMME_EDITORS | {"coach": 400, "admin_user": 400},
    "attachment-remove": PROGRAMME_EDITORS,
}


@pytest.mark.parametrize("page", EXPECTED)
@pytest.mark.parametrize("actor", ACTORS)
def test_access(client, request, world, page, actor):
    method, url = _urls(world)[page]
    _login(client, request, world, actor)

    response = getattr(client, method)(url)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    expected = EXPECTED[page][actor]
    if expected == OK:
        assert response.status_code == (302 if method == "post" else 200), response.status_code
        if method == "post":
            assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def test_every_programme_url_is_in_the_matrix(world):
    from programme.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == set(EXPECTED) == set(_urls(world))


@pytest.mark.parametrize(
    "page",
    [
        "member-add",
        "member-end",
        "round-create",
        "round-move",
        "round-publish",
        "round-discard",
        "link-add",
        "link-remove",
        "attachment-add",
        "attachment-remove",
    ],
)
def test_changes_are_post_only(client, world, coach, page):
    client.force_login(coach)
    _, url = _urls(world)[page]

    assert client.get(url).status_code == 405


def test_unknown_framework_kind_is_404(client, coach):
    client.force_login(coach)

    assert client.get("/program/annat/modigt/andra/").status_code == 404


def test_seeded_framework_is_in_swedish(db):
    assert list(Theme.objects.values_list("name", flat=True)) == [
        "Leda sig själv",
        "Leda andra",
        "Leda utveckling i förändring",
    ]
    assert list(FocusArea.objects.values_list("name", flat=True)) == [
        "Ledarens uppdrag",
        "Ledarens utveckling och utmaningar",
        "Teamets utveckling och utmaningar",
    ]
    assert list(Keyword.objects.values_list("name", flat=True)) == [
        "Modigt",
        "Tydligt",
        "Engagerande",
    ]
