"""`{% memo key ... %}...{% endmemo %}`: a fragment of a template rendered once per process
for each combination of the keys (and of the language, URL configuration and script
prefix), then reused.

For fragments that are the same for everyone who gives the same keys: the navigation, for
the person's roles and the current page, whose two dozen links and translations were a good
part of every page's time. The keys must name everything in the fragment that can differ
between requests; nothing personal (a name, a CSRF token) belongs inside.
"""

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_VARIANTS = 500  # per fragment; more than the roles and pages can combine into


class MemoNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.rendered = {}  # lives with the compiled template (the cached loader keeps it)

    def render(self, context):
        key = (
            get_language(),
            get_urlconf(),
            get_script_prefix(),
            *(k.resolve(context) for k in self.keys),
        )
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) >= MAX_VARIANTS:
                self.rendered.clear()
            self.rendered[key] = html
        return mark_safe(html)  # noqa: S308  # nosec B308 B703 (rendered with autoescaping)


@register.tag
def memo(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)
