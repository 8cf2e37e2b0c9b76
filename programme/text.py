"""Formatted text (Markdown) rendered to HTML that can carry no script."""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

# CommonMark, with inline HTML passed on to nh3. markdown-it parses to tokens and renders
# them once. (Python-Markdown hid inline HTML, code and links behind \x02…\x03 placeholders
# in the text, and its emphasis rules could cut one apart, e.g. `*a**b*` before a code span:
# the rest of the placeholder reached the page, control characters and all, and the code
# was lost.)
MARKDOWN = MarkdownIt("commonmark")
# Every link becomes an <a>, and nh3 alone decides which addresses it keeps (http, https,
# mailto): a link to a refused scheme shows its text without an address, as before.
MARKDOWN.validateLink = lambda url: True

# C0 and C1 control characters other than tab and line breaks: never text a person wrote
# (a paste from another program, or a character reference such as &#2; that nh3 decodes).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def render_formatted(text: str) -> SafeString:
    """Markdown to HTML, then cleaned by nh3: only the tags above, only http(s)/mailto links."""
    html = MARKDOWN.render(CONTROL_CHARACTERS.sub("", text or ""))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # nh3 has removed everything not in the allow-list above, and removing characters that
    # are neither < nor > nor & cannot make markup: this HTML is safe to show.
    return mark_safe(CONTROL_CHARACTERS.sub("", cleaned))  # noqa: S308  # nosec B308 B703
