"""Reading an uploaded CSV or XLSX file into rows of text, with the limits that keep a hostile
file from costing more than a moment: its size, its unpacked size, its declared sheet size and
the number of rows the caller reads. Nothing here knows what the columns mean."""

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip of XML. What openpyxl unpacks and pads is bounded before it reads:
# the unpacked size (50,000 rows of six columns unpack to about 15 MB), each part's
# compression (spreadsheet XML packs about 10:1), and the sheet's declared size, which
# openpyxl would otherwise fill cell by cell (A1:XFD20000 is 300 million cells).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PACKING_RATIO = 100
MAX_COLUMNS = 50


class ImportFileError(ValidationError):
    """The file cannot be imported; `messages` says where and why, in the user's language."""


def row_numbers(rows: Sequence[int]) -> str:
    """Row numbers as a person reads them: 2–19, 23, 25–26."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


class RowProblems:
    """The problems of a file's rows, each told once: the same problem in the same column on
    many rows is one message naming the rows, not one message per row."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], list[int]] = {}

    def add(self, row: int, column: str, problem: str) -> None:
        self._rows.setdefault((column, problem), []).append(row)

    def __bool__(self) -> bool:
        return bool(self._rows)

    def messages(self) -> list[str]:
        return [
            ngettext(
                "Row %(rows)s, column “%(column)s”: %(problem)s",
                "Rows %(rows)s, column “%(column)s”: %(problem)s",
                len(rows),
            )
            % {"rows": row_numbers(rows), "column": column, "problem": problem}
            for (column, problem), rows in sorted(self._rows.items(), key=lambda i: min(i[1]))
        ]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV (semikolonavgränsad)" on Swedish Windows writes Windows-1252.
        return data.decode("cp1252", errors="strict")


class _Semicolon(csv.excel):
    delimiter = ";"


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = _decode(data)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file's characters could not be read. Save it as CSV (UTF-8) or as XLSX.")
        ) from error
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon if sample.count(";") >= sample.count(",") else csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _check_xlsx_size(data: bytes) -> None:
    """Refuse a zip that unpacks to too much, before anything unpacks it. Zip readers stop
    at each part's declared size, so the declared sizes bound the work."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as error:
        raise ImportFileError(
            _("The Excel file could not be read. Is it a real .xlsx file?")
        ) from error
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The Excel file unpacks to more than %(size)d MB. Save the list as CSV, or "
                "copy it to a new Excel file."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    if any(
        part.file_size > 1024 * 1024
        and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1)
        for part in parts
    ):
        # No spreadsheet packs like this; a zip bomb does.
        raise ImportFileError(_("The Excel file could not be read. Is it a real .xlsx file?"))


def _cell_text(value) -> str:
    """A cell as text, the way the spreadsheet shows it: 15450, not 15450.0, and 0.3, not
    0.30000000000000004 (a spreadsheet keeps numbers as floats and shows 15 significant
    digits); a date as 2027-01-01."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    return str(value).strip()


def _too_big(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet is larger than %(rows)d rows or %(columns)d columns, counting empty "
            "cells that were once formatted. Copy the list to a new Excel file, or save it "
            "as CSV."
        )
        % {"rows": max_rows, "columns": MAX_COLUMNS}
    )


def _xlsx_rows(data: bytes, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_xlsx_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(
            _("The Excel file could not be read. Is it a real .xlsx file?")
        ) from error
    sheet = workbook.worksheets[0]
    # The sheet's declared size (its <dimension>), read without reading the cells.
    if (sheet.max_row or 0) > max_rows + 1 or (sheet.max_column or 0) > MAX_COLUMNS:
        workbook.close()
        raise _too_big(max_rows)
    rows = []
    # A row may still hold a cell far to the right of what the sheet declares (or the sheet
    # declares nothing): cells past MAX_COLUMNS are not read, so nothing pads up to them.
    for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=max_rows + 2):
        rows.append([_cell_text(v) for v in values])
        if len(rows) > max_rows + 1:
            break
    workbook.close()
    return rows


def read_rows(*, data: bytes, filename: str, max_rows: int) -> list[list[str]]:
    """The file's rows as text, reading at most `max_rows` rows after the header (and one
    more, so the caller can tell the file is too long)."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    is_xlsx = filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    if is_xlsx:
        return _xlsx_rows(data, max_rows)
    if filename.lower().endswith((".csv", ".txt")):
        return _csv_rows(data)
    raise ImportFileError(_("Upload the list as a CSV or XLSX file."))


# Text a spreadsheet could take for the start of a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEMPLATE_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _template_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def template_file(
    *, fmt: str, title: str, header: list[str], example: list, text_columns: Sequence[int] = ()
) -> bytes:
    """A file to fill in for an import: the header row the importer expects and one example
    row. XLSX holds values only (never a formula); the columns in `text_columns` are
    formatted as text, so a month typed there stays what was typed. CSV is as Swedish Excel
    writes it: UTF-8 with a byte order mark, semicolons, decimal comma."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerow(
            [
                str(value).replace(".", ",")
                if isinstance(value, int | float | Decimal)
                else _template_text(str(value))
                for value in example
            ]
        )
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(fmt)
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([_template_text(text) for text in header])
    sheet.append(
        [
            value if isinstance(value, int | float | Decimal) else _template_text(str(value))
            for value in example
        ]
    )
    for index, text in enumerate(header, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(
            12, len(text) + 4, len(str(example[index - 1])) + 4
        )
        if index - 1 in text_columns:
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
