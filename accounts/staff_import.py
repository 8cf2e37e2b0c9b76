"""Reading the personnel list (CSV or XLSX, as Swedish Excel writes it) and comparing it
with the people in the portal. Nothing here writes; `services.staff_import_apply` does."""

import csv
import io
import zipfile
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from accounts.roles import Role

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX file is a zip of XML. What openpyxl unpacks and pads is bounded before it reads:
# the unpacked size (50,000 rows of six columns unpack to about 15 MB), each part's
# compression (spreadsheet XML packs about 10:1), and the sheet's declared size, which
# openpyxl would otherwise fill cell by cell (A1:XFD20000 is 300 million cells).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PACKING_RATIO = 100
MAX_COLUMNS = 50

# Column -> accepted header spellings (compared lower-case, trimmed).
COLUMNS = {
    "name": {"namn", "name", "fullständigt namn", "för- och efternamn"},
    "email": {"e-post", "epost", "e-postadress", "mejl", "mail", "email", "e-mail"},
    "forvaltning": {"förvaltning", "forvaltning"},
    "enhet": {"enhet", "avdelning", "unit"},
    "title": {"titel", "befattning", "title"},
    "is_manager": {"chef", "är chef", "manager", "is_manager"},
}
REQUIRED = ("name", "email", "forvaltning", "is_manager")
YES = {"ja", "j", "x", "1", "yes", "true", "sant"}
NO = {"nej", "n", "", "0", "no", "false", "falskt"}


def column_label(column: str) -> str:
    return {
        "name": _("Name"),
        "email": _("Email"),
        "forvaltning": pgettext("department", "Administration"),
        "enhet": _("Unit"),
        "title": _("Title"),
        "is_manager": _("Manager"),
    }[column]


class ImportFileError(ValidationError):
    """The file cannot be imported; `messages` says where and why, in the user's language."""


@dataclass(frozen=True)
class StaffRow:
    row: int  # as the spreadsheet numbers it: the header is row 1
    name: str
    email: str
    forvaltning: str
    enhet: str
    title: str
    is_manager: bool


@dataclass
class PersonChange:
    email: str
    name: str
    changes: list[str] = field(default_factory=list)


@dataclass
class RefusedRow:
    row: int
    email: str
    message: str


@dataclass
class StaffDiff:
    new: list[StaffRow]
    changed: list[PersonChange]
    unchanged: int
    missing: list[PersonChange]
    # Rows that match an account the staff list does not manage: applying changes nothing.
    refused: list[RefusedRow] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    def as_json(self) -> dict:
        return {
            "new": [asdict(r) for r in self.new],
            "changed": [asdict(c) for c in self.changed],
            "unchanged": self.unchanged,
            "missing": [asdict(c) for c in self.missing],
            "refused": [asdict(r) for r in self.refused],
        }

    @property
    def refused_emails(self) -> set[str]:
        return {refused.email for refused in self.refused}


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


def read_rows(*, data: bytes, filename: str, max_rows: int = MAX_ROWS) -> list[list[str]]:
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


def _map_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().lower().lstrip("\ufeff")
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in positions:
                positions[column] = index
    missing = [column_label(c) for c in REQUIRED if c not in positions]
    if missing:
        raise ImportFileError(
            _("Row 1 (the header) lacks the column(s): %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return positions


def parse(*, data: bytes, filename: str) -> list[StaffRow]:
    """Every row of the file, validated. Raises ImportFileError naming row, column and problem."""
    rows = read_rows(data=data, filename=filename)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    positions = _map_header(rows[0])
    errors: list[str] = []
    result: list[StaffRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells=cells) -> str:
            index = positions.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def problem(column: str, message: str, number=number) -> None:
            errors.append(
                _("Row %(row)d, column “%(column)s”: %(problem)s")
                % {"row": number, "column": column_label(column), "problem": message}
            )

        email = cell("email").lower()
        manager_value = cell("is_manager").lower()
        if not cell("name"):
            problem("name", _("the name is missing."))
        if not email:
            problem("email", _("the email address is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", _("“%(value)s” is not a valid email address.") % {"value": email})
            if email in seen:
                problem(
                    "email",
                    _("%(value)s is also on row %(other)d.")
                    % {"value": email, "other": seen[email]},
                )
            seen.setdefault(email, number)
        if not cell("forvaltning"):
            problem("forvaltning", _("the administration is missing."))
        if manager_value not in YES | NO:
            problem(
                "is_manager",
                _("“%(value)s” is not understood; write “ja” or “nej”.")
                % {"value": cell("is_manager")},
            )
        for column, limit in (("name", 200), ("forvaltning", 200), ("enhet", 200), ("title", 200)):
            if len(cell(column)) > limit:
                problem(column, _("longer than %(limit)d characters.") % {"limit": limit})
        result.append(
            StaffRow(
                row=number,
                name=cell("name"),
                email=email,
                forvaltning=cell("forvaltning"),
                enhet=cell("enhet"),
                title=cell("title"),
                is_manager=manager_value in YES,
            )
        )
    if errors:
        raise ImportFileError(errors)
    if not result:
        raise ImportFileError(_("The file has a header but no people."))
    return result


def _department_names(user: User) -> tuple[str, str]:
    if user.department is None:
        return "", ""
    if user.department.parent_id:
        return user.department.parent.name, user.department.name
    return user.department.name, ""


def is_managed(user: User) -> bool:
    """Whether the staff list may change the account: a manager or a person with no role.
    Administrators, staff, coaches, HR and anyone given a permission of their own are
    changed by an administrator on the administration site, never by an uploaded file."""
    return (
        not user.is_superuser
        and not user.is_staff
        and all(group.name == Role.CHEF for group in user.groups.all())
        and not user.user_permissions.all()
    )


def compare(rows: list[StaffRow]) -> StaffDiff:
    """What applying `rows` would change: new people, changed people, people not in the file,
    and rows refused because they match an account the staff list does not manage."""
    by_email = {
        user.email.lower(): user
        for user in User.objects.select_related("department__parent").prefetch_related(
            "groups", "user_permissions"
        )
    }
    new, changed, unchanged, refused = [], [], 0, []
    for row in rows:
        user = by_email.get(row.email)
        if user is None:
            new.append(row)
            continue
        if not is_managed(user):
            refused.append(
                RefusedRow(
                    row=row.row,
                    email=row.email,
                    message=_(
                        "Row %(row)d: %(email)s is the account of an administrator, a coach or "
                        "HR. The staff list does not change such accounts; an administrator "
                        "changes them on the administration site."
                    )
                    % {"row": row.row, "email": row.email},
                )
            )
            continue
        changes = []
        if user.full_name != row.name:
            changes.append(_("name: %(old)s → %(new)s") % {"old": user.full_name, "new": row.name})
        if user.title != row.title:
            changes.append(
                _("title: %(old)s → %(new)s") % {"old": user.title or "–", "new": row.title or "–"}
            )
        forvaltning, enhet = _department_names(user)
        if (forvaltning.lower(), enhet.lower()) != (row.forvaltning.lower(), row.enhet.lower()):
            old = " › ".join(filter(None, [forvaltning, enhet])) or "–"
            changes.append(
                _("department: %(old)s → %(new)s")
                % {"old": old, "new": " › ".join(filter(None, [row.forvaltning, row.enhet]))}
            )
        is_manager = any(group.name == Role.CHEF for group in user.groups.all())
        if is_manager != row.is_manager:
            changes.append(
                _("becomes a manager") if row.is_manager else _("is no longer a manager")
            )
        if not user.is_active:
            changes.append(_("is made active again"))
        if changes:
            changed.append(PersonChange(email=row.email, name=row.name, changes=changes))
        else:
            unchanged += 1
    in_file = {row.email for row in rows}
    missing = [
        PersonChange(email=user.email, name=user.full_name)
        for email, user in sorted(by_email.items(), key=lambda item: item[1].full_name)
        if email not in in_file
        and user.is_active
        and is_managed(user)
        and any(group.name == Role.CHEF for group in user.groups.all())
    ]
    return StaffDiff(
        new=new, changed=changed, unchanged=unchanged, missing=missing, refused=refused
    )
