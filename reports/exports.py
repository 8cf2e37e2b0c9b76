"""Tables as files: XLSX (openpyxl) and CSV the way Swedish Excel opens it (semicolon,
UTF-8 with a byte order mark, decimal comma), each with the filters written at the top.

Every cell of every file goes through `_file_rows`: numbers stay numbers, and text that a
spreadsheet would read as a formula is neutralised there (OWASP's advice on CSV injection:
a single quote in front of a cell that begins with =, +, -, @, tab or carriage return).
Names come from coaches, administrators and staff lists (programmes, training groups,
departments, people, e-mail addresses), so a name like `=HYPERLINK(...)` must reach HR's
spreadsheet as the text it is, never as a live formula.
"""

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.forms import Filters
from reports.rounding import one_decimal, percent
from reports.selectors import is_hidden
from reports.tables import Table, hidden_text

# What a spreadsheet may take for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (XML 1.0): openpyxl refuses them, and one in
# a name would make every export that shows the name fail. Tab, line feed and carriage
# return are allowed.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """Text as a spreadsheet shows it and never evaluates: a leading ' before a formula
    start, control characters no file can hold left out."""
    text = _UNWRITABLE.sub("", text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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
        return hidden_text(value)
    if value is None:
        return ""
    if kind == "rate":
        # The page's rounding (reports.rounding), kept a number: a Decimal of one decimal.
        return percent(value)
    if kind == "average":
        return one_decimal(value)
    return value


def _column_label(column) -> str:
    return f"{column.label} (%)" if column.kind == "rate" else column.label


def _file_cell(value):
    """The one way a value enters a file: numbers as they are, everything else safe text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return safe_text(str(value))


def _file_rows(table: Table, filters: Filters) -> Iterator[list]:
    """Every row of the file, in order: the title and filters, a blank line, the column
    headings, then the table's rows."""
    rows = [
        *_heading_rows(table, filters),
        [_column_label(c) for c in table.columns],
        *(
            [
                _cell_for_file(value, column.kind)
                for column, value in zip(table.columns, cells, strict=True)
            ]
            for cells in table.rows
        ),
    ]
    for row in rows:
        yield [_file_cell(value) for value in row]


def _csv_number(value):
    """A percentage (a Decimal, already rounded) with the decimal comma Swedish Excel reads
    as a number; anything else as it is."""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return value


def as_csv(table: Table, filters: Filters) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in _file_rows(table, filters):
        writer.writerow([_csv_number(value) for value in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def as_xlsx(table: Table, filters: Filters) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    for number, row in enumerate(_file_rows(table, filters), start=1):
        sheet.append(row)
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                # Text, never a formula, whatever it begins with.
                sheet.cell(row=number, column=column).data_type = "s"
            elif isinstance(value, Decimal):
                # A percentage: shown with its one decimal, as on the page (100,0; 8,4).
                sheet.cell(row=number, column=column).number_format = "0.0"
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = len(_heading_rows(table, filters)) + 1
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        width = max(len(_column_label(column)), 12)
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = min(
            width + 2, 50
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Part of the key a written file is kept under (reports.cache): a change to how files are
# written (2: formula-like text neutralised; 3: percentages rounded half up, as on the
# page) is not served from files kept before it.
FILE_VERSION = "3"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WRITERS = {"csv": as_csv, "xlsx": as_xlsx}
