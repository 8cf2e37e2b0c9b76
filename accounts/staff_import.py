"""Reading the personnel list (CSV or XLSX, as Swedish Excel writes it, through the shared
`shared.spreadsheets`) and comparing it with the people in the portal. Nothing here writes;
`services.staff_import_apply` does."""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Department, User
from accounts.roles import Role
from shared.spreadsheets import ImportFileError, RowProblems, read_rows, template_file

MAX_ROWS = 20_000

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
    rows = read_rows(data=data, filename=filename, max_rows=MAX_ROWS)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    positions = _map_header(rows[0])
    problems = RowProblems()
    result: list[StaffRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells=cells) -> str:
            index = positions.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def problem(column: str, message: str, number=number) -> None:
            problems.add(number, column_label(column), message)

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
    if problems:
        raise ImportFileError(problems.messages())
    if not result:
        raise ImportFileError(_("The file has a header but no people."))
    return result


# The header row of the template file: the first spelling the importer knows of each column.
TEMPLATE_HEADER = ["Namn", "E-post", "Förvaltning", "Enhet", "Titel", "Chef"]


def example_place() -> list[str]:
    """[förvaltning, enhet] for a template file's example row: a unit of the portal where
    there is one, so the template imports as it is."""
    unit = (
        Department.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__name", "name")
        .first()
    )
    if unit is not None:
        return [unit.parent.name, unit.name]
    forvaltning = Department.objects.order_by("name").first()
    return [forvaltning.name if forvaltning else "Barn- och utbildningsförvaltningen", ""]


def template(fmt: str) -> bytes:
    """The template to fill in (XLSX or CSV): the header row and one example row, in a unit
    of the portal where there is one."""
    place = example_place()
    return template_file(
        fmt=fmt,
        title=_("Personnel list"),
        header=TEMPLATE_HEADER,
        example=["Anna Andersson", "anna.andersson@example.com", *place, "Rektor", "ja"],
        text_columns=(0, 1, 2, 3, 4, 5),
    )


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
