import pytest
from django.urls import reverse

from accounts import mfa
from tests.factories import PASSWORD, UserFactory
from tests.support.mfa import code_for, confirmed_app

START_PAGES = {
    "manager": ("start-manager", "Min träning"),
    "coach": ("start-coach", "Mina träningsgrupper"),
    "hr_user": ("start-hr", "HR-översikt"),
    "admin_user": ("start-admin", "Aktiva användare per roll"),
}


def _log_in(client, email: str, password: str = PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, follow=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("actor", START_PAGES)
def test_each_role_lands_on_its_own_start_page(client, request, actor):
    user = request.getfixturevalue(actor)
    url_name, text = START_PAGES[actor]
    app = confirmed_app(user) if mfa.required_for(user) else None

    response = _log_in(client, user.email.upper())
    if app is not None:
        # Coaches, HR and administrators give the code from their app after the password.
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:mfa-verify"))
        response = client.post(
            response.redirect_chain[-1][0], {"otp_token": code_for(app)}, follow=True
        )

    assert response.redirect_chain[-1][0] == reverse(url_name)
    assert text in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", START_PAGES)
def test_start_pages_of_other_roles_are_forbidden(client, request, actor):
    client.force_login(request.getfixturevalue(actor))
    own = START_PAGES[actor][0]

    for url_name, _ in START_PAGES.values():
        response = client.get(reverse(url_name))
        if url_name == own:
            assert response.status_code == 200
        else:
            assert response.status_code == 403, url_name
            assert "Du har inte åtkomst till den här sidan" in response.content.decode()


@pytest.mark.django_db
def test_navigation_shows_only_the_users_own_role(client, manager):
    client.force_login(manager)

    page = client.get(reverse("start-manager")).content.decode()

    assert reverse("start-manager") in page
    assert reverse("start-coach") not in page
    assert reverse("start-hr") not in page
    assert reverse("admin:index") not in page


@pytest.mark.django_db
def test_wrong_password_gives_a_swedish_error_and_no_session(client, manager):
    response = _log_in(client, manager.email, "fel-lösenord-helt-klart")

    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_inactive_person_cannot_log_in(client):
    user = UserFactory(is_active=False)

    response = _log_in(client, user.email)

    assert "_auth_user_id" not in client.session
    assert "Fel e-postadress eller lösenord." in response.content.decode()


@pytest.mark.django_db
def test_person_without_a_role_is_told_so(client):
    user = UserFactory()

    response = _log_in(client, user.email)

    assert "Du har ingen roll i portalen ännu" in response.content.decode()


@pytest.mark.django_db
def test_login_changes_the_session_key(client, manager, settings):
    anonymous = client.session
    anonymous["language_hint"] = "sv"
    anonymous.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous.session_key

    _log_in(client, manager.email)

    assert client.session.session_key != anonymous.session_key
    assert client.session["_auth_user_id"] == str(manager.pk)
    assert client.session["language_hint"] == "sv"  # the same session, under a new key


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(client, manager):
    client.force_login(manager)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("start-manager"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_password_change_needs_the_old_password_and_a_strong_new_one(client, manager):
    client.force_login(manager)
    url = reverse("accounts:password-change")

    wrong_old = client.post(
        url,
        {"old_password": "inte-det-gamla", "new_password1": "x", "new_password2": "x"},
    ).content.decode()
    too_short = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "kort1", "new_password2": "kort1"},
    ).content.decode()

    assert "Ditt gamla lösenord var felaktigt ifyllt." in wrong_old
    assert "minst 12 tecken" in too_short
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)

    done = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Ett-nytt-starkt-lösen-9",
            "new_password2": "Ett-nytt-starkt-lösen-9",
        },
        follow=True,
    )
    assert "Ditt lösenord är bytt" in done.content.decode()
    manager.refresh_from_db()
    assert manager.check_password("Ett-nytt-starkt-lösen-9")


@pytest.mark.django_db
def test_login_does_not_redirect_to_another_host(client, manager):
    response = client.post(
        reverse("accounts:login") + "?next=https://elak.example/",
        {"username": manager.email, "password": PASSWORD, "next": "https://elak.example/"},
    )

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_hr_start_page_counts_managers_per_forvaltning_in_units_and_directly(
    client, hr_user, django_assert_max_num_queries
):
    from tests.factories import EnhetFactory, ManagerFactory

    unit = EnhetFactory(name="Hemtjänsten", parent__name="Vård- och omsorgsförvaltningen")
    ManagerFactory.create_batch(2, department=unit)
    ManagerFactory(department=unit.parent)
    client.force_login(hr_user)

    # Nothing kept yet: the page counts its figures (three dashboards, reports.start_figures).
    with django_assert_max_num_queries(40):
        page = client.get(reverse("start-hr")).content.decode()

    assert "Vård- och omsorgsförvaltningen" in page
    assert '<td class="text-end">3</td>' in page
