"""Every session page as anonymous, an uninvited manager, another programme's coach and HR."""

import pytest
from django.urls import reverse

ACTORS = ["anonymous", "manager", "other_manager", "coach", "other_coach", "hr_user", "admin_user"]
OK, FORBIDDEN, HIDDEN = "ok", 403, 404


def _urls(world):
    pk = world["session"].pk
    return {
        "schedule": ("get", reverse("training_sessions:schedule")),
        "session-create": ("get", reverse("training_sessions:session-create")),
        "series-create": ("get", reverse("training_sessions:series-create")),
        "session-detail": ("get", reverse("training_sessions:session-detail", args=[pk])),
        "session-update": ("get", reverse("training_sessions:session-update", args=[pk])),
        "session-cancel": ("post", reverse("training_sessions:session-cancel", args=[pk])),
        "attendance-save": ("post", reverse("training_sessions:attendance-save", args=[pk])),
        "excuse-report": ("post", reverse("training_sessions:excuse-report", args=[pk])),
        "excuse-withdraw": ("post", reverse("training_sessions:excuse-withdraw", args=[pk])),
        "my-sessions": ("get", reverse("training_sessions:my-sessions")),
        "checkin": ("get", reverse("training_sessions:checkin")),
        "cohort-attendance": (
            "get",
            reverse("training_sessions:cohort-attendance", args=[world["cohort"].pk]),
        ),
        "feed-settings": ("get", reverse("training_sessions:feed-settings")),
        "feed-regenerate": ("post", reverse("training_sessions:feed-regenerate")),
        "feed": ("get", reverse("training_sessions:feed", args=["okand-token"])),
        "makeup-sign-up": ("post", reverse("training_sessions:makeup-sign-up", args=[pk])),
        "checkin-link": (
            "get",
            reverse("training_sessions:checkin-link", args=[pk, world["session"].checkin_code]),
        ),
        "checkin-qr": ("get", reverse("training_sessions:checkin-qr", args=[pk])),
    }


EDITORS = {
    "manager": FORBIDDEN,  # invited: sees the page, may not change it
    "other_manager": HIDDEN,
    "coach": OK,
    "other_coach": HIDDEN,
    "hr_user": FORBIDDEN,
    "admin_user": OK,
}
EXPECTED = {
    "schedule": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": OK,
        "hr_user": OK,
        "admin_user": OK,
    },
    "session-create": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": OK,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "series-create": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": OK,
        "hr_user": FORBIDDEN,
        "admin_user": OK,
    },
    "session-detail": {
        "manager": OK,
        "other_manager": HIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": OK,
        "admin_user": OK,
    },
    "session-update": EDITORS,
    "session-cancel": EDITORS,
    "attendance-save": EDITORS,
    # Only the invited person's own förhinder; for everyone else the session does not exist.
    "excuse-report": {
        "manager": OK,
        "other_manager": HIDDEN,
        "coach": HIDDEN,
        "other_coach": HIDDEN,
        "hr_user": HIDDEN,
        "admin_user": HIDDEN,
    },
    "excuse-withdraw": {
        "manager": OK,
        "other_manager": HIDDEN,
        "coach": HIDDEN,
        "other_coach": HIDDEN,
        "hr_user": HIDDEN,
        "admin_user": HIDDEN,
    },
    # The code is the secret: any signed-in person may open the form; the service decides.
    "checkin": dict.fromkeys(ACTORS[1:], OK),
    "cohort-attendance": {
        "manager": FORBIDDEN,
        "other_manager": FORBIDDEN,
        "coach": OK,
        "other_coach": HIDDEN,
        "hr_user": OK,
        "admin_user": OK,
    },
    # Everyone has their own feed; the feed address itself is public and needs its token.
    "feed-settings": dict.fromkeys(ACTORS[1:], OK),
    "feed-regenerate": dict.fromkeys(ACTORS[1:], OK),
    "feed": dict.fromkeys(ACTORS[1:], HIDDEN),
    # Managers are sent back with a message (already invited, or not in the programme).
    "makeup-sign-up": {
        "manager": OK,
        "other_manager": OK,
        "coach": FORBIDDEN,
        "other_coach": FORBIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": FORBIDDEN,
    },
    "checkin-link": dict.fromkeys(ACTORS[1:], OK),
    "checkin-qr": EDITORS,
    "my-sessions": {
        "manager": OK,
        "other_manager": OK,
        "coach": FORBIDDEN,
        "other_coach": FORBIDDEN,
        "hr_user": FORBIDDEN,
        "admin_user": FORBIDDEN,
    },
}


@pytest.mark.parametrize("page", EXPECTED)
@pytest.mark.parametrize("actor", ACTORS)
def test_access(client, request, schedule_world, page, actor):
    method, url = _urls(schedule_world)[page]
    if actor != "anonymous":
        user = (
            schedule_world["other_coach"]
            if actor == "other_coach"
            else request.getfixturevalue(actor)
        )
        client.force_login(user)

    response = getattr(client, method)(url)

    if actor == "anonymous" and page == "feed":
        assert response.status_code == 404  # public, and the token is unknown
        return
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    expected = EXPECTED[page][actor]
    if expected == OK:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == expected


def test_every_session_url_is_in_the_matrix(schedule_world):
    from sessions.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(EXPECTED) == set(_urls(schedule_world))


@pytest.mark.parametrize(
    "page", ["session-cancel", "attendance-save", "excuse-report", "excuse-withdraw"]
)
def test_changes_are_post_only(client, schedule_world, coach, manager, page):
    client.force_login(manager if page.startswith("excuse") else coach)
    _, url = _urls(schedule_world)[page]

    assert client.get(url).status_code == 405


def test_an_uninvited_manager_does_not_see_the_session_in_any_list(
    client, schedule_world, other_manager
):
    client.force_login(other_manager)

    page = client.get(reverse("training_sessions:my-sessions")).content.decode()

    assert "Leda sig själv, del 1" not in page
    assert "Annan träff" in page
