"""HR filters the participation dashboard and downloads a table, in Chromium."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_hr_filters_the_dashboard_and_downloads_an_export(
    page, live_server, demo_data, log_in, assert_accessible
):
    from accounts.models import Department
    from reports.models import ReportAccess

    forvaltning = (
        Department.objects.filter(kind=Department.Kind.FORVALTNING, units__members__isnull=False)
        .distinct()
        .first()
    )
    log_in("hr@demo.invalid")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Deltagande och resultat"
    ).click()
    expect(page.get_by_role("heading", name="Deltagande och resultat", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Förvaltning", exact=True).select_option(label=forvaltning.name)
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("table", name="Per enhet")).to_be_visible()
    assert f"forvaltning={forvaltning.pk}" in page.url
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel – Per enhet").click()
    download = download_info.value
    assert download.suggested_filename.startswith("ledarskap-enheter-")
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][0] == "Ledarskapsportalen – Per enhet"
    assert ["Förvaltning", forvaltning.name] in [r[:2] for r in rows]
    assert list(ReportAccess.objects.order_by("created_at").values_list("action", "report")) == [
        ("visning", "deltagande"),
        ("visning", "deltagande"),
        ("export", "enheter"),
    ]
