"""WCAG 1.4.10 and 2.1: the main pages reflow at 320 px without sideways scrolling, and the
main flow works with the keyboard alone, with a visible focus and no trap."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = {
    "chef@demo.invalid": [
        "/start/chef/",
        "/mina-traffar/",
        "/journal/",
        "/journal/ny/",
        "/journal/atagande/",
        "/paminnelser/",
        "/min-grupp/",
    ],
    "ledartranare@demo.invalid": ["/start/ledartranare/", "/traffar/", "/grupper/"],
    "hr@demo.invalid": ["/start/hr/", "/rapporter/", "/rapporter/sjukfranvaro/"],
}

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_pages_reflow_at_320_px_without_sideways_scrolling(page, live_server, demo_data, log_in):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/konto/logga-in/")
    assert page.evaluate(SIDEWAYS) <= 0, "the sign-in page"
    for email, paths in PAGES.items():
        page.context.clear_cookies()
        log_in(email)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.evaluate(SIDEWAYS) <= 0, path


FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {tag: el.tagName, text: (el.innerText || el.value || el.name || '').slice(0, 40),
          visible: outline || ring};
}"""


def test_sign_in_and_the_start_page_with_the_keyboard_alone(page, live_server, demo_data):
    from demo.management.commands.seed_demo import DEMO_PASSWORD

    page.goto(live_server.url + "/konto/logga-in/")
    email = page.get_by_label("E-postadress")
    for _ in range(30):  # from the top of the page, Tab until the email field has focus
        page.keyboard.press("Tab")
        if email.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the email field")
    page.keyboard.type("chef@demo.invalid")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")

    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_VISIBLE)
        if focused is None:
            break
        assert focused["visible"], f"no visible focus on {focused}"
        seen.append((focused["tag"], focused["text"]))
    # Every element took its turn and the focus moved on: no trap, and the walk covered
    # the menu and the page.
    assert len(seen) >= 8
    assert len(set(seen)) >= len(seen) - 2
    assert any("Min journal" in text for _tag, text in seen)
