"""Formatted text (Markdown) rendered to HTML that can carry no script."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

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


def render_formatted(text: str) -> SafeString:
    """Markdown to HTML, then cleaned by nh3: only the tags above, only http(s)/mailto links."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # nh3 has removed everything not in the allow-list above: this HTML is safe to show.
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703
