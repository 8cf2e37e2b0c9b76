"""The write path of the programme app."""

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_manager
from programme import grouping, selectors
from programme.models import (
    Cohort,
    CohortMembership,
    FrameworkItem,
    Module,
    ModuleAttachment,
    ModuleLink,
    NetworkGroup,
    NetworkRound,
    Programme,
    Theme,
)


class MoveNeeded(ValidationError):
    """The manager is already in another active cohort of the same programme."""

    def __init__(self, user: User, current: Cohort) -> None:
        self.current = current
        super().__init__(
            _(
                "%(name)s is already in the training group %(cohort)s in this programme. "
                "Tick “Move from their current group” to move them here."
            )
            % {"name": user.full_name, "cohort": current.name},
            code="move_needed",
        )


@transaction.atomic
def framework_item_update(*, item: FrameworkItem, name: str, description: str) -> FrameworkItem:
    """Rename or redescribe a theme, focus area or ledord; its short name (slug) stays."""
    item.name = name
    item.description = description
    item.full_clean()
    item.save(update_fields=["name", "description"])
    return item


@transaction.atomic
def programme_create(
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    coaches: Iterable[User],
    description: str = "",
    repetition_offsets: list[int] | None = None,
    inactivity_nudge: bool = False,
) -> Programme:
    """A new programme run by `coaches`; without `repetition_offsets`, the default schedule."""
    programme = Programme(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        inactivity_nudge=inactivity_nudge,
    )
    if repetition_offsets is not None:
        programme.repetition_offsets = repetition_offsets
    # An empty schedule is allowed: it means no repetition reminders.
    programme.full_clean(exclude=["repetition_offsets"])
    programme.save()
    programme.coaches.set(coaches)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    name: str,
    starts_on: date,
    ends_on: date,
    description: str,
    coaches: Iterable[User],
    repetition_offsets: list[int],
    inactivity_nudge: bool,
) -> Programme:
    """Change a programme. A new repetition schedule applies to sessions held after it."""
    programme.name = name
    programme.starts_on = starts_on
    programme.ends_on = ends_on
    programme.description = description
    programme.repetition_offsets = repetition_offsets
    programme.inactivity_nudge = inactivity_nudge
    programme.full_clean(exclude=["repetition_offsets"])
    programme.save(
        update_fields=[
            "name",
            "starts_on",
            "ends_on",
            "description",
            "repetition_offsets",
            "inactivity_nudge",
        ]
    )
    programme.coaches.set(coaches)
    return programme


@transaction.atomic
def cohort_create(
    *, programme: Programme, name: str, starts_on: date, ends_on: date, coaches: Iterable[User]
) -> Cohort:
    """A new training group in `programme`, run by `coaches`; members are added one by one."""
    cohort = Cohort(programme=programme, name=name, starts_on=starts_on, ends_on=ends_on)
    cohort.full_clean()
    cohort.save()
    cohort.coaches.set(coaches)
    return cohort


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, name: str, starts_on: date, ends_on: date, coaches: Iterable[User]
) -> Cohort:
    """Change a training group. Its programme stays: the memberships carry it."""
    cohort.name = name
    cohort.starts_on = starts_on
    cohort.ends_on = ends_on
    cohort.full_clean()
    cohort.save(update_fields=["name", "starts_on", "ends_on"])
    cohort.coaches.set(coaches)
    return cohort


# What follows a change of training-group membership in other apps, called with the ids
# of the groups whose members changed, inside the change's transaction: the
# sessions app, which comes after this one, registers forgetting the groups' kept figures
# (sessions.apps).
_AFTER_MEMBERSHIP_CHANGE: list[Callable[..., None]] = []


def membership_hook_register(hook: Callable[..., None]) -> None:
    """Call `hook` after every change of a group's members; registering twice adds it once."""
    if hook not in _AFTER_MEMBERSHIP_CHANGE:
        _AFTER_MEMBERSHIP_CHANGE.append(hook)


def members_changed(cohort_ids) -> None:
    """Tell the registered hooks that these groups' members changed."""
    cohort_ids = sorted({pk for pk in cohort_ids if pk is not None})
    if cohort_ids:
        for hook in _AFTER_MEMBERSHIP_CHANGE:
            hook(cohort_ids)


@transaction.atomic
def cohort_add_member(
    *, cohort: Cohort, user: User, joined_on: date | None = None, move: bool = False
) -> CohortMembership:
    """Make `user` an active member; with `move`, end their other active membership first.

    Adding someone who is already an active member of this cohort changes nothing.
    """
    if not is_manager(user):
        raise ValidationError(_("Only managers can be members of a training group."))
    joined_on = joined_on or timezone.localdate()
    # Lock the person's memberships in this programme so two moves cannot interleave.
    current = (
        CohortMembership.objects.select_for_update()
        .select_related("cohort")
        .filter(user=user, programme=cohort.programme, left_on__isnull=True)
        .first()
    )
    if current and current.cohort_id == cohort.pk:
        return current
    if current:
        if not move:
            raise MoveNeeded(user, current.cohort)
        current.left_on = max(joined_on, current.joined_on)
        current.save(update_fields=["left_on"])
    try:
        with transaction.atomic():
            membership = CohortMembership.objects.create(
                cohort=cohort, programme=cohort.programme, user=user, joined_on=joined_on
            )
    except IntegrityError as error:
        # Someone else placed the person in the same moment: tell, do not crash.
        raise ValidationError(
            _("%(name)s was just placed in a training group by someone else. Reload the page.")
            % {"name": user.full_name}
        ) from error
    members_changed([cohort.pk, current.cohort_id if current else None])
    return membership


@transaction.atomic
def cohort_end_membership(*, membership: CohortMembership, left_on: date | None = None) -> None:
    """Record that the member left; the row stays as history. Safe to call twice."""
    if membership.left_on is not None:
        return
    membership.left_on = max(left_on or timezone.localdate(), membership.joined_on)
    membership.save(update_fields=["left_on"])
    members_changed([membership.cohort_id])


@transaction.atomic
def network_round_generate(
    *, programme: Programme, cohorts: list[Cohort], name: str, created_by: User, seed: int = 0
) -> NetworkRound:
    """Draft a round of groups of 3–4 over the cohorts' active members, mixing departments
    and avoiding pairs who met in earlier rounds of the programme."""
    members = (
        User.objects.filter(
            cohort_memberships__cohort__in=cohorts,
            cohort_memberships__left_on__isnull=True,
            is_active=True,
        )
        .select_related("department")
        .distinct()
    )
    people = [
        # Mix förvaltningar: the network is for insight into each other's operations.
        grouping.Person(user.pk, user.forvaltning_id)
        for user in members
    ]
    if len(people) < 3:
        raise ValidationError(_("At least three active members are needed to make groups."))
    groups = grouping.make_groups(people, selectors.past_pairs(programme), seed=seed)
    network_round = NetworkRound.objects.create(
        programme=programme, name=name, created_by=created_by
    )
    network_round.cohorts.set(cohorts)
    for number, group in enumerate(groups, start=1):
        network_group = NetworkGroup.objects.create(round=network_round, number=number)
        network_group.members.set([person.id for person in group])
    return network_round


# What follows a person's move between network groups in other apps, called with
# (user=, left=[groups], joined=group) inside the move's transaction, each returning how many
# emails it sent the person: the network app, which comes after this one, registers its
# meetings' invitations (network.apps).
_AFTER_MOVE: list[Callable[..., int | None]] = []


def network_move_hook_register(hook: Callable[..., int | None]) -> None:
    """Call `hook` after every move; registering twice adds it once. A hook returns how many
    emails it sent the person (or None for none)."""
    if hook not in _AFTER_MOVE:
        _AFTER_MOVE.append(hook)


@transaction.atomic
def network_round_move_member(
    *, network_round: NetworkRound, user: User, to_group: NetworkGroup
) -> int | None:
    """Move one person to another group of the same round, by hand. Returns how many emails
    that sends them (about the groups' coming meetings), or None when they already are in
    that group and in no other of the round: then nothing changes and nobody is emailed."""
    if to_group.round_id != network_round.pk:
        raise ValidationError(_("The group belongs to another round."))
    left = list(network_round.groups.filter(members=user).exclude(pk=to_group.pk))
    if not left and to_group.members.filter(pk=user.pk).exists():
        return None
    for group in left:
        group.members.remove(user)
    to_group.members.add(user)
    return sum(hook(user=user, left=left, joined=to_group) or 0 for hook in _AFTER_MOVE)


@transaction.atomic
def network_round_publish(*, network_round: NetworkRound) -> None:
    """Let members see their groups. Publishing twice keeps the first time."""
    NetworkRound.objects.filter(pk=network_round.pk, published_at__isnull=True).update(
        published_at=timezone.now()
    )


@transaction.atomic
def module_create(
    *,
    programme: Programme,
    theme: Theme,
    title: str,
    theory: str = "",
    practice: str = "",
    order: int = 0,
) -> Module:
    """New material for one theme of the programme."""
    module = Module(
        programme=programme,
        theme=theme,
        title=title,
        theory=theory,
        practice=practice,
        order=order,
    )
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def module_update(
    *, module: Module, theme: Theme, title: str, theory: str, practice: str, order: int
) -> Module:
    """Change a module's theme, title, text or place in the list."""
    module.theme = theme
    module.title = title
    module.theory = theory
    module.practice = practice
    module.order = order
    module.full_clean()
    module.save(update_fields=["theme", "title", "theory", "practice", "order", "updated_at"])
    return module


@transaction.atomic
def module_link_add(*, module: Module, title: str, url: str) -> ModuleLink:
    """A web link beside the module's text."""
    link = ModuleLink(module=module, title=title, url=url)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def module_link_remove(*, link: ModuleLink) -> None:
    """Remove the link. Safe to call twice."""
    ModuleLink.objects.filter(pk=link.pk).delete()


@transaction.atomic
def module_attachment_add(
    *, module: Module, title: str, upload, content_type: str, uploaded_by: User
) -> ModuleAttachment:
    """Store an already validated upload with the module."""
    return ModuleAttachment.objects.create(
        module=module,
        title=title,
        file=upload,
        original_name=Path(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=uploaded_by,
    )


@transaction.atomic
def module_attachment_remove(*, attachment: ModuleAttachment) -> None:
    """Remove the attachment; its file goes once the removal is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def network_round_discard(*, network_round: NetworkRound) -> bool:
    """Delete a draft round; a published one is history and stays."""
    if network_round.is_published:
        return False
    network_round.delete()
    return True
