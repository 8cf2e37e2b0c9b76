"""Reads for the network group's questions. Every read starts from who may see what: the
group's current members, the asker, and the group's coaches when the asker included them."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from accounts.permissions import AnyUser, is_coach, is_manager
from network.models import Answer, Question, QuestionRead, SharedEntry
from programme.models import Cohort, CohortMembership, NetworkGroup


def member_groups(user: AnyUser) -> QuerySet[NetworkGroup]:
    """The published network groups the manager is a member of now."""
    if not is_manager(user):
        return NetworkGroup.objects.none()
    return NetworkGroup.objects.filter(members=user, round__published_at__isnull=False)


def coached_groups(user: AnyUser) -> QuerySet[NetworkGroup]:
    """The published network groups of the training groups this coach runs."""
    if not is_coach(user):
        return NetworkGroup.objects.none()
    cohorts = Cohort.coaches.through.objects.filter(user=user).values("cohort_id")
    return NetworkGroup.objects.filter(
        round__published_at__isnull=False, round__cohorts__in=cohorts
    ).distinct()


def group_get_for_member(user: AnyUser, pk: int) -> NetworkGroup | None:
    return member_groups(user).select_related("round__programme").filter(pk=pk).first()


def has_left_group(user: AnyUser, pk: int) -> bool:
    """Whether the manager was in group `pk` and is no longer: they asked in it, or are in
    one of its round's training groups (a coach moves people between a round's groups).
    Then a post gets "you are no longer a member" rather than "not found"."""
    if not is_manager(user):
        return False
    group = NetworkGroup.objects.filter(pk=pk, round__published_at__isnull=False).first()
    if group is None:
        return False
    return (
        Question.objects.filter(group=group, author=user).exists()
        or CohortMembership.objects.filter(
            user=user, cohort__in=group.round.cohorts.values("pk")
        ).exists()
    )


def is_member(user: AnyUser, group: NetworkGroup) -> bool:
    return member_groups(user).filter(pk=group.pk).exists()


def questions_visible_to(user: AnyUser) -> QuerySet[Question]:
    """Questions the user may read: not deleted; in one of their groups, or their own, or
    (for a coach of the group) asked with the coach included."""
    if not user.is_authenticated or not user.is_active:
        return Question.objects.none()
    visible = Q(group__in=member_groups(user).values("pk")) | Q(author=user)
    if is_coach(user):
        visible |= Q(includes_coach=True, group__in=coached_groups(user).values("pk"))
    return Question.objects.filter(visible, deleted_at__isnull=True)


def question_get_visible_to(user: AnyUser, pk: int) -> Question | None:
    return (
        questions_visible_to(user)
        .select_related("author__department", "group__round")
        .filter(pk=pk)
        .first()
    )


def question_deleted_for(user: AnyUser, pk: int) -> bool:
    """Whether `pk` was a question the user could answer, deleted since: the answer form
    then says so instead of a bare "not found"."""
    deleted = Question.objects.filter(pk=pk, deleted_at__isnull=False)
    return deleted.filter(
        Q(group__in=member_groups(user).values("pk"))
        | Q(includes_coach=True, group__in=coached_groups(user).values("pk"))
    ).exists()


def can_answer(user: AnyUser, question: Question) -> bool:
    if question.is_deleted:
        return False
    if member_groups(user).filter(pk=question.group_id).exists():
        return True
    return question.includes_coach and coached_groups(user).filter(pk=question.group_id).exists()


def _with_new_marker(questions: QuerySet[Question], user: AnyUser) -> QuerySet[Question]:
    """Each question with `read_at` (when the user last opened it) and `is_new`: never opened
    (and not their own), or answered by someone else since they last opened it."""
    read_at = QuestionRead.objects.filter(question=OuterRef("pk"), user=user).values("read_at")
    newer_answers = Answer.objects.filter(
        question=OuterRef("pk"), created_at__gt=OuterRef("read_at")
    ).exclude(author=user)
    return questions.annotate(read_at=Subquery(read_at[:1])).annotate(
        is_new=(Q(read_at__isnull=True) & ~Q(author=user)) | Exists(newer_answers)
    )


def _with_list_figures(questions: QuerySet[Question], user: AnyUser) -> QuerySet[Question]:
    return (
        _with_new_marker(questions, user)
        .select_related("author")
        .annotate(answer_count=Count("answers"))
        .order_by("-last_activity_at", "-pk")
    )


def question_list(group: NetworkGroup, user: AnyUser) -> QuerySet[Question]:
    """The group's questions, newest activity first, with answer counts and whether each
    has something new for `user`."""
    return _with_list_figures(group.questions.filter(deleted_at__isnull=True), user)


def _coach_questions(user: AnyUser) -> QuerySet[Question]:
    """Questions where the asker included this coach (none for anyone else)."""
    if not is_coach(user):
        return Question.objects.none()
    return Question.objects.filter(
        includes_coach=True, deleted_at__isnull=True, group__in=coached_groups(user).values("pk")
    )


def questions_for_coach(user: AnyUser) -> QuerySet[Question]:
    """Questions where the asker included this coach, newest activity first."""
    return _with_list_figures(_coach_questions(user).select_related("group__round"), user)


def questions_new_for_coach_count(user: AnyUser) -> int:
    """How many of the questions that include this coach have something new for them (the
    start page's count: no answer counts, authors or order to read)."""
    return _with_new_marker(_coach_questions(user), user).filter(is_new=True).count()


def answer_list(question: Question) -> QuerySet[Answer]:
    return question.answers.select_related("author__department")


def answer_get_by_author(user: AnyUser, pk: int) -> Answer | None:
    """The user's own answer, on a question they still see."""
    return (
        Answer.objects.filter(
            pk=pk, author=user, question__in=questions_visible_to(user).values("pk")
        )
        .select_related("question")
        .first()
    )


def group_members(group: NetworkGroup) -> QuerySet[User]:
    return group.members.filter(is_active=True)


def shared_entries(group: NetworkGroup) -> QuerySet[SharedEntry]:
    """The journal entries shared with the group, newest first (only for its members: the
    caller has found the group with `group_get_for_member`)."""
    return group.shared_entries.select_related("author__department")


def shared_entry_counts(groups) -> dict[int, int]:
    """How many entries are shared with each of `groups`, by group id."""
    rows = (
        SharedEntry.objects.filter(group__in=groups)
        .values("group")
        .annotate(count=Count("pk"))
        .values_list("group", "count")
    )
    return dict(rows)


def entry_copies(entry) -> QuerySet[SharedEntry]:
    """The copies of the author's entry in network groups, whether or not they are still
    members (a copy stays until they take it back)."""
    return SharedEntry.objects.filter(entry=entry, author=entry.author_id).select_related(
        "group__round"
    )


def shared_entry_get_own(user: AnyUser, pk: int) -> SharedEntry | None:
    if not user.is_authenticated:
        return None
    return SharedEntry.objects.filter(pk=pk, author=user).select_related("group").first()
