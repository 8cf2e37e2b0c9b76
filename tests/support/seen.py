"""What a sighted person meets on a page in Chromium, measured in the page with
getComputedStyle (tests/support/seen.js): images that show, text on buttons that can be read,
a focus indicator that stands out, and markup without the errors met before. The browser walk
(tests/browser/test_every_page_axe.py) runs these on every page, for every role.

Contrast follows WCAG 2.1: relative luminance of sRGB colours, (L1 + 0.05) / (L2 + 0.05);
4.5:1 for text (1.4.3), 3:1 for the focus indicator against what is next to it (1.4.11).
The background is what is painted behind: the element's own background colour and its
ancestors', from the white canvas up (a transparent background shows its parent's)."""

from pathlib import Path

from playwright.sync_api import Page

TEXT_CONTRAST = 4.5
INDICATOR_CONTRAST = 3.0

_CHECKS = (Path(__file__).with_name("seen.js")).read_text()


def _run(page: Page, check: str, *args):
    return page.evaluate(f"([check, args]) => ({_CHECKS})[check](...args)", [check, list(args)])


def unreadable_buttons(page: Page) -> list[str]:
    """Every shown button, and link styled as one, whose text is missing or below 4.5:1
    against its background; <details> are opened first, as a person looking would."""
    _run(page, "openDetails")
    return _run(page, "unreadableButtons", TEXT_CONTRAST)


def weak_focus_indicators(page: Page, *, most_tabs: int = 300) -> list[str]:
    """Tab through the page with the keyboard from the top, and measure the focus indicator
    of the first element of each kind (tag, type, Bootstrap class) that gets focus: below
    3:1 against the background next to it is a problem. <details> are opened first."""
    _run(page, "openDetails")
    _run(page, "reset")
    problems, kinds = [], set()
    for _ in range(most_tabs):
        page.keyboard.press("Tab")
        focused = _run(page, "focused")
        if focused is None:
            continue
        if focused["again"]:
            break
        if focused["kind"] in kinds:
            continue
        kinds.add(focused["kind"])
        if focused["ratio"] < INDICATOR_CONTRAST:
            problems.append(
                f"{focused['what']} ({focused['kind']}): focus {focused['indicator']} "
                f"{focused['ratio']:.2f}:1 against {focused['against']}"
            )
    assert kinds, f"{page.url}: Tab reached nothing"
    return problems


def broken_images(page: Page) -> list[str]:
    """Every <img> the browser could not draw (natural width 0)."""
    return _run(page, "brokenImages")


def markup_problems(page: Page) -> list[str]:
    """Repeated ids, empty name="", aria-label where it names nothing, heading levels that
    skip, data tables without header cells."""
    return _run(page, "markupProblems")
