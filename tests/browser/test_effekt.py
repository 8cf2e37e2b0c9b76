"""HR opens the Effekt view from the menu, chooses terms and an administration, downloads
the figures, and reads it on a phone, in Chromium."""

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_hr_reads_the_effekt_view_and_downloads_it(
    page, live_server, demo_data, log_in, assert_accessible
):
    from reports.models import ReportAccess

    year = timezone.localdate().year
    log_in("hr@demo.invalid")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Effekt", exact=True
    ).click()
    expect(
        page.get_by_role("heading", name="Effekt: deltagande, nytta, ledord och sjukfrånvaro")
    ).to_be_visible()
    expect(page.get_by_text("Det visar inte att utbildningen orsakar")).to_be_visible()
    expect(page.get_by_role("heading", name="Kommunen", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Ledord: modigt: Ledord: modigt: högst i")).to_be_visible()
    # Last year's benefit survey for the whole municipality, in the month it closed.
    expect(page.get_by_role("img", name="Nyttoenkät: Nyttoenkät: högst i")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Siffror per").select_option(label="Termin")
    page.get_by_label("Förvaltning", exact=True).select_option(
        label="Barn- och utbildningsförvaltningen"
    )
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(
        page.get_by_role("heading", name="Barn- och utbildningsförvaltningen", exact=True)
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Barn- och utbildningsförvaltningen per termin")
    ).to_contain_text(f"Höstterminen {year}")
    assert "period=term" in page.url
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV – Effekt").click()
    download = download_info.value
    assert download.suggested_filename.startswith("ledarskap-effekt-")
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Ledarskapsportalen – Effekt, per termin"]
    assert ["Förvaltning", "Barn- och utbildningsförvaltningen"] in rows
    header = next(row for row in rows if row[:2] == ["Förvaltning", "Termin"])
    survey_at = header.index("Nyttoenkät (1–5)")
    municipality = [row for row in rows if row[:1] == ["Kommunen"]]
    assert [row for row in municipality if row[survey_at][:1].isdigit()]
    assert {row[0] for row in rows if len(row) > 2} >= {
        "Förvaltning",
        "Kommunen",
        "Barn- och utbildningsförvaltningen",
    }
    assert list(ReportAccess.objects.order_by("pk").values_list("action", "report")) == [
        ("visning", "effekt"),
        ("visning", "effekt"),
        ("export", "effekt"),
    ]

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("button", name="Visa", exact=True)).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0
    assert_accessible(page)
