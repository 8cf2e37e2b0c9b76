"""Adding many managers to a training group at once: who can be found, and the write path
(all or none)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.roles import Role
from programme.models import Cohort, CohortMembership
from programme.services import members_changed

# At most this many people in one addition: a whole förvaltning, not the municipality.
MAX_AT_ONCE = 500


def managers() -> QuerySet[User]:
    """Everyone who can be a member of a training group."""
    return User.objects.filter(is_active=True, is_superuser=False, groups__name=Role.CHEF)


def member_candidates(cohort: Cohort, *, search: str = "") -> QuerySet[User]:
    """Active managers not in the group, matching `search` in their name, email address,
    unit or förvaltning; each with `current_cohort`, the group they are in now in the
    same programme (or None)."""
    candidates = (
        managers()
        .exclude(pk__in=cohort.memberships.filter(left_on__isnull=True).values("user"))
        .select_related("department__parent")
        .annotate(
            current_cohort=Subquery(
                CohortMembership.objects.filter(
                    user=OuterRef("pk"), programme=cohort.programme_id, left_on__isnull=True
                ).values("cohort__name")[:1]
            )
        )
        .order_by("full_name", "pk")
    )
    search = search.strip()
    if search:
        candidates = candidates.filter(
            Q(full_name__icontains=search)
            | Q(email__icontains=search)
            | Q(department__name__icontains=search)
            | Q(department__parent__name__icontains=search)
        )
    return candidates


def department_managers(department: Department) -> QuerySet[User]:
    """The active managers of a unit, or of a förvaltning and its units."""
    return managers().filter(Q(department=department) | Q(department__parent=department))


@dataclass
class MembersAdded:
    added: list[User]
    moved: list[User]
    already: list[User]


@transaction.atomic
def cohort_add_members(
    *, cohort: Cohort, users: Iterable[User], joined_on: date | None = None, move: bool = False
) -> MembersAdded:
    """Make each of `users` an active member of `cohort`, all or none: a ValidationError
    names everyone who cannot be added (not a manager; in another group of the programme
    without `move`), and then nothing changes. Those already in the group stay as they are.
    """
    people = {user.pk: user for user in users}
    if len(people) > MAX_AT_ONCE:
        raise ValidationError(
            _("At most %(max)d people can be added at once.") % {"max": MAX_AT_ONCE}
        )
    joined_on = joined_on or timezone.localdate()
    eligible = set(managers().filter(pk__in=list(people)).values_list("pk", flat=True))
    # Lock their memberships in the programme, in one order, so two additions cannot
    # interleave (as cohort_add_member does for one person).
    current = list(
        CohortMembership.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(user_id__in=list(people), programme=cohort.programme_id, left_on__isnull=True)
        .order_by("user_id")
    )
    already = [m for m in current if m.cohort_id == cohort.pk]
    elsewhere = [m for m in current if m.cohort_id != cohort.pk]
    errors = []
    not_managers = sorted(
        (user for pk, user in people.items() if pk not in eligible), key=lambda u: u.full_name
    )
    if not_managers:
        errors.append(
            _("Not a manager in the portal: %(names)s.")
            % {"names": ", ".join(f"{u.full_name} ({u.email})" for u in not_managers)}
        )
    if elsewhere and not move:
        errors.append(
            _(
                "Already in another training group of the programme: %(names)s. Tick “Move "
                "from their current group” to move them here."
            )
            % {
                "names": ", ".join(
                    f"{people[m.user_id].full_name} ({m.cohort.name})"
                    for m in sorted(elsewhere, key=lambda m: people[m.user_id].full_name)
                )
            }
        )
    if errors:
        raise ValidationError(errors, code="not_added")
    for membership in elsewhere:
        membership.left_on = max(joined_on, membership.joined_on)
        membership.save(update_fields=["left_on"])
    staying = {m.user_id for m in already}
    new = [user for pk, user in sorted(people.items()) if pk not in staying]
    try:
        with transaction.atomic():
            CohortMembership.objects.bulk_create(
                CohortMembership(
                    cohort=cohort, programme=cohort.programme, user=user, joined_on=joined_on
                )
                for user in new
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Someone else placed one of them in a training group just now. Try again.")
        ) from error
    members_changed([cohort.pk, *(m.cohort_id for m in elsewhere)])
    moved_ids = {m.user_id for m in elsewhere}
    return MembersAdded(
        added=sorted(new, key=lambda u: u.full_name),
        moved=sorted((people[pk] for pk in moved_ids), key=lambda u: u.full_name),
        already=sorted((people[m.user_id] for m in already), key=lambda u: u.full_name),
    )
