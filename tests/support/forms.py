"""Submitting a page's form as a browser would: what it sends is what the page holds (prefilled
values, checked boxes, selected options), with only what the user changes on top."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self.inside = True
                self.fields = []
                self.forms.append((attrs.get("action", ""), self.fields))
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "file", "image"):
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None


def form_fields(page: str, action: str | None = None) -> dict[str, list[str]]:
    """What the page's main POST form (the one with the most fields, or the one to `action`)
    sends as it stands: each field name with its values."""
    reader = _FormReader()
    reader.feed(page)
    forms = [fields for to, fields in reader.forms if action is None or to == action]
    assert forms, f"no POST form{f' to {action}' if action else ''} on the page"
    data: dict[str, list[str]] = {}
    for name, value in max(forms, key=len):
        data.setdefault(name, []).append(value)
    return data


def submit(client, page: str, url: str, *, action: str | None = None, **changes):
    """POST the page's form to `url` with the user's `changes` (a list for several values)."""
    data = form_fields(page, action)
    data.pop("csrfmiddlewaretoken", None)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)
