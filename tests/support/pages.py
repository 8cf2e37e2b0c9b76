"""Reading a page as a user would: the links it offers, followed as a browser would."""

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit


def link(page: str, text: str) -> str:
    """The address of the (first) link whose content is `text`."""
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(text)}</a>', page)
    assert found, f"no link {text!r} on the page"
    return unescape(found.group(1))


def query(url: str) -> dict:
    """A link's query parameters, each with its values."""
    return parse_qs(urlsplit(url).query)


def follow(client, url: str, base: str = ""):
    """A GET of a link as the page at `base` gives it (page links are relative: "?page=2")."""
    parts = urlsplit(urljoin(base, url))
    return client.get(parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()})


def page_links(page: str) -> str:
    """The page navigation (the shared pagination partial), or "" when there is none."""
    found = re.search(r'<nav aria-label="[^"]*" class="d-flex[^"]*">.*?</nav>', page, re.S)
    return found.group(0) if found else ""
