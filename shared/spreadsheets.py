"""Reading an uploaded CSV or XLSX file into rows of text, with the limits that keep a hostile
file from costing more than a moment: its size, its unpacked size, its declared sheet size and
the number of rows the caller reads. Nothing here knows what the columns mean."""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
        rows.append(["" if v is None else str(v).strip() for v in values])
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
