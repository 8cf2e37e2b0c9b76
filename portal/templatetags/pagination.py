"""Page links for the shared pagination partial (templates/_partials/_pagination.html).

Built on Django's own {% querystring %} and Paginator.get_elided_page_range; what they
cannot do from a template is take the page parameter's name from a variable (a page with
two paginated lists needs two names) or call a method with arguments."""

from django import template
from django.core.paginator import Page
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The current query string (filters, search, other lists' pages) with `param` set to
    `number`; page 1 leaves the parameter out, so the first page has one address."""
    return querystring(context, **{param: None if number == 1 else number}) or "?"


@register.simple_tag
def elided_pages(page: Page) -> list:
    """The page numbers to link, with Paginator.ELLIPSIS where a run is left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
