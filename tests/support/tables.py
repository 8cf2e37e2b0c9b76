"""Read an HTML table as a person does: its body's rows as the text of each cell, found by
words in its caption, and the links in it."""

from html.parser import HTMLParser


class _TableReader(HTMLParser):
    def __init__(self, caption_words: str) -> None:
        super().__init__(convert_charrefs=True)
        self.caption_words = caption_words
        self.depth = 0  # tables open, counting from the one we read
        self.caption = ""
        self.in_caption = self.in_body = self.found = self.done = False
        self.rows: list[list[str]] = []
        self.links: list[dict[str, str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "table":
            if self.depth:
                self.depth += 1
            else:
                self.depth, self.caption, self.rows, self.links = 1, "", [], []
        elif not self.depth:
            return
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []
        elif tag == "a" and self.in_body:
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if self.done or not self.depth:
            return
        if tag == "caption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.depth -= 1
            if not self.depth and self.caption_words in " ".join(self.caption.split()):
                self.done = True

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.cell is not None:
            self.cell.append(data)


def table(page: str, caption_words: str) -> tuple[list[list[str]], list[dict[str, str]]]:
    """(rows, links) of the first table whose caption holds `caption_words`; each row is the
    text of its cells, each link its attributes. AssertionError if there is no such table."""
    reader = _TableReader(caption_words)
    reader.feed(page)
    assert reader.done, f"no table captioned with {caption_words!r}"
    return reader.rows, reader.links
