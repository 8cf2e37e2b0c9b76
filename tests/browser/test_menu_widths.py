"""The main menu at every width between a phone and a wide screen: it never makes the page
scroll sideways, and every link in it can be reached (open, or behind the menu button)
(Chromium, the demo's people, from the manager's six links to the administrator's eleven)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Both sides of Bootstrap's breakpoints: the menu button below 992 px, open from there.
WIDTHS = (390, 767, 768, 991, 992, 1100, 1199, 1200, 1280, 1400)


@pytest.mark.parametrize(
    "email",
    ["chef@demo.invalid", "ledartranare@demo.invalid", "hr@demo.invalid", "admin@demo.invalid"],
)
def test_the_menu_never_scrolls_sideways_and_each_link_can_be_reached(
    page, live_server, demo_data, log_in, email
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(email)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    names = menu.get_by_role("link").all_inner_texts()
    assert "Programmet" in names

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        button = menu.get_by_role("button", name="Visa eller dölj menyn")
        if width < 992:
            expect(button).to_be_visible()
            button.click()
        else:
            expect(button).to_be_hidden()
        last = menu.get_by_role("link", name="Programmet")
        expect(last).to_be_visible()
        box = last.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, width
