"""Signing in through the portal's real pages in Chromium, second step included."""


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Password, then for coaches, HR and administrators the code from their authenticator
    app (one is set up for them here if they have none)."""
    from accounts import mfa
    from accounts.models import User
    from tests.support.mfa import confirmed_app

    user = User.objects.get(email=email)
    device = confirmed_app(user) if mfa.required_for(user) else None
    page.goto(base_url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    if device is not None:
        give_second_step(page, device)


def give_second_step(page, device) -> None:
    from tests.support.mfa import code_for

    page.get_by_label("Kod").fill(code_for(device))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(lambda url: "/konto/tvastegs/" not in url)
