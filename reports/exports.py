"""Tables as files: XLSX (openpyxl) and CSV the way Swedish Excel opens it (semicolon,
UTF-8 with a byte order mark, decimal comma), each with the filters written at the top."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.forms import Filters
from reports.selectors import HIDDEN_STAFF, is_hidden
from reports.tables import Table


def _heading_rows(table: Table, filters: Filters) -> list[list[str]]:
    rows = [[f"Ledarskapsportalen – {table.title}"]]
    rows += [[label, value] for label, value in filters.describe()]
    rows.append([])
    return rows


def _cell_for_file(value, kind: str):
    """Numbers stay numbers; a hidden figure is the words, never a number."""
    if kind == "mixed":
        kind, value = value
    if is_hidden(value):
        return _("10 employees or fewer") if value is HIDDEN_STAFF else _("fewer than 5")
    if value is None:
        return ""
    if kind == "rate":
        return round(value * 100, 1)
    return value


def _column_label(column) -> str:
    return f"{column.label} (%)" if column.kind == "rate" else column.label


def as_csv(table: Table, filters: Filters) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in _heading_rows(table, filters):
        writer.writerow(row)
    writer.writerow([_column_label(c) for c in table.columns])
    for cells in table.rows:
        values = []
        for column, value in zip(table.columns, cells, strict=True):
            value = _cell_for_file(value, column.kind)
            if isinstance(value, float):
                value = f"{value:.1f}".replace(".", ",")
            values.append(value)
        writer.writerow(values)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def as_xlsx(table: Table, filters: Filters) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    for row in _heading_rows(table, filters):
        sheet.append(row)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append([_column_label(c) for c in table.columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for cells in table.rows:
        sheet.append(
            [
                _cell_for_file(value, column.kind)
                for column, value in zip(table.columns, cells, strict=True)
            ]
        )
    for index, column in enumerate(table.columns, start=1):
        width = max(len(_column_label(column)), 12)
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = min(
            width + 2, 50
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WRITERS = {"csv": as_csv, "xlsx": as_xlsx}
