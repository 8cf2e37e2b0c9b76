"""Formatted text (Markdown) reaches the page as clean HTML: no control character, no lost
code or link, whatever mix of emphasis, inline HTML, code and links the coach writes."""

import re

import pytest
from django.urls import reverse

from programme.models import Module
from programme.text import render_formatted

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# (what the coach writes, what the page must show)
MIXES = [
    # Emphasis before inline HTML, code or a link cut a placeholder apart.
    ("Var *modig**tydlig*<b>nu</b> här", "nu här"),
    ("Var *modig**tydlig*`kod` här", "<code>kod</code>"),
    ("Se *a**b*[kommunen](https://kungsor.se/) nu", '<a href="https://kungsor.se/"'),
    ("*a**b*<https://kungsor.se/>", '<a href="https://kungsor.se/"'),
    ("<span>Inline</span> och `kod` och [länk](https://kungsor.se/)", "<code>kod</code>"),
    # Character references and pasted characters that are not text.
    ("<p>Ett &#2; två &#x03; tre</p>", "tre"),
    ("Ett\x02två\x03tre\x0bfyra", "tre"),
]


@pytest.mark.parametrize(("text", "shown"), MIXES)
def test_formatted_text_has_no_control_character_and_keeps_its_parts(text, shown):
    html = str(render_formatted(text))

    assert CONTROL.findall(html) == []
    assert "klzzwxh" not in html
    assert shown in html


def test_module_material_reaches_the_page_without_control_characters(client, world, manager):
    module = world["module"]
    Module.objects.filter(pk=module.pk).update(
        theory="Var *modig**tydlig*`provtänka` och <em>provgöra</em>.",
        practice="Läs *a**b*[om ledord](https://kungsor.se/ledord) &#2; i dag.",
    )
    client.force_login(manager)

    page = client.get(
        reverse("programme:programme-detail", args=[module.programme_id])
    ).content.decode()

    assert CONTROL.findall(page) == []
    assert "klzzwxh" not in page
    assert "<code>provtänka</code>" in page
    assert "<em>provgöra</em>" in page
    assert '<a href="https://kungsor.se/ledord" rel="noopener noreferrer">om ledord</a>' in page
